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

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

func TestAccPinlessDialin_exclusive(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	emu := env.Dialin(t)
	numbers := env.Numbers(t, 3)
	kept, dropped, added := numbers[0], numbers[1], numbers[2]
	existing := seedUnmanagedRoutes(t, emu, kept, dropped)
	const addr = "daily_pinless_dialin.all"
	config := func(routes string) string {
		return fmt.Sprintf(`%s
resource "daily_pinless_dialin" "all" {
  routes = {
%s
  }
}
`, env.ProviderConfig(), routes)
	}
	// The existing route for `kept`, declared as it is: adopted without churn.
	keptRoute := fmt.Sprintf(`    %q = { room_creation_api = "https://unmanaged.example/hook" }`, kept)
	addedRoute := fmt.Sprintf(`    %q = { room_creation_api = "https://hooks.example/new", name_prefix = "sales" }`, added)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config(`    "sip:trunk" = { room_creation_api = "https://hooks.example/sip", name_prefix = "other" }`),
				ExpectError: regexp.MustCompile(`name_prefix contradicts the route key`),
			},
			{
				Config:      config(`    "12345" = { room_creation_api = "https://hooks.example/sip" }`),
				ExpectError: regexp.MustCompile(`(?s)routes.*E.164`),
			},
			{
				Config: config(keptRoute + "\n" + addedRoute),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("hmacs").AtMapKey(kept), knownvalue.StringExact("dW5tYW5hZ2VkLXNlY3JldA==")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("sip_uris").AtMapKey(added), knownvalue.StringRegexp(regexp.MustCompile(`^.+$`))),
					checkArrayKeys(emu, client.PinlessDialin, kept, added),
					// Adopted byte for byte: its hmac, sip_uri and unknown fields stay.
					checkUntouched(emu, client.PinlessDialin, existing[:1]),
				},
			},
			{
				Config:           config(keptRoute + "\n" + addedRoute),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     client.PinlessDialin,
				ImportStateVerify: true,
			},
			{
				// Drift: a route added out of band is removed by the next apply.
				PreConfig: func() {
					current := emu.DialinArray(client.PinlessDialin)
					stray := json.RawMessage(fmt.Sprintf(`{"phone_number":%q,"room_creation_api":"https://stray.example"}`, dropped))
					if err := setArray(emu, client.PinlessDialin, append(current, stray)); err != nil {
						t.Fatal(err)
					}
				},
				Config: config(keptRoute + "\n" + addedRoute),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{checkArrayKeys(emu, client.PinlessDialin, kept, added)},
			},
			{
				// An update of one route keeps the others byte for byte.
				Config: config(keptRoute + "\n" + fmt.Sprintf(`    %q = { room_creation_api = "https://hooks.example/changed" }`, added)),
				ConfigStateChecks: []statecheck.StateCheck{
					checkUntouched(emu, client.PinlessDialin, existing[:1]),
					checkEntry(emu, client.PinlessDialin, added, map[string]any{"room_creation_api": "https://hooks.example/changed", "name_prefix": nil}),
				},
			},
		},
		CheckDestroy: destroyed(checkArrayKeys(emu, client.PinlessDialin)),
	})
}

