# A number whose calls go to Pipecat's development runner on your machine
# (`uv run bot.py -t daily`), reached through a tunnel such as ngrok.
# For development only: the runner's webhook does not check Daily's signature.

variable "tunnel_url" {
  description = "Public https URL of the tunnel to the runner's port 7860, e.g. https://abc123.ngrok.app."
  type        = string
}

resource "daily_phone_number" "dev" {
  areacode = "415"
}

resource "daily_pinless_dialin_route" "dev" {
  phone_number      = daily_phone_number.dev.number
  room_creation_api = "${trimsuffix(var.tunnel_url, "/")}/daily-dialin-webhook"
  name_prefix       = "dev-bot"
}
