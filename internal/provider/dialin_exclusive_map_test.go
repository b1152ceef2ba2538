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
// as the HCL of its object.
func exclusiveConfig(providerConfig, typ string, routes map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nresource %q \"all\" {\n  routes = {\n", providerConfig, typ)
	for key, route := range routes {
		fmt.Fprintf(&b, "    %q = %s\n", key, route)
	}
	b.WriteString("  }\n}\n")
	return b.String()
}

// Elements of the routes map added, changed and removed in place: a new
// element's computed attributes are unknown until applied, the others keep
// theirs.
func TestAccPinlessDialin_mapElements(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	emu := env.Dialin(t)
	numbers := env.Numbers(t, 700, 2)
	first, second := numbers[0], numbers[1]
	const addr = "daily_pinless_dialin.all"
	routes := tfjsonpath.New("routes")
	firstHMAC := statecheck.CompareValue(compare.ValuesSame())
	secondHMAC := statecheck.CompareValue(compare.ValuesSame())
	config := func(routes map[string]string) string {
		return exclusiveConfig(env.ProviderConfig(), "daily_pinless_dialin", routes)
	}
	const userHMAC = "dXNlci1jaG9zZW4tc2VjcmV0"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(map[string]string{first: `{ room_creation_api = "https://hooks.example/a" }`}),
				ConfigStateChecks: []statecheck.StateCheck{
					firstHMAC.AddStateValue(addr, routes.AtMapKey(first).AtMapKey("hmac")),
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
					plancheck.ExpectUnknownValue(addr, routes.AtMapKey(second).AtMapKey("sip_uri")),
					plancheck.ExpectKnownValue(addr, routes.AtMapKey(first).AtMapKey("sip_uri"), knownvalue.StringRegexp(regexp.MustCompile(`^sip:`))),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					firstHMAC.AddStateValue(addr, routes.AtMapKey(first).AtMapKey("hmac")),
					secondHMAC.AddStateValue(addr, routes.AtMapKey(second).AtMapKey("hmac")),
					statecheck.ExpectKnownValue(addr, routes.AtMapKey(second).AtMapKey("sip_uri"), knownvalue.StringRegexp(regexp.MustCompile(`^sip:`))),
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
					firstHMAC.AddStateValue(addr, routes.AtMapKey(first).AtMapKey("hmac")),
					secondHMAC.AddStateValue(addr, routes.AtMapKey(second).AtMapKey("hmac")),
					checkEntry(emu, client.PinlessDialin, first, map[string]any{"room_creation_api": "https://hooks.example/a2", "name_prefix": "sales"}),
				},
			},
			{
				// Remove an element.
				Config: config(map[string]string{second: `{ room_creation_api = "https://hooks.example/b" }`}),
				ConfigStateChecks: []statecheck.StateCheck{
					secondHMAC.AddStateValue(addr, routes.AtMapKey(second).AtMapKey("hmac")),
					checkArrayKeys(emu, client.PinlessDialin, second),
				},
			},
			{
				// Add one back with a secret of the user's.
				Config: config(map[string]string{
					first:  fmt.Sprintf(`{ room_creation_api = "https://hooks.example/a", hmac = %q }`, userHMAC),
					second: `{ room_creation_api = "https://hooks.example/b" }`,
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					secondHMAC.AddStateValue(addr, routes.AtMapKey(second).AtMapKey("hmac")),
					checkEntry(emu, client.PinlessDialin, first, map[string]any{"hmac": userHMAC}),
				},
			},
			{
				// Dropping the secret from the configuration keeps it.
				Config: config(map[string]string{
					first:  `{ room_creation_api = "https://hooks.example/a" }`,
					second: `{ room_creation_api = "https://hooks.example/b" }`,
				}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					checkEntry(emu, client.PinlessDialin, first, map[string]any{"hmac": userHMAC}),
				},
			},
		},
		CheckDestroy: destroyed(checkArrayKeys(emu, client.PinlessDialin)),
	})
}

func TestAccPinDialin_mapElements(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	emu := env.Dialin(t)
	numbers := env.Numbers(t, 710, 2)
	first, second := numbers[0], numbers[1]
	config := func(routes map[string]string) string {
		return exclusiveConfig(env.ProviderConfig(), "daily_pin_dialin", routes)
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
