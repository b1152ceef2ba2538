package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// Invalid configurations fail at plan time naming the attribute; numbers
// held elsewhere fail naming the number, where it is held and how to import
// it, and change nothing; one number or SIP route declared by two
// resources of either family fails at plan time.
func TestAccDialinConfig_errors(t *testing.T) {
	t.Parallel()
	forEachStoreReading(t, func(t *testing.T, env *accEnv) {
		arrays, store := env.Dialin(t), env.Objects(t)
		numbers := env.Numbers(t, 3)
		free, routed, pinHeld := numbers[0], numbers[1], numbers[2]
		seedUnmanagedRoutes(t, arrays, routed)
		pinObject := seedObject(t, store, client.PinDialin, fmt.Sprintf(`{"phone_number":%q,"name_prefix":"elsewhere"}`, pinHeld))
		entriesBefore, objectsBefore := arrays.DialinArray(client.PinlessDialin), store.DialinConfigs()
		pinless := func(number, body string) string {
			return env.ProviderConfig() + configHCL("pinless_dialin", "main", fmt.Sprintf("  phone_number = %q\n%s", number, body))
		}
		const webhook = `  room_creation_api = "https://hooks.example/call"`
		// Where an unmanaged route is held depends on the reading: an
		// object (shared) or an array entry only (separate).
		heldByRoute := errorPattern("Cannot create dial-in config", routed+" is already held", "terraform import")
		if env.Emu != nil {
			heldByRoute = errorPattern("Cannot create dial-in config", routed+" is already held", "held by an entry of the domain's pinless_dialin array",
				"terraform import daily_pinless_dialin_route.<name> "+routed, `id = "`+routed+`"`, "Daily said:", "HTTP 400 invalid-request-error:")
			if env.storeReading() == emulator.DialinStoreShared {
				routeObject, _ := objectByKey(t, store, client.PinlessDialin, routed)
				heldByRoute = errorPattern("Cannot create dial-in config", routed+" is already held", "held by the pinless_dialin config object "+routeObject.ID,
					"terraform import daily_pinless_dialin_config.<name> "+routeObject.ID, `id = "`+routeObject.ID+`"`, "Daily said:", "HTTP 400 invalid-request-error:")
			}
		}
		unchanged := func() {
			if err := checkUntouched(arrays, client.PinlessDialin, entriesBefore)(); err != nil {
				t.Error(err)
			}
			if err := checkObjectsUntouched(store, objectsBefore)(); err != nil {
				t.Error(err)
			}
			if n := len(store.DialinConfigs()); n != len(objectsBefore) {
				t.Errorf("Daily holds %d config objects after refused creates, want %d", n, len(objectsBefore))
			}
		}
		importStep := func(typ, id string, want *regexp.Regexp) resource.TestStep {
			return resource.TestStep{
				Config:        env.ProviderConfig() + configHCL(typ, "imported", fmt.Sprintf("  phone_number = %q\n  name_prefix = \"x\"", free)),
				ResourceName:  "daily_" + typ + "_config.imported",
				ImportState:   true,
				ImportStateId: id,
				ExpectError:   want,
			}
		}

		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{Config: pinless("4155550100", webhook), ExpectError: regexp.MustCompile(`(?s)phone_number.*E.164`)},
				{Config: pinless(free, `  room_creation_api = "ftp://hooks.example/call"`), ExpectError: regexp.MustCompile(`(?s)room_creation_api.*http`)},
				{Config: pinless(free, webhook+"\n  hmac = \"not base64!\""), ExpectError: regexp.MustCompile(`(?s)hmac.*base64`)},
				{Config: pinless(free, webhook+"\n  hold_music_url = \"hold.mp3\""), ExpectError: regexp.MustCompile(`(?s)hold_music_url.*http`)},
				{
					Config:      env.ProviderConfig() + configHCL("pinless_dialin", "main", webhook),
					ExpectError: errorPattern("Route has no identity", "Set phone_number", "set name_prefix"),
				},
				{
					Config:      env.ProviderConfig() + configHCL("pin_dialin", "main", `  name_prefix = "meetings"`),
					ExpectError: errorPattern(`The argument "phone_number" is required`),
				},
				{
					Config:      pinless("+14155550999", webhook),
					ExpectError: errorPattern("Cannot create dial-in config", "+14155550999", "HTTP 400 invalid-request-error:", "not associated with domain"),
				},
				{Config: pinless(routed, webhook), ExpectError: heldByRoute},
				{
					PreConfig: unchanged,
					Config:    pinless(pinHeld, webhook),
					ExpectError: errorPattern("Cannot create dial-in config", pinHeld+" is already held", "held by the pin_dialin config object "+pinObject.ID,
						"terraform import daily_pin_dialin_config.<name> "+pinObject.ID),
				},
				{
					PreConfig: unchanged,
					Config: pinless(free, webhook) + fmt.Sprintf(`
resource "daily_pinless_dialin_route" "same" {
  phone_number      = %q
  room_creation_api = "https://hooks.example/other"
}`, free),
					ExpectError: errorPattern("Dial-in route declared twice", free, "by another in this configuration: a daily_pinless_dialin_"),
				},
				{
					Config:      pinless(free, webhook) + configHCL("pin_dialin", "same", fmt.Sprintf("  phone_number = %q", free)),
					ExpectError: errorPattern("Dial-in route declared twice", free, "by another in this configuration: a daily_pin"),
				},
				{
					Config: env.ProviderConfig() + configHCL("pinless_dialin", "trunk", "  name_prefix = \"pbx\"\n"+webhook) + `
resource "daily_pinless_dialin_route" "trunk" {
  name_prefix       = "pbx"
  room_creation_api = "https://hooks.example/other"
}`,
					ExpectError: errorPattern("Dial-in route declared twice", "sip:pbx"),
				},
				importStep("pin_dialin", "sip:pbx", errorPattern("Invalid import ID", "Import a pin_dialin config object by its id, or by the phone number")),
				importStep("pinless_dialin", "+1415", errorPattern("Invalid import ID", "or a SIP-only one by sip:<name_prefix>")),
				importStep("pinless_dialin", free, errorPattern("Dial-in config not found", "no pinless_dialin config object for "+free)),
				importStep("pinless_dialin", pinObject.ID, errorPattern("Dial-in config of another type", pinObject.ID, "is of type pin_dialin", "daily_pin_dialin_config")),
				importStep("pinless_dialin", "no-such-id", errorPattern("Cannot import non-existent remote object")),
				{PreConfig: unchanged, Config: env.ProviderConfig(), PlanOnly: true},
			},
		})
	})
}

