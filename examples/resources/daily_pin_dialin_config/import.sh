# By the object's id, or by the number it holds in E.164 form.
terraform import daily_pin_dialin_config.meetings 4f1a9c2e-7b3d-4a6e-8c5f-1e2d3c4b5a69
terraform import daily_pin_dialin_config.meetings +13125550142
