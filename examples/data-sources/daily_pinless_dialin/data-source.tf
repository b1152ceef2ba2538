# The domain's pinless routes, whoever manages them.
data "daily_pinless_dialin" "current" {}

output "routed_numbers" {
  value = keys(data.daily_pinless_dialin.current.routes)
}

output "webhooks" {
  value = { for key, route in data.daily_pinless_dialin.current.routes : key => route.room_creation_api }
}
