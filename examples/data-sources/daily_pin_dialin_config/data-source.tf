data "daily_pin_dialin_config" "meetings" {
  phone_number = "+13125550142"
}

output "meetings_greeting" {
  value = data.daily_pin_dialin_config.meetings.ivr_greeting
}
