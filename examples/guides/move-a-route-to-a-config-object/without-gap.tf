# Where the route already is a config object: adopt that object and forget
# the route resource. The apply writes nothing to Daily.
import {
  to = daily_pinless_dialin_config.support
  id = "+14155550123" # the number the object holds
}

resource "daily_pinless_dialin_config" "support" {
  phone_number      = "+14155550123"
  room_creation_api = "https://bots.example.com/daily/dialin"
  name_prefix       = "support"
}

removed {
  from = daily_pinless_dialin_route.support

  lifecycle {
    destroy = false # the route is the object imported above: keep it
  }
}
