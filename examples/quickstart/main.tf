# Buys a phone number and routes its incoming calls to your webhook.
#
#   export DAILY_API_KEY=...            # your Daily API key
#   terraform init                      # skip it with a local build (dev_overrides): see README, Install
#   terraform apply -var webhook_url=https://example.com/dialin
#
# make demo applies this same configuration to a local emulator.

terraform {
  required_version = ">= 1.5"
  required_providers {
    daily = {
      source = "daily-tf/daily"
    }
  }
}

# The API key comes from DAILY_API_KEY (and, for the emulator, the URL from DAILY_API_URL).
provider "daily" {}

variable "webhook_url" {
  description = "URL that Daily POSTs to when the number is called (your room_creation_api)."
  type        = string
}

variable "areacode" {
  description = "Area code of the number to buy."
  type        = string
  default     = "415"
}

resource "daily_phone_number" "support" {
  areacode = var.areacode

  # Numbers cannot be released within 14 days of purchase, and a released
  # number may be sold to someone else: in production, also set
  # deletion_protection = true, or lifecycle { prevent_destroy = true }.
}

resource "daily_pinless_dialin_route" "support" {
  phone_number      = daily_phone_number.support.number
  room_creation_api = var.webhook_url
  name_prefix       = "support"

  timeout_config = {
    message = "Sorry, no one can take your call right now."
  }
  # hmac is left unset: Daily mints the secret, and the provider keeps it
  # from rotating on later writes.
}

output "number" {
  description = "The number to call."
  value       = daily_phone_number.support.number
}

output "sip_uri" {
  description = "SIP URI Daily generated for the route."
  value       = daily_pinless_dialin_route.support.sip_uri
}

output "hmac" {
  description = "Secret that signs Daily's webhook requests: give it to your webhook (terraform output -raw hmac)."
  value       = daily_pinless_dialin_route.support.hmac
  sensitive   = true
}
