package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// exclusiveConfig declares resource typ "all" with these routes, each given
// as the HCL of its object, and extra attributes.
func exclusiveConfig(providerConfig, typ string, routes map[string]string, extra string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nresource %q \"all\" {\n  routes = {\n", providerConfig, typ)
	for key, route := range routes {
		fmt.Fprintf(&b, "    %q = %s\n", key, route)
	}
	b.WriteString("  }\n" + extra + "\n}\n")
	return b.String()
}

// Elements of the routes map added, changed and removed in place: a new
// element's computed attributes are unknown until applied, the others keep
// theirs.
func TestAccPinlessDialin_mapElements(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	emu := env.Dialin(t)
	numbers := env.Numbers(t, 2)
	first, second := numbers[0], numbers[1]
	const addr = "daily_pinless_dialin.all"
	hmacs, sipURIs := tfjsonpath.New("hmacs"), tfjsonpath.New("sip_uris")
	firstHMAC := statecheck.CompareValue(compare.ValuesSame())
	secondHMAC := statecheck.CompareValue(compare.ValuesSame())
	config := func(routes map[string]string, extra ...string) string {
		return exclusiveConfig(env.ProviderConfig(), "daily_pinless_dialin", routes, strings.Join(extra, "\n"))
	}
	const userHMAC, otherHMAC = "dXNlci1jaG9zZW4tc2VjcmV0", "b3RoZXItc2VjcmV0"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(map[string]string{first: `{ room_creation_api = "https://hooks.example/a" }`}),
				ConfigStateChecks: []statecheck.StateCheck{
					firstHMAC.AddStateValue(addr, hmacs.AtMapKey(first)),
				},
			},
			{
				// Add an element.
				Config: config(map[string]string{
					first:  `{ room_creation_api = "https://hooks.example/a" }`,
					second: `{ room_creation_api = "https://hooks.example/b" }`,
				}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					// Daily may mint every sip_uri anew on a write of the array.
					plancheck.ExpectUnknownValue(addr, sipURIs),
					plancheck.ExpectUnknownValue(addr, hmacs.AtMapKey(second)),
					plancheck.ExpectSensitiveValue(addr, hmacs),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					firstHMAC.AddStateValue(addr, hmacs.AtMapKey(first)),
					secondHMAC.AddStateValue(addr, hmacs.AtMapKey(second)),
					statecheck.ExpectKnownValue(addr, sipURIs.AtMapKey(second), knownvalue.StringRegexp(regexp.MustCompile(`^.+$`))),
					checkArrayKeys(emu, client.PinlessDialin, first, second),
				},
			},
			{
				// Change an element; the other keeps its secret.
				Config: config(map[string]string{
					first:  `{ room_creation_api = "https://hooks.example/a2", name_prefix = "sales" }`,
					second: `{ room_creation_api = "https://hooks.example/b" }`,
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					firstHMAC.AddStateValue(addr, hmacs.AtMapKey(first)),
					secondHMAC.AddStateValue(addr, hmacs.AtMapKey(second)),
					checkEntry(emu, client.PinlessDialin, first, map[string]any{"room_creation_api": "https://hooks.example/a2", "name_prefix": "sales"}),
				},
			},
			{
				// Remove an element.
				Config: config(map[string]string{second: `{ room_creation_api = "https://hooks.example/b" }`}),
				ConfigStateChecks: []statecheck.StateCheck{
					secondHMAC.AddStateValue(addr, hmacs.AtMapKey(second)),
					checkArrayKeys(emu, client.PinlessDialin, second),
				},
			},
			{
				// Secrets set by the user must match the routes.
				Config: config(map[string]string{
					first:  `{ room_creation_api = "https://hooks.example/a" }`,
					second: `{ room_creation_api = "https://hooks.example/b" }`,
				}, fmt.Sprintf("  hmacs = { %q = %q }", first, userHMAC)),
				ExpectError: errorPattern("Secrets do not match the routes", "Routes without one: "+second, "Secrets without a route: none"),
			},
			{
				// Add one back, the user choosing both secrets.
				Config: config(map[string]string{
					first:  `{ room_creation_api = "https://hooks.example/a" }`,
					second: `{ room_creation_api = "https://hooks.example/b" }`,
				}, fmt.Sprintf("  hmacs = { %q = %q, %q = %q }", first, userHMAC, second, otherHMAC)),
				ConfigStateChecks: []statecheck.StateCheck{
					checkEntry(emu, client.PinlessDialin, first, map[string]any{"hmac": userHMAC}),
					checkEntry(emu, client.PinlessDialin, second, map[string]any{"hmac": otherHMAC}),
				},
			},
			{
				// Dropping the secrets from the configuration keeps them.
				Config: config(map[string]string{
					first:  `{ room_creation_api = "https://hooks.example/a" }`,
					second: `{ room_creation_api = "https://hooks.example/b" }`,
				}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, hmacs, knownvalue.MapExact(map[string]knownvalue.Check{
						first: knownvalue.StringExact(userHMAC), second: knownvalue.StringExact(otherHMAC),
					})),
					checkEntry(emu, client.PinlessDialin, first, map[string]any{"hmac": userHMAC}),
				},
			},
			{ResourceName: addr, ImportState: true, ImportStateId: client.PinlessDialin, ImportStateVerify: true},
		},
		CheckDestroy: destroyed(checkArrayKeys(emu, client.PinlessDialin)),
	})
}

