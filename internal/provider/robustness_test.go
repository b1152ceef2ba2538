package provider

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// Robustness tests: faults, races between processes, outages. `make test`
// runs short versions; `make soak` sets DAILY_SOAK_ROUNDS and DAILY_RACE_ROUNDS to 20.

// envRounds reads a round count from the environment.
func envRounds(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}

// heavyFaults is the fault mix of the tests under faults (for_each, soak): 30%
// of requests refused before any work (429/500/503) and 10% of answers lost
// after the change was committed.
var heavyFaults = emulator.Faults{FailRate: 0.3, FailStatuses: []int{429, 500, 503}, DropRate: 0.1}

// TestAccSoak creates, updates and destroys 30 routes per round next to 2
// unmanaged ones, under faults the whole time. Every round: nothing lost or
// duplicated, no hmac rotated, the unmanaged entries byte-identical, the plan empty.
func TestAccSoak(t *testing.T) {
	t.Parallel()
	rounds := envRounds(t, "DAILY_SOAK_ROUNDS", 2)
	env := newAccEnv(t)
	env.RequireEmulator(t)
	emu := env.Emu
	numbers := seedNumbers(emu, 32)
	managed, others := numbers[:30], numbers[30:]
	unmanaged := seedUnmanagedRoutes(t, emu, others...)
	emu.SetFaults(heavyFaults)
	wd := newCLIWorkdir(t)
	must := func(round int, step string, checks ...emuCheck) {
		t.Helper()
		for _, c := range checks {
			if err := c(); err != nil {
				t.Fatalf("round %d, %s: %v", round, step, err)
			}
		}
	}
	webhooks := func(round int, updated bool) func(string) string {
		return func(n string) string {
			// The update changes every other route, so updates and no-ops mix.
			if updated && n[len(n)-1]%2 == 0 {
				return fmt.Sprintf("https://hooks.example/r%d/updated", round)
			}
			return fmt.Sprintf("https://hooks.example/r%d", round)
		}
	}
	checkWebhooks := func(hook func(string) string) emuCheck {
		return func() error {
			for _, n := range managed {
				if err := checkEntry(emu, client.PinlessDialin, n, map[string]any{"room_creation_api": hook(n)})(); err != nil {
					return err
				}
			}
			return nil
		}
	}

	for round := 1; round <= rounds; round++ {
		created := webhooks(round, false)
		wd.write(forEachRoutesConfig(env.ProviderConfig(), managed, created))
		wd.apply()
		must(round, "create", checkArrayKeys(emu, client.PinlessDialin, numbers...),
			checkUntouched(emu, client.PinlessDialin, unmanaged), checkWebhooks(created))
		hmacs := hmacsOf(emu, client.PinlessDialin)
		if wd.planHasChanges() {
			t.Fatalf("round %d: the plan after create is not empty", round)
		}

		updated := webhooks(round, true)
		wd.write(forEachRoutesConfig(env.ProviderConfig(), managed, updated))
		wd.apply()
		must(round, "update", checkArrayKeys(emu, client.PinlessDialin, numbers...),
			checkUntouched(emu, client.PinlessDialin, unmanaged), checkWebhooks(updated))
		if after := hmacsOf(emu, client.PinlessDialin); !maps.Equal(after, hmacs) {
			t.Fatalf("round %d: hmacs rotated by the update:\nbefore %v\nafter  %v", round, hmacs, after)
		}
		if wd.planHasChanges() {
			t.Fatalf("round %d: the plan after update is not empty", round)
		}

		wd.destroy()
		must(round, "destroy", checkArrayKeys(emu, client.PinlessDialin, others...),
			checkUntouched(emu, client.PinlessDialin, unmanaged))
	}
	stats := emu.FaultStats()
	t.Logf("soak: %d rounds of create/update/destroy of 30 routes beside 2 unmanaged; faults injected: %d refused, %d answers lost after commit",
		rounds, stats.Failed, stats.Dropped)
	if stats.Failed == 0 || stats.Dropped == 0 {
		t.Errorf("the fault injection did not fire (%+v): this test proved nothing", stats)
	}
}

// 50 random buys whose answers are all lost after the purchase: the provider
// finds each number it bought, so every one is in state and none is leaked.
func TestAccPhoneNumber_fiftyBuysAnswersLost(t *testing.T) {
	t.Parallel()
	const n = 50
	env := newAccEnv(t)
	env.RequireEmulator(t)
	emu := env.Emu
	emu.SetFaults(emulator.Faults{DropRate: 1, Routes: []string{"POST /buy-phone-number"}})
	config := env.ProviderConfig() + fmt.Sprintf(`
resource "daily_phone_number" "n" {
  count = %d
}
`, n)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.CheckPhoneNumbersReleased(t),
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeTestCheckFunc(
				func(s *terraform.State) error {
					var inState []string
					for _, rs := range s.RootModule().Resources {
						if rs.Type == "daily_phone_number" {
							inState = append(inState, rs.Primary.ID)
						}
					}
					var owned []string
					for _, p := range emu.Purchased() {
						owned = append(owned, p.ID)
					}
					slices.Sort(inState)
					slices.Sort(owned)
					if len(inState) != n || !slices.Equal(inState, owned) {
						return fmt.Errorf("state holds %d numbers, the domain owns %d: a number was leaked or lost\nstate %v\nowned %v",
							len(inState), len(owned), inState, owned)
					}
					stats := emu.FaultStats()
					t.Logf("%d random buys, %d answers lost after the purchase: %d numbers owned, all %d in state",
						n, stats.Dropped, len(owned), len(inState))
					if stats.Dropped < n {
						return fmt.Errorf("only %d buy answers were dropped, want at least %d", stats.Dropped, n)
					}
					return nil
				},
				env.PassReleaseHold(),
			),
		}},
	})
}
