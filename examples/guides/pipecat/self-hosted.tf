# A number whose calls go to your own webhook, which starts a Pipecat bot.
# Needs Terraform 1.11 or later (write-only attributes).

variable "dialin_secret" {
  description = "Base64 secret the webhook verifies Daily's signatures with; it never enters the plan or state."
  type        = string
  sensitive   = true
  ephemeral   = true
}

resource "daily_phone_number" "bot" {
  areacode            = "415"
  deletion_protection = true
}

resource "daily_pinless_dialin_route" "bot" {
  phone_number      = daily_phone_number.bot.number
  room_creation_api = "https://bots.example.com/daily/dialin"
  name_prefix       = "voice-bot"
  hold_music_url    = "https://cdn.example.com/hold.mp3"

  # With the number's: no plan removes the route of a number that stays.
  deletion_protection = true

  timeout_config = {
    message = "Sorry, our assistant is not available right now. Please call again later."
  }

  # Change the secret and increment the version together.
  hmac_wo         = var.dialin_secret
  hmac_wo_version = 1
}
