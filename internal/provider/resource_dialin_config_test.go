package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// configHCL declares one config resource of type typ ("pinless_dialin" or
// "pin_dialin") named name, with attrs as its body.
func configHCL(typ, name, attrs string) string {
	return fmt.Sprintf("\nresource \"daily_%s_config\" %q {\n%s\n}\n", typ, name, attrs)
}

// stateID reads a resource's id from the state, for import steps.
func stateID(address string) resource.ImportStateIdFunc {
	return func(s *terraform.State) (string, error) {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return "", fmt.Errorf("%s is not in the state", address)
		}
		return rs.Primary.ID, nil
	}
}

var anyID = knownvalue.StringRegexp(regexp.MustCompile(`^\S+$`))

func TestAccPinlessDialinConfig_lifecycle(t *testing.T) {
	t.Parallel()
	forEachStoreReading(t, testPinlessDialinConfigLifecycle)
}

func testPinlessDialinConfigLifecycle(t *testing.T, env *accEnv) {
	arrays, store := env.Dialin(t), env.Objects(t)
	numbers := env.Numbers(t, 3)
	mine, theirs, other := numbers[0], numbers[1], numbers[2]
	seedUnmanagedRoutes(t, arrays, theirs)
	seedObject(t, store, client.PinlessDialin, fmt.Sprintf(`{"phone_number":%q,"room_creation_api":"https://unmanaged.example/object","hmac":"b2JqZWN0LXNlY3JldA=="}`, other))
	_, listed := objectByKey(t, store, client.PinlessDialin, theirs)
	predict(t, env, "an array route listed as an object", "GET /domain-dialin-config lists the array's route as an object",
		"it does not", listed)
	unmanagedEntries, unmanagedObjects := arrays.DialinArray(client.PinlessDialin), store.DialinConfigs()
	untouched := []statecheck.StateCheck{
		checkUntouched(arrays, client.PinlessDialin, unmanagedEntries),
		checkObjectsUntouched(store, unmanagedObjects),
	}

	const addr = "daily_pinless_dialin_config.main"
	config := func(body string) string {
		return env.ProviderConfig() + configHCL("pinless_dialin", "main", fmt.Sprintf("  phone_number = %q\n%s", mine, body))
	}
	created := config(`  room_creation_api = "https://hooks.example/v1/call"
  name_prefix       = "support"
  timeout_config    = { message = "Please call back later." }`)
	updated := config(`  room_creation_api = "https://hooks.example/v2/call"
  hold_music_url    = "https://cdn.example/hold.mp3"`)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	sameHMAC := statecheck.CompareValue(compare.ValuesSame())
	sameSIP := statecheck.CompareValue(compare.ValuesSame())
	hmacAtDaily := statecheck.ExpectKnownValue(addr, tfjsonpath.New("hmac"), knownvalue.StringFunc(func(v string) error {
		if o, _ := objectByKey(t, store, client.PinlessDialin, mine); o.text("hmac") != v {
			return fmt.Errorf("the state's hmac differs from Daily's %q", o.text("hmac"))
		}
		return nil
	}))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: created,
				ConfigStateChecks: append([]statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), anyID),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("sip_uri"), anyID),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("hmac"), knownvalue.StringRegexp(regexp.MustCompile(`^[A-Za-z0-9+/]+=*$`))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("deletion_protection"), knownvalue.Bool(false)),
					statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("hmac")),
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
					sameHMAC.AddStateValue(addr, tfjsonpath.New("hmac")),
					sameSIP.AddStateValue(addr, tfjsonpath.New("sip_uri")),
					hmacAtDaily,
					checkObject(t, store, client.PinlessDialin, mine, map[string]any{
						"room_creation_api": "https://hooks.example/v1/call",
						"name_prefix":       "support",
						"timeout_config":    map[string]any{"message": "Please call back later."},
					}),
					emuCheck(func() error {
						predict(t, env, "a config object created", "the pinless_dialin array (GET /) now shows its entry", "it does not",
							inArray(arrays, client.PinlessDialin, mine))
						return nil
					}),
				}, untouched...),
			},
			{
				Config:           created,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// In place: a cleared field is cleared at Daily; the id, the
				// secret and (minted once) the SIP URI stay.
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("sip_uri")),
				}},
				ConfigStateChecks: append([]statecheck.StateCheck{
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
					sameHMAC.AddStateValue(addr, tfjsonpath.New("hmac")),
					// Whether Daily mints a new one on a PUT is a reading of its own
					// (TestAccPinlessDialinConfig_sipURIMintedOnChange), logged live.
					env.onEmulator(sameSIP.AddStateValue(addr, tfjsonpath.New("sip_uri"))),
					hmacAtDaily,
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name_prefix"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("timeout_config"), knownvalue.Null()),
					checkObject(t, store, client.PinlessDialin, mine, map[string]any{
						"room_creation_api": "https://hooks.example/v2/call",
						"hold_music_url":    "https://cdn.example/hold.mp3",
						"name_prefix":       nil,
						"timeout_config":    nil,
					}),
				}, untouched...),
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateIdFunc: stateID(addr),
				ImportStateVerify: true,
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     mine,
				ImportStateVerify: true,
			},
			{
				// Drift: the webhook is changed out of band (the secret kept);
				// the plan puts it back, and the secret stays.
				PreConfig: func() {
					editObject(t, store, client.PinlessDialin, mine, map[string]any{"room_creation_api": "https://attacker.example/hook"})
				},
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: append([]statecheck.StateCheck{
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
					sameHMAC.AddStateValue(addr, tfjsonpath.New("hmac")),
					hmacAtDaily,
					checkObject(t, store, client.PinlessDialin, mine, map[string]any{"room_creation_api": "https://hooks.example/v2/call"}),
				}, untouched...),
			},
			{
				// Drift: the object is deleted out of band; the plan makes it again.
				PreConfig: func() { deleteObject(t, store, client.PinlessDialin, mine) },
				Config:    updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: append([]statecheck.StateCheck{
					hmacAtDaily,
					checkObject(t, store, client.PinlessDialin, mine, map[string]any{"room_creation_api": "https://hooks.example/v2/call"}),
					onIdentityCLI(statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("id"))),
				}, untouched...),
			},
		},
		CheckDestroy: destroyed(
			checkObjectsUntouched(store, unmanagedObjects),
			checkUntouched(arrays, client.PinlessDialin, unmanagedEntries),
			checkObjectKeys(t, store, client.PinlessDialin, keysOfObjects(t, store, client.PinlessDialin, unmanagedObjects)...),
		),
	})
}

