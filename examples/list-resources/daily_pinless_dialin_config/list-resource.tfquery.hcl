# The domain's pinless dial-in config objects, whoever manages them. Objects
# the pinless_dialin array shows too are left to daily_pinless_dialin_route.
list "daily_pinless_dialin_config" "all" {
  provider = daily
}

# Every object, also those the array shows, whose webhook is on one host.
list "daily_pinless_dialin_config" "bots" {
  provider = daily

  config {
    include_array_entries = true
    webhook_host          = "bots.example.com"
  }
}