func TestAccPinDialin(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	emu := env.Dialin(t)
	numbers := env.Numbers(t, 3)
	routeConfig := func(greeting string) string {
		return fmt.Sprintf(`%s
resource "daily_pin_dialin_route" "main" {
  phone_number = %q
  name_prefix  = "board"
  ivr_greeting = { message = %q }
}

data "daily_pin_dialin" "all" {
  depends_on = [daily_pin_dialin_route.main]
}
`, env.ProviderConfig(), numbers[0], greeting)
	}
	const addr = "daily_pin_dialin_route.main"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					if err := setArray(emu, client.PinDialin, []json.RawMessage{json.RawMessage(fmt.Sprintf(`{"phone_number":%q}`, numbers[1]))}); err != nil {
						t.Fatal(err)
					}
				},
				Config: routeConfig("Welcome to the board call."),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.daily_pin_dialin.all", tfjsonpath.New("routes").AtMapKey(numbers[0]).AtMapKey("name_prefix"), knownvalue.StringExact("board")),
					statecheck.ExpectKnownValue("data.daily_pin_dialin.all", tfjsonpath.New("routes"), knownvalue.MapSizeExact(2)),
					checkArrayKeys(emu, client.PinDialin, numbers[0], numbers[1]),
					checkEntry(emu, client.PinDialin, numbers[0], map[string]any{"ivr_greeting": map[string]any{"message": "Welcome to the board call."}}),
				},
			},
			{
				Config:           routeConfig("Welcome to the board call."),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: routeConfig("Enter your PIN."),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{checkEntry(emu, client.PinDialin, numbers[0], map[string]any{"ivr_greeting": map[string]any{"message": "Enter your PIN."}})},
			},
			{ResourceName: addr, ImportState: true, ImportStateId: numbers[0], ImportStateVerify: true},
			{
				PreConfig: func() {
					emu.MutateDialinEntry(client.PinDialin, numbers[0], func(e map[string]any) { delete(e, "name_prefix") })
				},
				Config: routeConfig("Enter your PIN."),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{checkEntry(emu, client.PinDialin, numbers[0], map[string]any{"name_prefix": "board"})},
			},
			{
				// Route resources and the exclusive resource never share an apply.
				Config:            env.ProviderConfig(),
				ConfigStateChecks: []statecheck.StateCheck{checkArrayKeys(emu, client.PinDialin, numbers[1])},
			},
			{
				// The exclusive resource takes the array over: it holds exactly these.
				Config: fmt.Sprintf(`%s
resource "daily_pin_dialin" "all" {
  routes = {
    %q = { name_prefix = "board" }
    %q = {}
  }
}
`, env.ProviderConfig(), numbers[0], numbers[2]),
				ConfigStateChecks: []statecheck.StateCheck{checkArrayKeys(emu, client.PinDialin, numbers[0], numbers[2])},
			},
			{ResourceName: "daily_pin_dialin.all", ImportState: true, ImportStateId: client.PinDialin, ImportStateVerify: true},
		},
		CheckDestroy: destroyed(checkArrayKeys(emu, client.PinDialin)),
	})
}

// Route keys usually come from numbers bought in the same apply, so they are
// unknown at plan time.
func TestAccDialin_numbersBoughtInTheSameApply(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireBuying(t)
	emu := env.Dialin(t)

	env.RunBuyingTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.ProviderConfig() + `
resource "daily_phone_number" "pinless" {}
resource "daily_phone_number" "pin" {}

resource "daily_pinless_dialin" "all" {
  routes = {
    (daily_phone_number.pinless.number) = { room_creation_api = "https://hooks.example/call" }
  }
}

resource "daily_pin_dialin_route" "board" {
  phone_number = daily_phone_number.pin.number
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("daily_pinless_dialin.all", tfjsonpath.New("routes"), knownvalue.MapSizeExact(1)),
				emuCheck(func() error {
					bought := append(keysOf(emu, client.PinlessDialin), keysOf(emu, client.PinDialin)...)
					if len(bought) != 2 || bought[0] == bought[1] || !nanpPattern.MatchString(bought[0]) || !nanpPattern.MatchString(bought[1]) {
						return fmt.Errorf("want one pinless and one PIN route on the two bought numbers, have %v", bought)
					}
					return nil
				}),
			},
			Check: env.PassReleaseHold(),
		}},
		CheckDestroy: resource.ComposeTestCheckFunc(
			destroyed(checkArrayKeys(emu, client.PinlessDialin), checkArrayKeys(emu, client.PinDialin)),
			env.CheckPhoneNumbersReleased(t),
		),
	})
}
