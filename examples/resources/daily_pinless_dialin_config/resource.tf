resource "daily_phone_number" "support" {
  areacode = "415"
}

# One config object of Daily's /domain-dialin-config API: calls to the number
# make Daily POST to the webhook, signed with hmac.
resource "daily_pinless_dialin_config" "support" {
  phone_number        = daily_phone_number.support.number
  room_creation_api   = "https://bots.example.com/daily/dialin"
  name_prefix         = "support"
  hold_music_url      = "https://cdn.example.com/hold.mp3"
  deletion_protection = true

  timeout_config = {
    message = "All our agents are busy. Please call again later."
  }
}

# A SIP-only interconnect has no phone number: name_prefix identifies it.
resource "daily_pinless_dialin_config" "pbx" {
  name_prefix       = "office-pbx"
  room_creation_api = "https://bots.example.com/daily/sip"
}

# Give the secret and the SIP URI to the webhook, e.g. through a secret store.
output "support_webhook_hmac" {
  value     = daily_pinless_dialin_config.support.hmac
  sensitive = true
}

output "pbx_sip_uri" {
  value = daily_pinless_dialin_config.pbx.sip_uri
}
