resource "daily_phone_number" "support" {
  areacode = "415"
}

# Calls to the number make Daily POST to the webhook, signed with hmac.
resource "daily_pinless_dialin_route" "support" {
  phone_number      = daily_phone_number.support.number
  room_creation_api = "https://bots.example.com/daily/dialin"
  name_prefix       = "support"
  hold_music_url    = "https://cdn.example.com/hold.mp3"

  timeout_config = {
    message = "All our agents are busy. Please call again later."
  }
}

# A SIP-only interconnect has no phone number: name_prefix identifies it.
resource "daily_pinless_dialin_route" "pbx" {
  name_prefix       = "office-pbx"
  room_creation_api = "https://bots.example.com/daily/sip"
}

# Give the secret to the webhook, e.g. through a secret store.
output "support_webhook_hmac" {
  value     = daily_pinless_dialin_route.support.hmac
  sensitive = true
}
