# Every setting, with its default. api_key and api_url fall back to the
# DAILY_API_KEY and DAILY_API_URL environment variables.
provider "daily" {
  api_key             = var.daily_api_key
  api_url             = "https://api.daily.co/v1"
  request_timeout     = "30s"
  retry_max_duration  = "2m"
  dialin_batch_window = "100ms"
}

variable "daily_api_key" {
  type      = string
  sensitive = true
}
