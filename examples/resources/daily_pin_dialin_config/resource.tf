resource "daily_phone_number" "meetings" {
  areacode = "312"
}

# Callers of the number hear the greeting and enter a room's PIN.
resource "daily_pin_dialin_config" "meetings" {
  phone_number = daily_phone_number.meetings.number
  name_prefix  = "meetings"

  ivr_greeting = {
    message = "Welcome to Example Corp. Please enter your meeting PIN."
  }
}
