# Every number the domain has bought, e.g. to find ones not yet managed by Terraform.
data "daily_phone_numbers" "all" {}

output "purchased_numbers" {
  value = data.daily_phone_numbers.all.phone_numbers[*].number
}

# Look one number up.
data "daily_phone_numbers" "support" {
  number = "+14155550123"
}
