# The SIP URI of a SIP-only interconnect made elsewhere, e.g. in Pipecat Cloud.
data "daily_pinless_dialin_config" "pbx" {
  name_prefix = "office-pbx"
}

# One object by the number it holds (or by id); its secret only on request.
data "daily_pinless_dialin_config" "support" {
  phone_number = "+14155550123"
  include_hmac = true
}

output "pbx_sip_uri" {
  value = data.daily_pinless_dialin_config.pbx.sip_uri
}

output "support_webhook" {
  value = data.daily_pinless_dialin_config.support.room_creation_api
}
