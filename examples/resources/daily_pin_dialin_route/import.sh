# By the route's phone number in E.164 form.
terraform import daily_pin_dialin_route.meetings +13125550123
