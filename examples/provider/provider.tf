terraform {
  required_providers {
    daily = {
      source  = "daily-tf/daily"
      version = "~> 0.1" # once 0.1.0 is released; until then, a local build (README, Install)
    }
  }
}

# The API key selects the Daily domain. Leave it out of the configuration and
# export DAILY_API_KEY instead, so that it is not stored in version control.
provider "daily" {}
