terraform {
  required_version = ">= 1.14"
  required_providers {
    daily = {
      source  = "daily-tf/daily"
      version = "~> 0.1"
    }
  }
}

provider "daily" {} # reads DAILY_API_KEY
