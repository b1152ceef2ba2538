package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

func pinlessRouteConfig(providerConfig, number, webhook, extra string) string {
	return fmt.Sprintf(`%s
resource "daily_pinless_dialin_route" "main" {
  phone_number      = %q
  room_creation_api = %q
%s
}
`, providerConfig, number, webhook, extra)
}

func TestAccPinlessDialinRoute_lifecycle(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	emu := env.Dialin(t)
	numbers := env.Numbers(t, 2)
	mine, theirs := numbers[0], numbers[1]
	unmanaged := seedUnmanagedRoutes(t, emu, theirs)
	const addr = "daily_pinless_dialin_route.main"
	sameHMAC := statecheck.CompareValue(compare.ValuesSame())
	sameSIP := statecheck.CompareValue(compare.ValuesSame())

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: pinlessRouteConfig(env.ProviderConfig(), mine, "https://hooks.example/v1/call", `  name_prefix = "support"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(mine)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("sip_uri"), knownvalue.StringRegexp(regexp.MustCompile(`^.+$`))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("hmac"), knownvalue.StringRegexp(regexp.MustCompile(`^[A-Za-z0-9+/]+=*$`))),
					statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("hmac")),
					sameHMAC.AddStateValue(addr, tfjsonpath.New("hmac")),
					onlyIf(sipURIKept(env), sameSIP.AddStateValue(addr, tfjsonpath.New("sip_uri"))),
					checkEntry(emu, client.PinlessDialin, mine, map[string]any{"room_creation_api": "https://hooks.example/v1/call", "name_prefix": "support"}),
					checkUntouched(emu, client.PinlessDialin, unmanaged),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("hmac"), knownvalue.StringFunc(func(v string) error {
						// The state holds the secret Daily signs with.
						if m, _ := entryOf(emu, client.PinlessDialin, mine); m["hmac"] != v {
							return fmt.Errorf("state hmac differs from Daily's %v", m["hmac"])
						}
						return nil
					})),
				},
			},
			{
				// Re-applying the same configuration changes nothing.
				Config:           pinlessRouteConfig(env.ProviderConfig(), mine, "https://hooks.example/v1/call", `  name_prefix = "support"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// An update in place keeps the hmac (and, where Daily keeps it, the
				// sip_uri) and leaves the other route alone.
				Config: pinlessRouteConfig(env.ProviderConfig(), mine, "https://hooks.example/v2/call", `
  hold_music_url = "https://cdn.example/hold.mp3"
  timeout_config = { message = "Please call back later." }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameHMAC.AddStateValue(addr, tfjsonpath.New("hmac")),
					onlyIf(sipURIKept(env), sameSIP.AddStateValue(addr, tfjsonpath.New("sip_uri"))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name_prefix"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("timeout_config"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"message": knownvalue.StringExact("Please call back later."),
					})),
					checkEntry(emu, client.PinlessDialin, mine, map[string]any{
						"room_creation_api": "https://hooks.example/v2/call",
						"hold_music_url":    "https://cdn.example/hold.mp3",
						"timeout_config":    map[string]any{"message": "Please call back later."},
						"name_prefix":       nil,
					}),
					checkUntouched(emu, client.PinlessDialin, unmanaged),
				},
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     mine,
				ImportStateVerify: true,
			},
			{
				// Drift: the webhook is changed out of band; the plan puts it back.
				PreConfig: func() {
					emu.MutateDialinEntry(client.PinlessDialin, mine, func(e map[string]any) { e["room_creation_api"] = "https://attacker.example" })
				},
				Config: pinlessRouteConfig(env.ProviderConfig(), mine, "https://hooks.example/v2/call", `
  hold_music_url = "https://cdn.example/hold.mp3"
  timeout_config = { message = "Please call back later." }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{sameHMAC.AddStateValue(addr, tfjsonpath.New("hmac")), checkEntry(emu, client.PinlessDialin, mine, map[string]any{"room_creation_api": "https://hooks.example/v2/call"})},
			},
			{
				// Drift: the route is deleted out of band; the plan creates it again.
				PreConfig: func() {
					if err := setArray(emu, client.PinlessDialin, unmanaged); err != nil {
						t.Fatal(err)
					}
				},
				Config: pinlessRouteConfig(env.ProviderConfig(), mine, "https://hooks.example/v2/call", `
  hold_music_url = "https://cdn.example/hold.mp3"
  timeout_config = { message = "Please call back later." }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					checkArrayKeys(emu, client.PinlessDialin, mine, theirs),
					checkUntouched(emu, client.PinlessDialin, unmanaged),
					// The refresh that found the route gone kept its identity,
					// and the new route has the same.
					onIdentityCLI(statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{
						"phone_number": knownvalue.StringExact(mine), "name_prefix": knownvalue.Null(),
					})),
				},
			},
		},
		CheckDestroy: destroyed(
			checkArrayKeys(emu, client.PinlessDialin, theirs),
			checkUntouched(emu, client.PinlessDialin, unmanaged),
		),
	})
}

func TestAccPinlessDialinRoute_userHMACAndSIPOnly(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	emu := env.Dialin(t)
	number := env.Numbers(t, 1)[0]
	config := func(secret string) string {
		return fmt.Sprintf(`%s
resource "daily_pinless_dialin_route" "number" {
  phone_number      = %q
  room_creation_api = "https://hooks.example/call"
  hmac              = %q
}

resource "daily_pinless_dialin_route" "trunk" {
  name_prefix       = "pbx-trunk"
  room_creation_api = "https://hooks.example/sip"
}
`, env.ProviderConfig(), number, secret)
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config("Zmlyc3Qtc2VjcmV0"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("daily_pinless_dialin_route.trunk", tfjsonpath.New("id"), knownvalue.StringExact("sip:pbx-trunk")),
					statecheck.ExpectKnownValue("daily_pinless_dialin_route.trunk", tfjsonpath.New("phone_number"), knownvalue.Null()),
					checkEntry(emu, client.PinlessDialin, number, map[string]any{"hmac": "Zmlyc3Qtc2VjcmV0"}),
					checkEntry(emu, client.PinlessDialin, "sip:pbx-trunk", map[string]any{"room_creation_api": "https://hooks.example/sip"}),
				},
			},
			{
				// Rotating the secret on purpose is an update.
				Config: config("c2Vjb25kLXNlY3JldA=="),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("daily_pinless_dialin_route.number", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("daily_pinless_dialin_route.trunk", plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{checkEntry(emu, client.PinlessDialin, number, map[string]any{"hmac": "c2Vjb25kLXNlY3JldA=="})},
			},
			{
				// The state's sip_uri is from the trunk's last write: the
				// number's since may have minted it anew.
				ResourceName:            "daily_pinless_dialin_route.trunk",
				ImportState:             true,
				ImportStateId:           "sip:pbx-trunk",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: ignoredUnless(othersSipURIsKept(emu), "sip_uri"),
			},
		},
		CheckDestroy: destroyed(checkArrayKeys(emu, client.PinlessDialin)),
	})
}

func TestAccPinlessDialinRoute_errors(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	owned := env.Numbers(t, 1)[0]
	inPin := fmt.Sprintf(`%s
resource "daily_pin_dialin_route" "pin" {
  phone_number = %q
}
`, env.ProviderConfig(), owned)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      pinlessRouteConfig(env.ProviderConfig(), "4155550100", "https://hooks.example/call", ""),
				ExpectError: regexp.MustCompile(`(?s)phone_number.*E.164`),
			},
			{
				Config:      pinlessRouteConfig(env.ProviderConfig(), owned, "ftp://hooks.example/call", ""),
				ExpectError: regexp.MustCompile(`(?s)room_creation_api.*http`),
			},
			{
				Config:      pinlessRouteConfig(env.ProviderConfig(), owned, "https://hooks.example/call", `  hmac = "not base64!"`),
				ExpectError: regexp.MustCompile(`(?s)hmac.*base64`),
			},
			{
				Config:      pinlessRouteConfig(env.ProviderConfig(), owned, "https://hooks.example/call", `  hold_music_url = "hold.mp3"`),
				ExpectError: regexp.MustCompile(`(?s)hold_music_url.*http`),
			},
			{
				Config: env.ProviderConfig() + `
resource "daily_pinless_dialin_route" "main" {
  room_creation_api = "https://hooks.example/call"
}`,
				ExpectError: regexp.MustCompile(`(?s)phone_number.*name_prefix`),
			},
			{
				Config:      pinlessRouteConfig(env.ProviderConfig(), "+14155550999", "https://hooks.example/call", ""),
				ExpectError: errorPattern("HTTP 400 invalid-request-error:", "not associated with domain"),
			},
			{Config: inPin},
			{
				// The number already answers PIN calls: refused at plan time,
				// naming the other resource (whichever plans second).
				Config:      inPin + pinlessRouteConfig("", owned, "https://hooks.example/call", ""),
				ExpectError: errorPattern("Dial-in route declared twice", owned, "by another in this configuration: a daily_pin"),
			},
		},
	})
}

func TestAccPinlessDialinRoute_existingRouteMustBeImported(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	emu := env.Dialin(t)
	number := env.Numbers(t, 1)[0]
	unmanaged := seedUnmanagedRoutes(t, emu, number)
	adopted := map[string]any{
		"room_creation_api": "https://hooks.example/call",
		"hmac":              "dW5tYW5hZ2VkLXNlY3JldA==",
	}
	if env.Emu != nil {
		// Only the emulator's entry has an unknown field (see seedUnmanagedRoutes).
		adopted["x_added_by_support"] = map[string]any{"ticket": 0}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            pinlessRouteConfig(env.ProviderConfig(), number, "https://hooks.example/call", ""),
				ExpectError:       errorPattern("already has an entry for " + number + "; import it"),
				ConfigStateChecks: []statecheck.StateCheck{checkUntouched(emu, client.PinlessDialin, unmanaged)},
			},
			{
				// An import block adopts it; the next apply takes over the webhook, not the secret.
				Config: pinlessRouteConfig(env.ProviderConfig(), number, "https://hooks.example/call", "") + fmt.Sprintf(`
import {
  to = daily_pinless_dialin_route.main
  id = %q
}`, number),
				ConfigStateChecks: []statecheck.StateCheck{checkEntry(emu, client.PinlessDialin, number, adopted)},
			},
		},
	})
}
