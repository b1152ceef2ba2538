# A number and its route, protected together: any plan that would release the
# number or remove its route (terraform destroy, a deleted block, a replacement)
# fails before anything is applied, so calls keep reaching the webhook.
resource "daily_phone_number" "support" {
  areacode            = "415"
  deletion_protection = true
}

resource "daily_pinless_dialin_route" "support" {
  phone_number        = daily_phone_number.support.number
  room_creation_api   = "https://bots.example.com/daily/dialin"
  deletion_protection = true
}
