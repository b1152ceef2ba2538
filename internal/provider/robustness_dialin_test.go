package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// Robustness of the dial-in routes (see robustness_test.go): outages of
// Daily, and two Terraform processes writing one array at once.

// A Daily outage longer than the retry budget fails the apply with a clear
// error and records nothing that is not there; once Daily is back, the next
// apply creates the routes and the plan after it is empty.
func TestAccPinlessDialinRoute_outage(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	emu := env.Emu
	numbers := seedNumbers(emu, 7)
	managed, others := numbers[:5], numbers[5:]
	unmanaged := seedUnmanagedRoutes(t, emu, others...)
	var config strings.Builder
	fmt.Fprintf(&config, "provider \"daily\" {\n  api_url = %q\n  api_key = %q\n  retry_max_duration = \"2s\"\n}\n", env.URL, env.Key)
	for i, n := range managed {
		fmt.Fprintf(&config, "resource \"daily_pinless_dialin_route\" \"r%d\" {\n  phone_number = %q\n  room_creation_api = \"https://hooks.example/call\"\n}\n", i, n)
	}
	started := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             destroyed(checkArrayKeys(emu, client.PinlessDialin, others...), checkUntouched(emu, client.PinlessDialin, unmanaged)),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { emu.SetFaults(emulator.Faults{FailRate: 1, FailStatuses: []int{503}}) },
				Config:    config.String(),
				// Each route's error says what failed, why, and that it gave up.
				ExpectError: errorPattern("Cannot create dial-in route", "pinless dial-in route", "not confirmed after", "gave up after", "HTTP 503 server-error"),
			},
			{
				// Nothing was written, so state must claim nothing: the plan
				// creates all five again (a non-empty plan is expected).
				PreConfig: func() {
					t.Logf("outage: the failed apply took %s; %d requests refused", time.Since(started).Round(time.Second), emu.FaultStats().Failed)
					emu.SetFaults(emulator.Faults{})
					if err := checkArrayKeys(emu, client.PinlessDialin, others...)(); err != nil {
						t.Errorf("after the failed apply: %v", err)
					}
				},
				Config:             config.String(),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config.String(),
				Check: func(*terraform.State) error {
					if err := checkArrayKeys(emu, client.PinlessDialin, numbers...)(); err != nil {
						return err
					}
					return checkUntouched(emu, client.PinlessDialin, unmanaged)()
				},
			},
			{Config: config.String(), PlanOnly: true}, // the plan is empty
		},
	})
}

// An outage that begins right after the write: Daily's answer showed the
// routes, so the apply reports them done; every confirming read after it
// fails. The provider must give up on those reads within the time Terraform
// gives a stopping provider, leave the routes as written, and the plan after
// the outage must be empty.
func TestAccPinlessDialinRoute_outageAfterWrite(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	emu := env.Emu
	numbers := seedNumbers(emu, 3)
	wd := newCLIWorkdir(t)
	config := fmt.Sprintf("provider \"daily\" {\n  api_url = %q\n  api_key = %q\n  retry_max_duration = \"1s\"\n}\n", env.URL, env.Key) +
		forEachRoutesConfig("", numbers, func(string) string { return "https://hooks.example/call" })
	wd.write(config)

	// The engine's first read and its write go through; from the write on,
	// every GET fails, so no confirming read can happen.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for emu.Count("POST /") == 0 {
			time.Sleep(time.Millisecond)
		}
		emu.SetFaults(emulator.Faults{FailRate: 1, FailStatuses: []int{503}, Routes: []string{"GET /"}})
	}()
	err := wd.tf.Apply(context.Background(), wd.reattach)
	<-done
	if err != nil {
		t.Fatalf("the apply failed although Daily's answer showed every write: %v", err)
	}
	start := time.Now()
	finishWrites()
	if took := time.Since(start); took > 2*time.Second+500*time.Millisecond {
		t.Errorf("waiting for confirming reads during the outage took %s, longer than Terraform waits for a stopping provider", took)
	}
	if failed := emu.FaultStats().Failed; failed == 0 {
		t.Fatal("no confirming read was attempted during the outage: this test proved nothing")
	}
	if err := checkArrayKeys(emu, client.PinlessDialin, numbers...)(); err != nil {
		t.Fatal(err)
	}

	emu.SetFaults(emulator.Faults{})
	emu.ResetCounts()
	if wd.planHasChanges() {
		t.Fatal("the plan after the outage is not empty")
	}
	if posts := emu.Count("POST /"); posts != 0 {
		t.Errorf("%d writes after the outage, want none", posts)
	}
}

