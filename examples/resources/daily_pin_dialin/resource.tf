# The domain's only PIN routes: any other route is removed on apply.
resource "daily_pin_dialin" "all" {
  routes = {
    (daily_phone_number.meetings.number) = {
      name_prefix = "meetings"
      ivr_greeting = {
        message = "Welcome to Example Corp. Please enter your meeting PIN."
      }
    }
  }
}

resource "daily_phone_number" "meetings" {
  areacode = "312"
}
