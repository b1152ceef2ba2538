# The route as the array holds it, managed by a route resource.
resource "daily_pinless_dialin_route" "support" {
  phone_number      = "+14155550123"
  room_creation_api = "https://bots.example.com/daily/dialin"
  name_prefix       = "support"
}
