# The domain's only pinless routes: any other route is removed on apply.
resource "daily_pinless_dialin" "all" {
  routes = {
    (daily_phone_number.support.number) = {
      room_creation_api = "https://bots.example.com/daily/dialin"
      name_prefix       = "support"
    }
    (daily_phone_number.sales.number) = {
      room_creation_api = "https://bots.example.com/daily/dialin"
      name_prefix       = "sales"
      timeout_config = {
        message = "Sales is closed. Please call again during business hours."
      }
    }
    # A SIP-only interconnect is keyed by sip:<name_prefix>.
    "sip:office-pbx" = {
      room_creation_api = "https://bots.example.com/daily/sip"
    }
  }
}

resource "daily_phone_number" "support" {
  areacode = "415"
}

resource "daily_phone_number" "sales" {
  areacode = "212"
}
