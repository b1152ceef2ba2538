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
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
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
	env.RequireEmulator(t)
	emu := env.Emu
	numbers := seedNumbers(emu, 0, 2)
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
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("sip_uri"), knownvalue.StringRegexp(regexp.MustCompile(`^sip:`))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("hmac"), knownvalue.StringRegexp(regexp.MustCompile(`^[A-Za-z0-9+/]+=*$`))),
					statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("hmac")),
					sameHMAC.AddStateValue(addr, tfjsonpath.New("hmac")),
					sameSIP.AddStateValue(addr, tfjsonpath.New("sip_uri")),
				},
				Check: resource.ComposeTestCheckFunc(
					checkEntry(emu, client.PinlessDialin, mine, map[string]any{"room_creation_api": "https://hooks.example/v1/call", "name_prefix": "support"}),
					checkUntouched(emu, client.PinlessDialin, unmanaged),
					checkStateMatchesEmulatorHMAC(emu, addr, mine),
				),
			},
			{
				// Re-applying the same configuration changes nothing.
				Config:           pinlessRouteConfig(env.ProviderConfig(), mine, "https://hooks.example/v1/call", `  name_prefix = "support"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// An update in place keeps the hmac and sip_uri and leaves the other route alone.
				Config: pinlessRouteConfig(env.ProviderConfig(), mine, "https://hooks.example/v2/call", `
  hold_music_url = "https://cdn.example/hold.mp3"
  timeout_config = { message = "Please call back later." }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameHMAC.AddStateValue(addr, tfjsonpath.New("hmac")),
					sameSIP.AddStateValue(addr, tfjsonpath.New("sip_uri")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name_prefix"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("timeout_config"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"message": knownvalue.StringExact("Please call back later."),
					})),
				},
				Check: resource.ComposeTestCheckFunc(
					checkEntry(emu, client.PinlessDialin, mine, map[string]any{
						"room_creation_api": "https://hooks.example/v2/call",
						"hold_music_url":    "https://cdn.example/hold.mp3",
						"timeout_config":    map[string]any{"message": "Please call back later."},
						"name_prefix":       nil,
					}),
					checkUntouched(emu, client.PinlessDialin, unmanaged),
				),
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
				ConfigStateChecks: []statecheck.StateCheck{sameHMAC.AddStateValue(addr, tfjsonpath.New("hmac"))},
				Check:             checkEntry(emu, client.PinlessDialin, mine, map[string]any{"room_creation_api": "https://hooks.example/v2/call"}),
			},
			{
				// Drift: the route is deleted out of band; the plan creates it again.
				PreConfig: func() {
					if err := emu.SetDialinArray(client.PinlessDialin, unmanaged); err != nil {
						t.Fatal(err)
					}
				},
				Config: pinlessRouteConfig(env.ProviderConfig(), mine, "https://hooks.example/v2/call", `
  hold_music_url = "https://cdn.example/hold.mp3"
  timeout_config = { message = "Please call back later." }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					checkArrayKeys(emu, client.PinlessDialin, mine, theirs),
					checkUntouched(emu, client.PinlessDialin, unmanaged),
				),
			},
		},
		CheckDestroy: resource.ComposeTestCheckFunc(
			checkArrayKeys(emu, client.PinlessDialin, theirs),
			checkUntouched(emu, client.PinlessDialin, unmanaged),
		),
	})
}

// checkStateMatchesEmulatorHMAC proves the state holds the secret Daily uses.
func checkStateMatchesEmulatorHMAC(emu *emulator.Emulator, addr, key string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		m, ok := entryOf(emu, client.PinlessDialin, key)
		if !ok {
			return fmt.Errorf("no entry for %s", key)
		}
		return resource.TestCheckResourceAttr(addr, "hmac", fmt.Sprint(m["hmac"]))(s)
	}
}

func TestAccPinlessDialinRoute_userHMACAndSIPOnly(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	emu := env.Emu
	number := seedNumbers(emu, 10, 1)[0]
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
				},
				Check: resource.ComposeTestCheckFunc(
					checkEntry(emu, client.PinlessDialin, number, map[string]any{"hmac": "Zmlyc3Qtc2VjcmV0"}),
					checkEntry(emu, client.PinlessDialin, "sip:pbx-trunk", map[string]any{"room_creation_api": "https://hooks.example/sip"}),
				),
			},
			{
				// Rotating the secret on purpose is an update.
				Config: config("c2Vjb25kLXNlY3JldA=="),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("daily_pinless_dialin_route.number", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("daily_pinless_dialin_route.trunk", plancheck.ResourceActionNoop),
				}},
				Check: checkEntry(emu, client.PinlessDialin, number, map[string]any{"hmac": "c2Vjb25kLXNlY3JldA=="}),
			},
			{
				ResourceName:      "daily_pinless_dialin_route.trunk",
				ImportState:       true,
				ImportStateId:     "sip:pbx-trunk",
				ImportStateVerify: true,
			},
		},
		CheckDestroy: checkArrayKeys(emu, client.PinlessDialin),
	})
}

// The bar of the dial-in issue: 30 routes by for_each beside unmanaged routes.
func TestAccPinlessDialinRoute_forEach(t *testing.T) {
	t.Parallel()
	testForEachRoutes(t, emulator.Faults{})
}

// The same with 30% of requests failing and 10% of answers lost after commit.
func TestAccPinlessDialinRoute_forEachUnderFaults(t *testing.T) {
	t.Parallel()
	testForEachRoutes(t, emulator.Faults{FailRate: 0.3, FailStatuses: []int{429, 500, 503}, DropRate: 0.1})
}

func testForEachRoutes(t *testing.T, faults emulator.Faults) {
	env := newAccEnv(t)
	env.RequireEmulator(t)
	emu := env.Emu
	numbers := seedNumbers(emu, 100, 32)
	managed, others := numbers[:30], numbers[30:]
	unmanaged := seedUnmanagedRoutes(t, emu, others...)
	emu.SetFaults(faults)
	var hmacsAfterCreate map[string]string
	webhook := func(string) string { return "https://hooks.example/call" }
	changedOne := func(n string) string {
		if n == managed[7] {
			return "https://hooks.example/other"
		}
		return "https://hooks.example/call"
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: forEachRoutesConfig(env.ProviderConfig(), managed, webhook),
				Check: resource.ComposeTestCheckFunc(
					checkArrayKeys(emu, client.PinlessDialin, numbers...),
					checkUntouched(emu, client.PinlessDialin, unmanaged),
					func(*terraform.State) error { hmacsAfterCreate = hmacsOf(emu, client.PinlessDialin); return nil },
				),
			},
			{
				Config:           forEachRoutesConfig(env.ProviderConfig(), managed, webhook),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Updating one route rewrites the array but rotates no secret.
				Config: forEachRoutesConfig(env.ProviderConfig(), managed, changedOne),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(fmt.Sprintf("daily_pinless_dialin_route.r[%q]", managed[7]), plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(fmt.Sprintf("daily_pinless_dialin_route.r[%q]", managed[8]), plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeTestCheckFunc(
					checkArrayKeys(emu, client.PinlessDialin, numbers...),
					checkUntouched(emu, client.PinlessDialin, unmanaged),
					checkEntry(emu, client.PinlessDialin, managed[7], map[string]any{"room_creation_api": "https://hooks.example/other"}),
					func(*terraform.State) error {
						for n, h := range hmacsOf(emu, client.PinlessDialin) {
							if hmacsAfterCreate[n] != h {
								return fmt.Errorf("hmac of %s rotated", n)
							}
						}
						return nil
					},
				),
			},
		},
		CheckDestroy: resource.ComposeTestCheckFunc(
			checkArrayKeys(emu, client.PinlessDialin, others...),
			checkUntouched(emu, client.PinlessDialin, unmanaged),
		),
	})
	if faults.FailRate > 0 {
		stats := emu.FaultStats()
		t.Logf("faults injected: %d failed, %d answers dropped after commit", stats.Failed, stats.Dropped)
		if stats.Failed == 0 || stats.Dropped == 0 {
			t.Errorf("the fault injection did not fire (%+v): this test proved nothing", stats)
		}
	}
}

// Creating 100 routes costs at most 12 POSTs; refreshing them at most 12 GETs.
func TestAccPinlessDialinRoute_requestCounts(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	emu := env.Emu
	numbers := seedNumbers(emu, 200, 100)
	config := forEachRoutesConfig(env.ProviderConfig(), numbers, func(string) string { return "https://hooks.example/call" })
	var createPOSTs, refreshGETs int

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: emu.ResetCounts,
				Config:    config,
				Check: func(*terraform.State) error {
					createPOSTs = emu.Count("POST /")
					emu.ResetCounts()
					return nil
				},
			},
			{
				PreConfig:    emu.ResetCounts,
				RefreshState: true,
				Check: func(*terraform.State) error {
					refreshGETs = emu.Count("GET /")
					return nil
				},
			},
		},
	})
	t.Logf("100 routes: create %d POSTs; one refresh %d GETs", createPOSTs, refreshGETs)
	if createPOSTs > 12 || refreshGETs > 12 {
		t.Errorf("100 routes cost %d POSTs to create and %d GETs to refresh, want at most 12 each", createPOSTs, refreshGETs)
	}
}

func TestAccPinlessDialinRoute_errors(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	emu := env.Emu
	owned := seedNumbers(emu, 300, 1)[0]
	inPin := fmt.Sprintf(`%s
resource "daily_pin_dialin_route" "pin" {
  phone_number = %q
}
`, env.ProviderConfig(), owned)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      pinlessRouteConfig(env.ProviderConfig(), "+14155550999", "https://hooks.example/call", ""),
				ExpectError: regexp.MustCompile(`HTTP 400 invalid-request-error: .*not associated with domain`),
			},
			{Config: inPin},
			{
				// The number already answers PIN calls: Daily refuses, and says so.
				Config:      inPin + pinlessRouteConfig("", owned, "https://hooks.example/call", ""),
				ExpectError: regexp.MustCompile(`HTTP 400 invalid-request-error`),
			},
			{
				PreConfig: func() {
					if err := emu.SetDialinArray(client.PinlessDialin, nil); err != nil {
						t.Fatal(err)
					}
				},
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
		},
	})
}

func TestAccPinlessDialinRoute_existingRouteMustBeImported(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	emu := env.Emu
	number := seedNumbers(emu, 400, 1)[0]
	unmanaged := seedUnmanagedRoutes(t, emu, number)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      pinlessRouteConfig(env.ProviderConfig(), number, "https://hooks.example/call", ""),
				ExpectError: regexp.MustCompile(`already has an entry for \+14155550400; import it`),
				Check:       checkUntouched(emu, client.PinlessDialin, unmanaged),
			},
			{
				// An import block adopts it; the next apply takes over the webhook, not the secret.
				Config: pinlessRouteConfig(env.ProviderConfig(), number, "https://hooks.example/call", "") + fmt.Sprintf(`
import {
  to = daily_pinless_dialin_route.main
  id = %q
}`, number),
				Check: checkEntry(emu, client.PinlessDialin, number, map[string]any{
					"room_creation_api": "https://hooks.example/call",
					"hmac":              "dW5tYW5hZ2VkLXNlY3JldA==",
					"x_added_by_support": map[string]any{"ticket": 0},
				}),
			},
		},
	})
}
