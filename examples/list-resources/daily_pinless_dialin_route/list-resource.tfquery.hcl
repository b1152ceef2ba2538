# Every pinless route of the domain, SIP-only routes included, whoever manages it.
list "daily_pinless_dialin_route" "all" {
  provider = daily
}

# The routes whose webhook is on one host (any port, any path).
list "daily_pinless_dialin_route" "bots" {
  provider = daily

  config {
    webhook_host = "bots.example.com"
  }
}
