# Takes over the whole array as it is; the ID is the array's name.
terraform import daily_pinless_dialin.all pinless_dialin
