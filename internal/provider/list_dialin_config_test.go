package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// The config list resources find objects by filter, each with its identity
// and its resource less the secret. An object the array shows too is left
// to the route list resources unless include_array_entries is set: where
// objects are the arrays' entries (shared), that is every object.
func TestAccDialinConfigListResources_query(t *testing.T) {
	t.Parallel()
	forEachStoreReading(t, func(t *testing.T, env *accEnv) {
		env.RequireEmulator(t)
		store, arrays := env.Objects(t), env.Dialin(t)
		numbers := env.Numbers(t, 4)
		if err := setArray(arrays, client.PinlessDialin, []json.RawMessage{
			json.RawMessage(fmt.Sprintf(`{"phone_number":%q,"room_creation_api":"https://bots.example.com/route","hmac":"cm91dGUtc2VjcmV0"}`, numbers[0])),
			json.RawMessage(`{"name_prefix":"office-pbx","room_creation_api":"https://bots.example.com/sip","hmac":"cGJ4LXNlY3JldA=="}`),
		}); err != nil {
			t.Fatal(err)
		}
		agents := seedObject(t, store, client.PinlessDialin, fmt.Sprintf(
			`{"phone_number":%q,"name_prefix":"agents","room_creation_api":"https://BOTS.example.com:8443/agents","hmac":"YWdlbnRzLXNlY3JldA=="}`, numbers[1]))
		seedObject(t, store, client.PinlessDialin, `{"name_prefix":"agents-sip","room_creation_api":"https://other.example.net/sip"}`)
		seedObject(t, store, client.PinlessDialin, fmt.Sprintf(`{"phone_number":%q,"room_creation_api":"https://other.example.net/call"}`, numbers[2]))
		pin := seedObject(t, store, client.PinDialin, fmt.Sprintf(`{"phone_number":%q,"name_prefix":"meetings","ivr_greeting":{"message":"Welcome."}}`, numbers[3]))

		// Under the shared reading the array shows every object, and every
		// array entry is an object.
		// By default the list leaves those to the route list resources.
		objects, all, bots, pinObjects := 3, 3, 1, 1
		if env.storeReading() == emulator.DialinStoreShared {
			objects, all, bots, pinObjects = 0, 5, 3, 0
		}
		byNumber := func(n string) queryfilter.QueryFilter { return queryfilter.ByDisplayName(knownvalue.StringExact(n)) }

		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{listResources},
			Steps: []resource.TestStep{
				{Config: env.ProviderConfig() + `data "daily_phone_numbers" "all" {}`},
				{
					Query: true,
					Config: `
list "daily_pinless_dialin_config" "objects" {
  provider = daily
}

list "daily_pinless_dialin_config" "all" {
  provider         = daily
  include_resource = true
  config {
    include_array_entries = true
  }
}

list "daily_pinless_dialin_config" "bots" {
  provider = daily
  config {
    include_array_entries = true
    webhook_host          = "bots.example.com"
  }
}

list "daily_pinless_dialin_config" "prefix" {
  provider = daily
  config {
    include_array_entries = true
    number_prefix         = "` + numbers[2] + `"
  }
}

list "daily_pin_dialin_config" "all" {
  provider         = daily
  include_resource = true
  config {
    include_array_entries = true
  }
}

list "daily_pin_dialin_config" "objects" {
  provider = daily
}
`,
					QueryResultChecks: []querycheck.QueryResultCheck{
						querycheck.ExpectLength("daily_pinless_dialin_config.objects", objects),
						querycheck.ExpectLength("daily_pinless_dialin_config.all", all),
						querycheck.ExpectLength("daily_pinless_dialin_config.bots", bots),
						querycheck.ExpectLength("daily_pinless_dialin_config.prefix", 1),
						querycheck.ExpectLength("daily_pin_dialin_config.all", 1),
						querycheck.ExpectLength("daily_pin_dialin_config.objects", pinObjects),
						querycheck.ExpectIdentity("daily_pinless_dialin_config.prefix", map[string]knownvalue.Check{"id": anyID}),
						querycheck.ExpectResourceDisplayName("daily_pin_dialin_config.all",
							queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(pin.ID)}), knownvalue.StringExact(numbers[3])),
						querycheck.ExpectResourceKnownValues("daily_pinless_dialin_config.all", byNumber(numbers[1]), []querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(agents.ID)},
							{Path: tfjsonpath.New("phone_number"), KnownValue: knownvalue.StringExact(numbers[1])},
							{Path: tfjsonpath.New("name_prefix"), KnownValue: knownvalue.StringExact("agents")},
							{Path: tfjsonpath.New("room_creation_api"), KnownValue: knownvalue.StringExact("https://BOTS.example.com:8443/agents")},
							{Path: tfjsonpath.New("sip_uri"), KnownValue: knownvalue.StringExact(agents.text("sip_uri"))},
							{Path: tfjsonpath.New("deletion_protection"), KnownValue: knownvalue.Bool(false)},
							// terraform query -json prints listed objects in full: the secret is withheld.
							{Path: tfjsonpath.New("hmac"), KnownValue: knownvalue.Null()},
							{Path: tfjsonpath.New("hmac_wo_version"), KnownValue: knownvalue.Null()},
						}),
						querycheck.ExpectResourceKnownValues("daily_pinless_dialin_config.all", byNumber("sip:agents-sip"), []querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("phone_number"), KnownValue: knownvalue.Null()},
							{Path: tfjsonpath.New("name_prefix"), KnownValue: knownvalue.StringExact("agents-sip")},
						}),
						querycheck.ExpectResourceKnownValues("daily_pin_dialin_config.all", byNumber(numbers[3]), []querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(pin.ID)},
							{Path: tfjsonpath.New("ivr_greeting"), KnownValue: knownvalue.ObjectExact(map[string]knownvalue.Check{"message": knownvalue.StringExact("Welcome.")})},
						}),
					},
				},
				{
					Query: true,
					Config: `
list "daily_pinless_dialin_config" "bad" {
  provider = daily
  config {
    number_prefix = "1415"
    webhook_host  = "https://bots.example.com"
  }
}
`,
					ExpectError: regexp.MustCompile(`number_prefix must be the start of an E.164 phone number`),
				},
			},
		})
	})
}
