# The domain's pinless routes, whoever manages them. Their secrets stay out of
# the state unless include_hmacs = true: to hand one route's secret on, read it
# with the ephemeral daily_pinless_dialin_route, which stores nothing.
data "daily_pinless_dialin" "current" {}

output "routed_numbers" {
  value = keys(data.daily_pinless_dialin.current.routes)
}

output "webhooks" {
  value = { for key, route in data.daily_pinless_dialin.current.routes : key => route.room_creation_api }
}
