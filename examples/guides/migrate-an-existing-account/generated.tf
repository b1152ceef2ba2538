# __generated__ by Terraform
# Please review these resources and move them into your main configuration files.

# __generated__ by Terraform
resource "daily_phone_number" "all_0" {
  provider            = daily
  areacode            = null
  city                = null
  contains            = null
  deletion_protection = false
  ends_with           = null
  number              = "+13125550142"
  region              = null
  starts_with         = null
}

import {
  to       = daily_phone_number.all_0
  provider = daily
  identity = {
    id = "5661f303-af36-4382-8ffe-e886656f7274"
  }
}

resource "daily_phone_number" "all_1" {
  provider            = daily
  areacode            = null
  city                = null
  contains            = null
  deletion_protection = false
  ends_with           = null
  number              = "+14155550123"
  region              = null
  starts_with         = null
}

import {
  to       = daily_phone_number.all_1
  provider = daily
  identity = {
    id = "05e8c2bf-50e6-4a64-8f32-810af90a356a"
  }
}

resource "daily_phone_number" "all_2" {
  provider            = daily
  areacode            = null
  city                = null
  contains            = null
  deletion_protection = false
  ends_with           = null
  number              = "+14155550199"
  region              = null
  starts_with         = null
}

import {
  to       = daily_phone_number.all_2
  provider = daily
  identity = {
    id = "a3d9e7b1-2c4f-4e8a-b6d0-9f1e3c5a7b2d"
  }
}

# __generated__ by Terraform
resource "daily_pinless_dialin_route" "all_0" {
  provider            = daily
  deletion_protection = false
  hmac_wo             = null # sensitive
  hmac_wo_version     = null
  hold_music_url      = null
  name_prefix         = "support"
  phone_number        = "+14155550123"
  room_creation_api   = "https://bots.example.com/daily/dialin"
  timeout_config = {
    message = "Sorry, all our agents are busy. Please call back later."
  }
}

import {
  to       = daily_pinless_dialin_route.all_0
  provider = daily
  identity = {
    name_prefix  = null
    phone_number = "+14155550123"
  }
}

resource "daily_pinless_dialin_route" "all_1" {
  provider            = daily
  deletion_protection = false
  hmac_wo             = null # sensitive
  hmac_wo_version     = null
  hold_music_url      = null
  name_prefix         = "office-pbx"
  phone_number        = null
  room_creation_api   = "https://bots.example.com/daily/sip"
  timeout_config      = null
}

import {
  to       = daily_pinless_dialin_route.all_1
  provider = daily
  identity = {
    name_prefix  = "office-pbx"
    phone_number = null
  }
}

# __generated__ by Terraform
resource "daily_pin_dialin_route" "all_0" {
  provider            = daily
  deletion_protection = false
  ivr_greeting = {
    message = "Welcome to Example Corp. Please enter your meeting PIN."
  }
  name_prefix  = "meetings"
  phone_number = "+13125550142"
}

import {
  to       = daily_pin_dialin_route.all_0
  provider = daily
  identity = {
    phone_number = "+13125550142"
  }
}
