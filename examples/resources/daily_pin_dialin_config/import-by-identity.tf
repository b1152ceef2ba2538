# Terraform 1.12 and later: adopt a config object by its identity, its id.
import {
  to = daily_pin_dialin_config.meetings
  identity = {
    id = "4f1a9c2e-7b3d-4a6e-8c5f-1e2d3c4b5a69"
  }
}

resource "daily_pin_dialin_config" "meetings" {
  phone_number = "+13125550142"
  name_prefix  = "meetings"
}
