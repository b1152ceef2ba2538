# Adopt a number bought in the Daily dashboard, by its E.164 form or Daily's id.
import {
  to = daily_phone_number.support
  id = "+14155550123"
}

resource "daily_phone_number" "support" {
  deletion_protection = true
}
