package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// A SIP-only config is identified by its name_prefix: changing it replaces
// the object; it is imported by sip:<name_prefix>, which is refused when
// several objects share it. A secret set in the configuration reaches Daily
// and changes in place.
func TestAccPinlessDialinConfig_sipOnlyAndUserHMAC(t *testing.T) {
	t.Parallel()
	forEachStoreReading(t, func(t *testing.T, env *accEnv) {
		store := env.Objects(t)
		number := env.Numbers(t, 1)[0]
		config := func(secret, prefix string) string {
			return env.ProviderConfig() +
				configHCL("pinless_dialin", "number", fmt.Sprintf("  phone_number = %q\n  room_creation_api = \"https://hooks.example/call\"\n  hmac = %q", number, secret)) +
				configHCL("pinless_dialin", "trunk", fmt.Sprintf("  name_prefix = %q\n  room_creation_api = \"https://hooks.example/sip\"", prefix))
		}
		const trunk = "daily_pinless_dialin_config.trunk"
		const first, second = "Zmlyc3Qtc2VjcmV0", "c2Vjb25kLXNlY3JldA=="
		replaced := statecheck.CompareValue(compare.ValuesDiffer())

		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					Config: config(first, "pbx-trunk"),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(trunk, tfjsonpath.New("phone_number"), knownvalue.Null()),
						statecheck.ExpectKnownValue(trunk, tfjsonpath.New("sip_uri"), anyID),
						replaced.AddStateValue(trunk, tfjsonpath.New("id")),
						checkObject(t, store, client.PinlessDialin, number, map[string]any{"hmac": first}),
						checkObject(t, store, client.PinlessDialin, "sip:pbx-trunk", map[string]any{"room_creation_api": "https://hooks.example/sip", "phone_number": nil}),
					},
				},
				{
					// Rotating the secret on purpose is an update; the trunk is left alone.
					Config: config(second, "pbx-trunk"),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("daily_pinless_dialin_config.number", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(trunk, plancheck.ResourceActionNoop),
					}},
					ConfigStateChecks: []statecheck.StateCheck{checkObject(t, store, client.PinlessDialin, number, map[string]any{"hmac": second})},
				},
				{
					ResourceName:      trunk,
					ImportState:       true,
					ImportStateId:     "sip:pbx-trunk",
					ImportStateVerify: true,
				},
				{
					Config: config(second, "pbx-trunk-2"),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(trunk, plancheck.ResourceActionDestroyBeforeCreate),
					}},
					ConfigStateChecks: []statecheck.StateCheck{
						replaced.AddStateValue(trunk, tfjsonpath.New("id")),
						checkObjectKeys(t, store, client.PinlessDialin, number, "sip:pbx-trunk-2"),
					},
				},
				{
					// Another object shares the prefix: an import by it names both.
					PreConfig: func() {
						seedObject(t, store, client.PinlessDialin, `{"name_prefix":"pbx-trunk-2","room_creation_api":"https://elsewhere.example/sip"}`)
					},
					ResourceName:  trunk,
					ImportState:   true,
					ImportStateId: "sip:pbx-trunk-2",
					ExpectError:   errorPattern("Dial-in config is ambiguous", "2 pinless_dialin config objects hold sip:pbx-trunk-2", "Name one by its id instead"),
				},
			},
			CheckDestroy: destroyed(checkObjectKeys(t, store, client.PinlessDialin, "sip:pbx-trunk-2")), // the one made out of band
		})
	})
}

// Under the reading where Daily mints a new sip_uri whenever an object
// changes, an update plans it unknown and stores the new one.
func TestAccPinlessDialinConfig_sipURIMintedOnChange(t *testing.T) {
	t.Parallel()
	forEachStoreReading(t, func(t *testing.T, env *accEnv) {
		store := env.Objects(t)
		mine := env.Numbers(t, 1)[0]
		const addr = "daily_pinless_dialin_config.main"
		config := func(webhook string) string {
			return env.ProviderConfig() + configHCL("pinless_dialin", "main", fmt.Sprintf("  phone_number = %q\n  room_creation_api = %q", mine, webhook))
		}
		var before string
		sipAtDaily := statecheck.ExpectKnownValue(addr, tfjsonpath.New("sip_uri"), knownvalue.StringFunc(func(v string) error {
			if o, _ := objectByKey(t, store, client.PinlessDialin, mine); o.text("sip_uri") != v {
				return fmt.Errorf("the state's sip_uri %q differs from Daily's %q", v, o.text("sip_uri"))
			}
			return nil
		}))
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					Config: config("https://hooks.example/v1"),
					ConfigStateChecks: []statecheck.StateCheck{sipAtDaily, emuCheck(func() error {
						o, _ := objectByKey(t, store, client.PinlessDialin, mine)
						before = o.text("sip_uri")
						return nil
					})},
				},
				{
					Config: config("https://hooks.example/v2"),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("sip_uri")),
					}},
					ConfigStateChecks: []statecheck.StateCheck{sipAtDaily, emuCheck(func() error {
						o, _ := objectByKey(t, store, client.PinlessDialin, mine)
						changed := o.text("sip_uri") != before
						t.Logf("READING sip_uri after a PUT that changed the webhook: Daily %s it (%s -> %s).",
							map[bool]string{true: "minted a new one for", false: "kept"}[changed], before, o.text("sip_uri"))
						if env.Emu != nil && !changed {
							return fmt.Errorf("under %s the sip_uri did not change: this test proved nothing", env.Emu.Readings())
						}
						return nil
					})},
				},
				{Config: config("https://hooks.example/v2"), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			},
		})
	}, emulator.Options{SipURI: emulator.SipURIOnChange})
}
