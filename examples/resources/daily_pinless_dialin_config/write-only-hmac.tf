# Needs Terraform 1.11 or later (write-only attributes).

variable "webhook_secret" {
  description = "Base64 secret the webhook verifies Daily's signatures with."
  type        = string
  sensitive   = true
  ephemeral   = true
}

# The secret is sent to Daily but never stored in the plan or state.
# Increment hmac_wo_version to send a new value.
resource "daily_pinless_dialin_config" "support" {
  phone_number      = "+14155550123"
  room_creation_api = "https://bots.example.com/daily/dialin"
  hmac_wo           = var.webhook_secret
  hmac_wo_version   = 1
}
