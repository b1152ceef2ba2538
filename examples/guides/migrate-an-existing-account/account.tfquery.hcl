# Everything the domain has: its numbers, both dial-in arrays and its dial-in
# config objects. A list block returns at most 100 results unless limit says
# otherwise.
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

# Config objects that the arrays show too (where Daily's objects are the
# arrays' entries) are found once, by the route lists above.
list "daily_pinless_dialin_config" "all" {
  provider         = daily
  include_resource = true
  limit            = 1000
}

list "daily_pin_dialin_config" "all" {
  provider         = daily
  include_resource = true
  limit            = 1000
}