// raceWebhook is the webhook of one route of one process in one round.
func raceWebhook(proc string, round int) func(string) string {
	return func(string) string { return fmt.Sprintf("https://%s.example/r%d", proc, round) }
}

// Two Terraform processes (two working directories, each with its own
// provider and dial-in engine) on one Daily domain, each owning 20 routes,
// apply at the same time, round after round. Daily has no compare-and-set,
// so each process's read-modify-write can drop the other's entries; the
// engine's confirming re-read must find and restore them. After each round
// every route of both must be present with its configured webhook.
func TestAccPinlessDialinRoute_twoProcessesRace(t *testing.T) {
	t.Parallel()
	rounds := envRounds(t, "DAILY_RACE_ROUNDS", 4)
	env := newAccEnv(t)
	env.RequireEmulator(t)
	emu := env.Emu
	numbers := seedNumbers(emu, 40)
	sets := map[string][]string{"a": numbers[:20], "b": numbers[20:]}
	wds := map[string]*cliWorkdir{"a": newCLIWorkdir(t), "b": newCLIWorkdir(t)}
	// A little latency so that the two read-modify-writes overlap for real.
	emu.SetFaults(emulator.Faults{Latency: 20 * time.Millisecond})

	// What each process declares in a round: its routes, less 5 of them on
	// every third round, so creates and deletes race as well as updates.
	declared := func(proc string, round int) []string {
		if round%3 == 2 {
			return sets[proc][5:]
		}
		return sets[proc]
	}
	// Run fn for both processes at once; t.Fatal is not allowed off the test goroutine.
	both := func(fn func(proc string, wd *cliWorkdir) error) {
		t.Helper()
		var wg sync.WaitGroup
		errs := make([]error, 0, 2)
		var mu sync.Mutex
		for proc, wd := range wds {
			wg.Go(func() {
				if err := fn(proc, wd); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("process %s: %w", proc, err))
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
	}
	for proc, wd := range wds {
		wd.write(forEachRoutesConfig(env.ProviderConfig(), declared(proc, 0), raceWebhook(proc, 0)))
	}

	var postsPerRound []int
	for round := 1; round <= rounds; round++ {
		for proc, wd := range wds {
			wd.write(forEachRoutesConfig(env.ProviderConfig(), declared(proc, round), raceWebhook(proc, round)))
		}
		emu.ResetCounts()
		both(func(_ string, wd *cliWorkdir) error { return wd.tf.Apply(context.Background(), wd.reattach) })
		finishWrites()
		postsPerRound = append(postsPerRound, emu.Count("POST /"))

		want := slices.Concat(declared("a", round), declared("b", round))
		if err := checkArrayKeys(emu, client.PinlessDialin, want...)(); err != nil {
			t.Fatalf("round %d: after both applies: %v", round, err)
		}
		for proc := range wds {
			for _, n := range declared(proc, round) {
				if err := checkEntry(emu, client.PinlessDialin, n, map[string]any{"room_creation_api": raceWebhook(proc, round)(n)})(); err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
			}
		}
		both(func(_ string, wd *cliWorkdir) error {
			changes, err := wd.tf.Plan(context.Background(), wd.reattach)
			if err == nil && changes {
				err = errors.New("the plan after the apply is not empty")
			}
			return err
		})
	}

	// Baseline: the same kind of round with the two applies one after the other.
	for proc, wd := range wds {
		wd.write(forEachRoutesConfig(env.ProviderConfig(), sets[proc], raceWebhook(proc, rounds+1)))
	}
	emu.ResetCounts()
	for _, wd := range wds {
		wd.apply()
	}
	serial := emu.Count("POST /")
	total := 0
	for _, p := range postsPerRound {
		total += p
	}
	t.Logf("race: %d rounds of two concurrent applies of 20 routes each; POST / per round %v (%d in all); "+
		"the same round applied serially takes %d POSTs, so about %d writes were re-applies or split batches",
		rounds, postsPerRound, total, serial, max(total-serial*rounds, 0))
}
