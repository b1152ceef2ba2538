# Every number the domain has purchased: run `terraform query`.
list "daily_phone_number" "all" {
  provider = daily
}

# Numbers in the 415 area code, each with its attributes.
list "daily_phone_number" "san_francisco" {
  provider         = daily
  include_resource = true

  config {
    number_prefix = "+1415"
  }
}
