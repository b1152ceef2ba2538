# By Daily's id of the purchased number, or by the number itself in E.164 form.
terraform import daily_phone_number.support 0f4b3a4e-3c1e-4a0b-9b5e-6a1f2d3c4b5a
terraform import daily_phone_number.support +14155550123