func TestAccPinDialinConfig_lifecycle(t *testing.T) {
	t.Parallel()
	forEachStoreReading(t, func(t *testing.T, env *accEnv) {
		arrays, store := env.Dialin(t), env.Objects(t)
		numbers := env.Numbers(t, 2)
		mine, theirs := numbers[0], numbers[1]
		if err := arrays.SetDialinArray(client.PinDialin, []json.RawMessage{
			json.RawMessage(fmt.Sprintf(`{"phone_number":%q,"name_prefix":"unmanaged"}`, theirs)),
		}); err != nil {
			t.Fatal(err)
		}
		unmanaged, unmanagedObjects := arrays.DialinArray(client.PinDialin), store.DialinConfigs()
		const addr = "daily_pin_dialin_config.main"
		config := func(body string) string {
			return env.ProviderConfig() + configHCL("pin_dialin", "main", fmt.Sprintf("  phone_number = %q\n%s", mine, body))
		}
		created := config(`  name_prefix  = "meetings"
  ivr_greeting = { message = "Welcome." }`)
		updated := config(`  name_prefix = "all-hands"`)
		sameID := statecheck.CompareValue(compare.ValuesSame())
		untouched := []statecheck.StateCheck{checkUntouched(arrays, client.PinDialin, unmanaged), checkObjectsUntouched(store, unmanagedObjects)}

		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					Config: created,
					ConfigStateChecks: append([]statecheck.StateCheck{
						sameID.AddStateValue(addr, tfjsonpath.New("id")),
						checkObject(t, store, client.PinDialin, mine, map[string]any{"name_prefix": "meetings", "ivr_greeting": map[string]any{"message": "Welcome."}}),
					}, untouched...),
				},
				{Config: created, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
				{
					Config: updated,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					}},
					ConfigStateChecks: append([]statecheck.StateCheck{
						sameID.AddStateValue(addr, tfjsonpath.New("id")),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("ivr_greeting"), knownvalue.Null()),
						checkObject(t, store, client.PinDialin, mine, map[string]any{"name_prefix": "all-hands", "ivr_greeting": nil}),
					}, untouched...),
				},
				{ResourceName: addr, ImportState: true, ImportStateIdFunc: stateID(addr), ImportStateVerify: true},
				{ResourceName: addr, ImportState: true, ImportStateId: mine, ImportStateVerify: true},
				{
					PreConfig: func() { editObject(t, store, client.PinDialin, mine, map[string]any{"name_prefix": "hijacked"}) },
					Config:    updated,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					}},
					ConfigStateChecks: []statecheck.StateCheck{checkObject(t, store, client.PinDialin, mine, map[string]any{"name_prefix": "all-hands"})},
				},
				{
					PreConfig: func() { deleteObject(t, store, client.PinDialin, mine) },
					Config:    updated,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					}},
					ConfigStateChecks: append([]statecheck.StateCheck{
						checkObject(t, store, client.PinDialin, mine, map[string]any{"name_prefix": "all-hands"}),
					}, untouched...),
				},
			},
			CheckDestroy: destroyed(checkObjectsUntouched(store, unmanagedObjects), checkUntouched(arrays, client.PinDialin, unmanaged),
				checkObjectKeys(t, store, client.PinDialin, keysOfObjects(t, store, client.PinDialin, unmanagedObjects)...)),
		})
	})
}

