# Buy any available number in the 415 area code.
resource "daily_phone_number" "support" {
  areacode = "415"

  # Releasing a number cannot be undone. deletion_protection makes the
  # provider refuse to release it; prevent_destroy makes Terraform refuse to
  # even plan it. Use either or both.
  deletion_protection = true
  lifecycle {
    prevent_destroy = true
  }
}

# Buy exactly the number a search found.
data "daily_available_phone_numbers" "toronto" {
  region = "ON"
}

resource "daily_phone_number" "sales" {
  number = data.daily_available_phone_numbers.toronto.numbers[0].number

  lifecycle {
    # The search result changes over time; the number bought must not.
    ignore_changes = [number]
  }
}
