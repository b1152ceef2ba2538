package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// The data sources read one object made elsewhere by id, number or
// name_prefix; the secret reaches the state only when asked for.
func TestAccDialinConfigDataSources(t *testing.T) {
	t.Parallel()
	forEachStoreReading(t, func(t *testing.T, env *accEnv) {
		store := env.Objects(t)
		numbers := env.Numbers(t, 3)
		const secret = "ZWxzZXdoZXJlLXNlY3JldA=="
		numbered := seedObject(t, store, client.PinlessDialin, fmt.Sprintf(
			`{"phone_number":%q,"room_creation_api":"https://elsewhere.example/call","hmac":%q,"timeout_config":{"message":"Busy."}}`, numbers[0], secret))
		sip := seedObject(t, store, client.PinlessDialin, `{"name_prefix":"agents-sip","room_creation_api":"https://elsewhere.example/sip"}`)
		pin := seedObject(t, store, client.PinDialin, fmt.Sprintf(`{"phone_number":%q,"name_prefix":"meetings","ivr_greeting":{"message":"Welcome."}}`, numbers[1]))
		seedObject(t, store, client.PinlessDialin, `{"name_prefix":"twice","room_creation_api":"https://elsewhere.example/a"}`)
		seedObject(t, store, client.PinlessDialin, `{"name_prefix":"twice","room_creation_api":"https://elsewhere.example/b"}`)
		data := func(typ, name, body string) string {
			return fmt.Sprintf("\ndata \"daily_%s_config\" %q {\n%s\n}\n", typ, name, body)
		}
		sameSIP := statecheck.CompareValue(compare.ValuesSame())

		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					Config:      env.ProviderConfig() + data("pinless_dialin", "none", ""),
					ExpectError: errorPattern("Missing Attribute Configuration", "Exactly one of these attributes must be configured:", "[id,phone_number,name_prefix]"),
				},
				{
					Config:      env.ProviderConfig() + data("pin_dialin", "two", fmt.Sprintf("  id = %q\n  phone_number = %q", pin.ID, numbers[1])),
					ExpectError: errorPattern("Invalid Attribute Combination", "Exactly one of these attributes must be configured: [id,phone_number]"),
				},
				{
					Config:      env.ProviderConfig() + data("pinless_dialin", "twice", `  name_prefix = "twice"`),
					ExpectError: errorPattern("Dial-in config is ambiguous", `2 pinless_dialin config objects have name_prefix "twice"`),
				},
				{
					Config:      env.ProviderConfig() + data("pinless_dialin", "unrouted", fmt.Sprintf("  phone_number = %q", numbers[2])),
					ExpectError: errorPattern("Dial-in config not found", "no pinless_dialin config object for "+numbers[2]),
				},
				{
					Config:      env.ProviderConfig() + data("pinless_dialin", "unknown", `  id = "no-such-id"`),
					ExpectError: errorPattern("Dial-in config not found", "no dial-in config object no-such-id"),
				},
				{
					Config:      env.ProviderConfig() + data("pinless_dialin", "pin", fmt.Sprintf("  id = %q", pin.ID)),
					ExpectError: errorPattern("Dial-in config of another type", "is of type pin_dialin"),
				},
				{
					Config: env.ProviderConfig() +
						data("pinless_dialin", "by_id", fmt.Sprintf("  id = %q", numbered.ID)) +
						data("pinless_dialin", "by_number", fmt.Sprintf("  phone_number = %q\n  include_hmac = true", numbers[0])) +
						data("pinless_dialin", "by_prefix", `  name_prefix = "agents-sip"`) +
						data("pin_dialin", "pin", fmt.Sprintf("  phone_number = %q", numbers[1])) +
						data("pin_dialin", "pin_by_id", fmt.Sprintf("  id = %q", pin.ID)),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.daily_pinless_dialin_config.by_id", tfjsonpath.New("phone_number"), knownvalue.StringExact(numbers[0])),
						statecheck.ExpectKnownValue("data.daily_pinless_dialin_config.by_id", tfjsonpath.New("room_creation_api"), knownvalue.StringExact("https://elsewhere.example/call")),
						statecheck.ExpectKnownValue("data.daily_pinless_dialin_config.by_id", tfjsonpath.New("timeout_config"),
							knownvalue.ObjectExact(map[string]knownvalue.Check{"message": knownvalue.StringExact("Busy.")})),
						statecheck.ExpectKnownValue("data.daily_pinless_dialin_config.by_id", tfjsonpath.New("sip_uri"), knownvalue.StringExact(numbered.text("sip_uri"))),
						statecheck.ExpectKnownValue("data.daily_pinless_dialin_config.by_id", tfjsonpath.New("hmac"), knownvalue.Null()),
						statecheck.ExpectKnownValue("data.daily_pinless_dialin_config.by_id", tfjsonpath.New("include_hmac"), knownvalue.Bool(false)),
						statecheck.ExpectKnownValue("data.daily_pinless_dialin_config.by_number", tfjsonpath.New("id"), knownvalue.StringExact(numbered.ID)),
						statecheck.ExpectKnownValue("data.daily_pinless_dialin_config.by_number", tfjsonpath.New("hmac"), knownvalue.StringExact(secret)),
						statecheck.ExpectSensitiveValue("data.daily_pinless_dialin_config.by_number", tfjsonpath.New("hmac")),
						statecheck.ExpectKnownValue("data.daily_pinless_dialin_config.by_prefix", tfjsonpath.New("id"), knownvalue.StringExact(sip.ID)),
						statecheck.ExpectKnownValue("data.daily_pinless_dialin_config.by_prefix", tfjsonpath.New("phone_number"), knownvalue.Null()),
						statecheck.ExpectKnownValue("data.daily_pinless_dialin_config.by_prefix", tfjsonpath.New("sip_uri"), knownvalue.StringExact(sip.text("sip_uri"))),
						statecheck.ExpectKnownValue("data.daily_pinless_dialin_config.by_prefix", tfjsonpath.New("hmac"), knownvalue.Null()),
						statecheck.ExpectKnownValue("data.daily_pin_dialin_config.pin", tfjsonpath.New("id"), knownvalue.StringExact(pin.ID)),
						statecheck.ExpectKnownValue("data.daily_pin_dialin_config.pin", tfjsonpath.New("name_prefix"), knownvalue.StringExact("meetings")),
						statecheck.ExpectKnownValue("data.daily_pin_dialin_config.pin", tfjsonpath.New("ivr_greeting"),
							knownvalue.ObjectExact(map[string]knownvalue.Check{"message": knownvalue.StringExact("Welcome.")})),
						statecheck.ExpectKnownValue("data.daily_pin_dialin_config.pin_by_id", tfjsonpath.New("phone_number"), knownvalue.StringExact(numbers[1])),
					},
				},
				{
					// The SIP URI of a config made in the same configuration.
					Config: env.ProviderConfig() + configHCL("pinless_dialin", "made", fmt.Sprintf("  phone_number = %q\n  room_creation_api = \"https://hooks.example/call\"", numbers[2])) +
						data("pinless_dialin", "made", "  id = daily_pinless_dialin_config.made.id"),
					ConfigStateChecks: []statecheck.StateCheck{
						sameSIP.AddStateValue("daily_pinless_dialin_config.made", tfjsonpath.New("sip_uri")),
						sameSIP.AddStateValue("data.daily_pinless_dialin_config.made", tfjsonpath.New("sip_uri")),
					},
				},
			},
		})
	})
}
