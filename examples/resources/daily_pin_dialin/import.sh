# Takes over the whole array as it is; the ID is the array's name.
terraform import daily_pin_dialin.all pin_dialin
