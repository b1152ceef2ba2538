import {
  to = daily_pinless_dialin.all
  id = "pinless_dialin"
}