func TestAccPinDialin_mapElements(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	emu := env.Dialin(t)
	numbers := env.Numbers(t, 2)
	first, second := numbers[0], numbers[1]
	config := func(routes map[string]string) string {
		return exclusiveConfig(env.ProviderConfig(), "daily_pin_dialin", routes, "")
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config(map[string]string{first: `{ name_prefix = "board" }`})},
			{
				Config: config(map[string]string{
					first:  `{ name_prefix = "board" }`,
					second: `{ ivr_greeting = { message = "Enter your PIN." } }`,
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					checkArrayKeys(emu, client.PinDialin, first, second),
					checkEntry(emu, client.PinDialin, second, map[string]any{"ivr_greeting": map[string]any{"message": "Enter your PIN."}}),
				},
			},
			{
				Config: config(map[string]string{second: `{ ivr_greeting = { message = "Welcome." } }`}),
				ConfigStateChecks: []statecheck.StateCheck{
					checkArrayKeys(emu, client.PinDialin, second),
					checkEntry(emu, client.PinDialin, second, map[string]any{"ivr_greeting": map[string]any{"message": "Welcome."}}),
				},
			},
		},
		CheckDestroy: destroyed(checkArrayKeys(emu, client.PinDialin)),
	})
}

// A SIP-only route's key names its name_prefix, so the configuration may
// leave name_prefix out, or set it to the same value.
func TestAccPinlessDialin_sipRouteKeyedByPrefix(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	emu := env.Dialin(t)
	const addr = "daily_pinless_dialin.all"
	config := func(routes map[string]string) string {
		return exclusiveConfig(env.ProviderConfig(), "daily_pinless_dialin", routes, "")
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(map[string]string{"sip:office-pbx": `{ room_creation_api = "https://hooks.example/sip" }`}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("routes").AtMapKey("sip:office-pbx").AtMapKey("name_prefix"), knownvalue.Null()),
					checkEntry(emu, client.PinlessDialin, "sip:office-pbx", map[string]any{"name_prefix": "office-pbx", "room_creation_api": "https://hooks.example/sip"}),
				},
			},
			{
				Config: config(map[string]string{
					"sip:office-pbx": `{ room_creation_api = "https://hooks.example/sip" }`,
					"sip:lab":        `{ room_creation_api = "https://hooks.example/lab", name_prefix = "lab" }`,
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("routes").AtMapKey("sip:lab").AtMapKey("name_prefix"), knownvalue.StringExact("lab")),
					checkArrayKeys(emu, client.PinlessDialin, "sip:office-pbx", "sip:lab"),
				},
			},
		},
		CheckDestroy: destroyed(checkArrayKeys(emu, client.PinlessDialin)),
	})
}
