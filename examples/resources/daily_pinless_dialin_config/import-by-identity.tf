# Terraform 1.12 and later: adopt a config object by its identity, its id.
import {
  to = daily_pinless_dialin_config.support
  identity = {
    id = "0b6e2f3a-5c1d-4e8f-9a7b-2d4c6e8f0a1b"
  }
}

resource "daily_pinless_dialin_config" "support" {
  phone_number      = "+14155550123"
  room_creation_api = "https://bots.example.com/daily/dialin"
}
