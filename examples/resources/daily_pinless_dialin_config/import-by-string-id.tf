# Adopt a config object that already exists, by the number it holds (or by
# its id); its hmac is kept, so webhooks keep verifying.
import {
  to = daily_pinless_dialin_config.support
  id = "+14155550123"
}

resource "daily_pinless_dialin_config" "support" {
  phone_number      = "+14155550123"
  room_creation_api = "https://bots.example.com/daily/dialin"
}

# A SIP-only object, by its name_prefix.
import {
  to = daily_pinless_dialin_config.pbx
  id = "sip:office-pbx"
}

resource "daily_pinless_dialin_config" "pbx" {
  name_prefix       = "office-pbx"
  room_creation_api = "https://bots.example.com/daily/sip"
}
