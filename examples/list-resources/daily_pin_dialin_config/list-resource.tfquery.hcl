# The domain's PIN dial-in config objects in one area code.
list "daily_pin_dialin_config" "chicago" {
  provider = daily

  config {
    number_prefix = "+1312"
  }
}
