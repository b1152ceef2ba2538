# Terraform 1.12 and later: adopt a route by its identity, its phone number.
import {
  to = daily_pinless_dialin_route.support
  identity = {
    phone_number = "+14155550123"
  }
}

resource "daily_pinless_dialin_route" "support" {
  phone_number      = "+14155550123"
  room_creation_api = "https://bots.example.com/daily/dialin"
}

# A SIP-only route has no phone number: its name_prefix identifies it.
import {
  to = daily_pinless_dialin_route.pbx
  identity = {
    name_prefix = "office-pbx"
  }
}

resource "daily_pinless_dialin_route" "pbx" {
  name_prefix       = "office-pbx"
  room_creation_api = "https://pbx.example.com/daily/sip"
}
