# Adopt a route that already exists; its hmac is kept, so webhooks keep verifying.
import {
  to = daily_pinless_dialin_route.support
  id = "+14155550123"
}

resource "daily_pinless_dialin_route" "support" {
  phone_number      = "+14155550123"
  room_creation_api = "https://bots.example.com/daily/dialin"
}
