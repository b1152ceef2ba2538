# Where the route is only an array entry: replace the route resource with a
# config resource in one apply. The provider deletes the entry, then creates
# the object, on the same number and with the same secret.
variable "webhook_secret" {
  description = "The base64 secret the webhook verifies Daily's signatures with: the route's hmac."
  type        = string
  sensitive   = true
  ephemeral   = true
}

resource "daily_pinless_dialin_config" "support" {
  phone_number      = "+14155550123"
  room_creation_api = "https://bots.example.com/daily/dialin"
  name_prefix       = "support"
  hmac_wo           = var.webhook_secret
  hmac_wo_version   = 1
}
