# Adopt a config object that already exists, by the number it holds (or by its id).
import {
  to = daily_pin_dialin_config.meetings
  id = "+13125550142"
}

resource "daily_pin_dialin_config" "meetings" {
  phone_number = "+13125550142"
  name_prefix  = "meetings"
}
