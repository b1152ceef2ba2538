# Every PIN route of the domain whose number is in the 312 area code.
list "daily_pin_dialin_route" "chicago" {
  provider = daily

  config {
    number_prefix = "+1312"
  }
}