// A protected config cannot be destroyed or replaced: the plan fails,
// naming it. Turning the protection off writes nothing to Daily.
func TestAccDialinConfig_deletionProtection(t *testing.T) {
	t.Parallel()
	forEachStoreReading(t, func(t *testing.T, env *accEnv) {
		store := env.Objects(t)
		numbers := env.Numbers(t, 2)
		config := func(number, prefix string, protect bool) string {
			return env.ProviderConfig() +
				configHCL("pinless_dialin", "number", fmt.Sprintf("  phone_number = %q\n  room_creation_api = \"https://hooks.example/call\"\n  deletion_protection = %t", number, protect)) +
				configHCL("pinless_dialin", "trunk", fmt.Sprintf("  name_prefix = %q\n  room_creation_api = \"https://hooks.example/sip\"\n  deletion_protection = %t", prefix, protect))
		}
		protected := config(numbers[0], "pbx", true)
		var objectsBefore []json.RawMessage
		noWrites := emuCheck(func() error {
			if env.Emu == nil {
				return nil
			}
			for _, write := range []string{"POST /domain-dialin-config", "PUT /domain-dialin-config", "DELETE /domain-dialin-config", "POST /"} {
				if n := env.Emu.Count(write); n != 0 {
					return fmt.Errorf("turning deletion_protection off sent %d %s", n, write)
				}
			}
			return checkObjectsUntouched(store, objectsBefore)()
		})

		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					Config: protected,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("daily_pinless_dialin_config.number", tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
					},
				},
				{
					Config:      env.ProviderConfig() + configHCL("pinless_dialin", "trunk", "  name_prefix = \"pbx\"\n  room_creation_api = \"https://hooks.example/sip\"\n  deletion_protection = true"),
					ExpectError: errorPattern("Dial-in config is protected from deletion", "This plan destroys the pinless_dialin config object", numbers[0], "deletion_protection is true"),
				},
				{
					Config:      config(numbers[1], "pbx", true),
					ExpectError: errorPattern("Dial-in config is protected from deletion", `with daily_pinless_dialin_config.number`, "phone_number", "This plan replaces the pinless_dialin config object", numbers[0]),
				},
				{
					Config:      config(numbers[0], "pbx-2", true),
					ExpectError: errorPattern("Dial-in config is protected from deletion", "name_prefix", "This plan replaces the pinless_dialin config object", "(sip:pbx)"),
				},
				{Config: protected, Destroy: true, ExpectError: errorPattern("Dial-in config is protected from deletion")},
				{
					PreConfig: func() {
						objectsBefore = store.DialinConfigs()
						if env.Emu != nil {
							env.Emu.ResetCounts()
						}
					},
					Config: config(numbers[0], "pbx", false),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("daily_pinless_dialin_config.number", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("daily_pinless_dialin_config.trunk", plancheck.ResourceActionUpdate),
					}},
					ConfigStateChecks: []statecheck.StateCheck{noWrites},
				},
			},
			CheckDestroy: destroyed(checkObjectKeys(t, store, client.PinlessDialin)),
		})
	})
}

