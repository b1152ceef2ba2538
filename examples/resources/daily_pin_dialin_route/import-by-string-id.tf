import {
  to = daily_pin_dialin_route.meetings
  id = "+13125550123"
}

resource "daily_pin_dialin_route" "meetings" {
  phone_number = "+13125550123"
}
