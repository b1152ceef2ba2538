# Numbers for sale in San Francisco.
data "daily_available_phone_numbers" "sf" {
  region = "CA"
  city   = "San Francisco"
}

# Numbers in the 415 area code that end in 2024.
data "daily_available_phone_numbers" "vanity" {
  areacode  = "415"
  ends_with = "2024"
}

output "first_vanity_number" {
  value = try(data.daily_available_phone_numbers.vanity.numbers[0].number, null)
}