// Identities: set on create, kept by updates and refreshes, imported from;
// an object deleted out of band and made anew has a new id, and so a new
// identity.
func TestAccDialinConfig_identity(t *testing.T) {
	t.Parallel()
	forEachStoreReading(t, func(t *testing.T, env *accEnv) {
		store := env.Objects(t)
		numbers := env.Numbers(t, 2)
		config := func(webhook string) string {
			return env.ProviderConfig() +
				configHCL("pinless_dialin", "number", fmt.Sprintf("  phone_number = %q\n  room_creation_api = %q", numbers[0], webhook)) +
				configHCL("pinless_dialin", "trunk", fmt.Sprintf("  name_prefix = \"office-pbx\"\n  room_creation_api = %q", webhook)) +
				configHCL("pin_dialin", "meetings", fmt.Sprintf("  phone_number = %q", numbers[1]))
		}
		addrs := []string{"daily_pinless_dialin_config.number", "daily_pinless_dialin_config.trunk", "daily_pin_dialin_config.meetings"}
		var identity []statecheck.StateCheck
		var imports []resource.TestStep
		for _, addr := range addrs {
			identity = append(identity, statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("id")))
			imports = append(imports, resource.TestStep{ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity})
		}
		same := sameString()
		kept := append(identity, statecheck.ExpectIdentity(addrs[0], map[string]knownvalue.Check{"id": same}))

		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{resourceIdentity},
			Steps: append(append([]resource.TestStep{
				{Config: config("https://hooks.example/v1"), ConfigStateChecks: kept},
				{Config: config("https://hooks.example/v2"), ConfigStateChecks: kept},
				{RefreshState: true},
			}, imports...), resource.TestStep{
				PreConfig: func() { deleteObject(t, store, client.PinlessDialin, numbers[0]) },
				Config:    config("https://hooks.example/v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addrs[0], plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: identity,
			}),
		})
	})
}
