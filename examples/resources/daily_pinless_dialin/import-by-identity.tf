# Terraform 1.12 and later: the identity is the domain's id, which must be the
# domain the provider's API key selects (GET https://api.daily.co/v1/ returns it).
import {
  to = daily_pinless_dialin.all
  identity = {
    domain_id = "6f1c2a9e-8d4b-4c3a-9e2f-1b0a7c6d5e4f"
  }
}
