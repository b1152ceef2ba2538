# Needs Terraform 1.11 or later (ephemeral resources and write-only attributes).

# Read the live secret of the route to +14155550123, whoever manages it,
# without storing it in the plan or state.
ephemeral "daily_pinless_dialin_route" "support" {
  phone_number = "+14155550123"
}

# Give a second number the same webhook secret, so one webhook verifies both.
resource "daily_pinless_dialin_route" "support_backup" {
  phone_number      = "+14155550124"
  room_creation_api = "https://bots.example.com/daily/dialin"
  hmac_wo           = ephemeral.daily_pinless_dialin_route.support.hmac
  hmac_wo_version   = 1
}
