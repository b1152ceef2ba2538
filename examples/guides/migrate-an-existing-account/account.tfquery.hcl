# Everything the domain has: its numbers and both dial-in arrays. A list block
# returns at most 100 results unless limit says otherwise.
list "daily_phone_number" "all" {
  provider         = daily
  include_resource = true
  limit            = 1000
}

list "daily_pinless_dialin_route" "all" {
  provider         = daily
  include_resource = true
  limit            = 1000
}

list "daily_pin_dialin_route" "all" {
  provider         = daily
  include_resource = true
  limit            = 1000
}
