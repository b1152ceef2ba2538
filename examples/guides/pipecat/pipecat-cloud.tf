# A number whose calls go straight to an agent deployed on Pipecat Cloud,
# through Pipecat Cloud's dial-in webhook.

variable "pipecat_organization" {
  description = "Your Pipecat Cloud organization, as `pipecat cloud organizations list` prints it (Pipecat's docs call this part of the URL {org_id})."
  type        = string
}

variable "pipecat_agent" {
  description = "The name of the deployed agent that answers the calls."
  type        = string
}

resource "daily_phone_number" "agent" {
  areacode            = "312"
  deletion_protection = true
}

resource "daily_pinless_dialin_route" "agent" {
  phone_number      = daily_phone_number.agent.number
  room_creation_api = "https://api.pipecat.daily.co/v1/public/webhooks/${var.pipecat_organization}/${var.pipecat_agent}/dialin"
  name_prefix       = var.pipecat_agent

  # With the number's: no plan removes the route of a number that stays.
  deletion_protection = true
}
