import {
  to = daily_pin_dialin.all
  id = "pin_dialin"
}
