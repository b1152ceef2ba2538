# By the route's phone number in E.164 form, or sip:<name_prefix> for a SIP-only route.
terraform import daily_pinless_dialin_route.support +14155550123
terraform import daily_pinless_dialin_route.pbx sip:office-pbx
