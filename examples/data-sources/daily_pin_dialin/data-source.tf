# The domain's PIN routes, whoever manages them.
data "daily_pin_dialin" "current" {}

output "pin_numbers" {
  value = keys(data.daily_pin_dialin.current.routes)
}
