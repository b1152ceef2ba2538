# Terraform 1.12 and later: adopt a route by its identity, its phone number.
import {
  to = daily_pin_dialin_route.meetings
  identity = {
    phone_number = "+13125550123"
  }
}

resource "daily_pin_dialin_route" "meetings" {
  phone_number = "+13125550123"
}
