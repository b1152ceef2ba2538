package provider

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// 30 routes by for_each on a domain that already has unmanaged routes: all
// created, one updated without rotating any secret, all destroyed, and the
// unmanaged routes untouched throughout.
func TestAccPinlessDialinRoute_forEach(t *testing.T) {
	t.Parallel()
	testForEachRoutes(t, emulator.Faults{})
}

// The same with 30% of requests failing and 10% of answers lost after commit.
func TestAccPinlessDialinRoute_forEachUnderFaults(t *testing.T) {
	t.Parallel()
	testForEachRoutes(t, heavyFaults)
}

func testForEachRoutes(t *testing.T, faults emulator.Faults) {
	env := newAccEnv(t)
	env.RequireEmulator(t)
	emu := env.Emu
	numbers := seedNumbers(emu, 32)
	managed, others := numbers[:30], numbers[30:]
	unmanaged := seedUnmanagedRoutes(t, emu, others...)
	emu.SetFaults(faults)
	wd := newCLIWorkdir(t)
	must := func(check emuCheck) {
		t.Helper()
		if err := check(); err != nil {
			t.Fatal(err)
		}
	}

	wd.write(forEachRoutesConfig(env.ProviderConfig(), managed, func(string) string { return "https://hooks.example/call" }))
	wd.apply()
	must(checkArrayKeys(emu, client.PinlessDialin, numbers...))
	must(checkUntouched(emu, client.PinlessDialin, unmanaged))
	hmacs := hmacsOf(emu, client.PinlessDialin)
	if wd.planHasChanges() {
		t.Fatal("the plan after apply is not empty")
	}

	// Changing one route updates that one only, and rotates no secret.
	changed := managed[7]
	wd.write(forEachRoutesConfig(env.ProviderConfig(), managed, func(n string) string {
		if n == changed {
			return "https://hooks.example/other"
		}
		return "https://hooks.example/call"
	}))
	if got := plannedActions(t, wd); !slices.Equal(got, []string{fmt.Sprintf(`daily_pinless_dialin_route.r["%s"]: update`, changed)}) {
		t.Fatalf("planned %v, want one update of %s", got, changed)
	}
	wd.apply()
	must(checkEntry(emu, client.PinlessDialin, changed, map[string]any{"room_creation_api": "https://hooks.example/other"}))
	must(checkUntouched(emu, client.PinlessDialin, unmanaged))
	if after := hmacsOf(emu, client.PinlessDialin); !maps.Equal(after, hmacs) {
		t.Fatalf("hmacs rotated:\nbefore %v\nafter  %v", hmacs, after)
	}
	if wd.planHasChanges() {
		t.Fatal("the plan after the update is not empty")
	}

	wd.destroy()
	must(checkArrayKeys(emu, client.PinlessDialin, others...))
	must(checkUntouched(emu, client.PinlessDialin, unmanaged))

	if faults.FailRate > 0 {
		stats := emu.FaultStats()
		t.Logf("faults injected: %d failed, %d answers dropped after commit", stats.Failed, stats.Dropped)
		if stats.Failed == 0 || stats.Dropped == 0 {
			t.Errorf("the fault injection did not fire (%+v): this test proved nothing", stats)
		}
	}
}

// Creating 100 routes costs at most 12 POSTs; refreshing them at most 2 GETs.
func TestAccPinlessDialinRoute_requestCounts(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	emu := env.Emu
	numbers := seedNumbers(emu, 100)
	wd := newCLIWorkdir(t)
	wd.write(forEachRoutesConfig(env.ProviderConfig(), numbers, func(string) string { return "https://hooks.example/call" }))

	emu.ResetCounts()
	wd.apply()
	createPOSTs, createGETs := emu.Count("POST /"), emu.Count("GET /")
	emu.ResetCounts()
	if wd.planHasChanges() {
		t.Fatal("the plan after apply is not empty")
	}
	refreshGETs := emu.Count("GET /")
	emu.ResetCounts()
	wd.destroy()
	destroyPOSTs := emu.Count("POST /")

	t.Logf("100 routes: create %d POSTs + %d GETs; refresh %d GETs; destroy %d POSTs", createPOSTs, createGETs, refreshGETs, destroyPOSTs)
	if createPOSTs > 12 || refreshGETs > 2 {
		t.Errorf("100 routes cost %d POSTs to create and %d GETs to refresh, want at most 12 and 2", createPOSTs, refreshGETs)
	}
	if err := checkArrayKeys(emu, client.PinlessDialin)(); err != nil {
		t.Error(err)
	}
}

// plannedActions lists the resource changes of a plan, as "address: action".
func plannedActions(t *testing.T, wd *cliWorkdir) []string {
	t.Helper()
	planFile := filepath.Join(wd.tf.WorkingDir(), "tfplan")
	if _, err := wd.tf.Plan(context.Background(), wd.reattach, tfexec.Out(planFile)); err != nil {
		t.Fatal(err)
	}
	plan, err := wd.tf.ShowPlanFile(context.Background(), planFile, wd.reattach)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, rc := range plan.ResourceChanges {
		if !rc.Change.Actions.NoOp() {
			actions = append(actions, fmt.Sprintf("%s: %s", rc.Address, rc.Change.Actions[0]))
		}
	}
	return actions
}
