# Terraform 1.12 and later: adopt a number by its identity, Daily's id of the number.
import {
  to = daily_phone_number.support
  identity = {
    id = "0f4b3a4e-3c1e-4a0b-9b5e-6a1f2d3c4b5a"
  }
}

resource "daily_phone_number" "support" {
  deletion_protection = true
}
