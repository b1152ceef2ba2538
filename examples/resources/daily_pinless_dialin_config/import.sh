# By the object's id, by the number it holds in E.164 form, or for a SIP-only
# object by sip:<name_prefix>.
terraform import daily_pinless_dialin_config.support 0b6e2f3a-5c1d-4e8f-9a7b-2d4c6e8f0a1b
terraform import daily_pinless_dialin_config.support +14155550123
terraform import daily_pinless_dialin_config.pbx sip:office-pbx