// keysOfObjects are the keys of the objects of type typ among raws, as the
// store lists them.
func keysOfObjects(t *testing.T, store objectStore, typ string, raws []json.RawMessage) []string {
	t.Helper()
	var keys []string
	for _, o := range objectsIn(t, store, typ) {
		if slices.ContainsFunc(raws, func(r json.RawMessage) bool { return bytes.Equal(r, o.raw) }) {
			keys = append(keys, o.key())
		}
	}
	return keys
}

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

func TestAccPinlessDialinConfig_writeOnlyHMAC(t *testing.T) {
	t.Parallel()
	forEachStoreReading(t, func(t *testing.T, env *accEnv) {
		store := env.Objects(t)
		mine := env.Numbers(t, 1)[0]
		const addr = "daily_pinless_dialin_config.main"
		const first, second, third = "Zmlyc3Qtd28tc2VjcmV0", "c2Vjb25kLXdvLXNlY3JldA==", "dGhpcmQtd28tc2VjcmV0"
		config := func(secret string, version int) string {
			body := fmt.Sprintf("  phone_number = %q\n  room_creation_api = \"https://hooks.example/call\"", mine)
			if secret != "" {
				body += fmt.Sprintf("\n  hmac_wo = %q\n  hmac_wo_version = %d", secret, version)
			}
			return env.ProviderConfig() + configHCL("pinless_dialin", "main", body)
		}
		sameID := statecheck.CompareValue(compare.ValuesSame())

		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{writeOnlyAttributes},
			Steps: []resource.TestStep{
				{
					Config:      config(first, 1) + "\n# hmac too\n" + configHCL("pinless_dialin", "both", fmt.Sprintf("  name_prefix = \"x\"\n  room_creation_api = \"https://hooks.example/call\"\n  hmac = %q\n  hmac_wo = %q\n  hmac_wo_version = 1", first, first)),
					ExpectError: errorPattern(`Attribute "hmac" cannot be specified when "hmac_wo" is specified`),
				},
				{
					Config: config(first, 1),
					ConfigStateChecks: []statecheck.StateCheck{
						sameID.AddStateValue(addr, tfjsonpath.New("id")),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("hmac"), knownvalue.Null()),
						stateLacks{first},
						checkObject(t, store, client.PinlessDialin, mine, map[string]any{"hmac": first}),
					},
				},
				{
					// A new value without a new version is invisible to Terraform.
					Config:            config(second, 1),
					ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					ConfigStateChecks: []statecheck.StateCheck{checkObject(t, store, client.PinlessDialin, mine, map[string]any{"hmac": first})},
				},
				{
					Config: config(second, 2),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					}},
					ConfigStateChecks: []statecheck.StateCheck{
						sameID.AddStateValue(addr, tfjsonpath.New("id")),
						stateLacks{first, second},
						checkObject(t, store, client.PinlessDialin, mine, map[string]any{"hmac": second}),
					},
				},
				{
					// Back to a secret Daily keeps: the current one stays and is read into hmac.
					Config: config("", 0),
					ConfigStateChecks: []statecheck.StateCheck{
						sameID.AddStateValue(addr, tfjsonpath.New("id")),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("hmac"), knownvalue.StringExact(second)),
						checkObject(t, store, client.PinlessDialin, mine, map[string]any{"hmac": second}),
					},
				},
				{
					Config: config(third, 1),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("hmac"), knownvalue.Null()),
						stateLacks{third},
						checkObject(t, store, client.PinlessDialin, mine, map[string]any{"hmac": third}),
					},
				},
				{
					ResourceName:            addr,
					ImportState:             true,
					ImportStateId:           mine,
					ImportStateVerify:       true,
					ImportStateVerifyIgnore: []string{"hmac", "hmac_wo_version"},
				},
				{
					// Deleted out of band, it is made again with the secret.
					PreConfig: func() { deleteObject(t, store, client.PinlessDialin, mine) },
					Config:    config(third, 1),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					}},
					ConfigStateChecks: []statecheck.StateCheck{checkObject(t, store, client.PinlessDialin, mine, map[string]any{"hmac": third})},
				},
			},
			CheckDestroy: destroyed(checkObjectKeys(t, store, client.PinlessDialin)),
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
