package provider

import (
	"context"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// staleRowLatency is the time every request takes while a writer undoes
// writes in a row: a slow link, so that each round trip of a repair costs
// what it would across an ocean.
const staleRowLatency = 250 * time.Millisecond

// keptUndoing is what the provider says of a change another writer keeps undoing.
var keptUndoing = regexp.MustCompile(`another writer keeps undoing`)

// TestAccDialinStaleWriterInARow changes 10 routes while another writer
// undoes the provider's writes several times in a row, each 100 ms after it,
// with 250 ms on every request. No provider can outlast a writer that never
// stops, so the apply may end either way; but it must never report success
// while Daily is stale. If it succeeds, Daily holds exactly the
// configuration when the apply has ended and 0.5 s later, the state has
// Daily's secrets and the next plan is empty. If it fails, the error says
// that another writer keeps undoing the change and names every route Daily
// does not hold as configured then (an exclusive resource: its array), and
// the next apply, the writer gone, makes Daily exact.
//
// make test runs the per-route pinless resource with 4 writes undone in a
// row; DAILY_STALE_SOAK=1 (make soak) runs all four dial-in resources with
// 4, 7, 8 and 12 (the engine gives a change up once it was undone
// dialin.DefaultMaxAttempts times: 8).
func TestAccDialinStaleWriterInARow(t *testing.T) {
	t.Parallel()
	type variant struct {
		res    staleResource
		copies int
	}
	variants := []variant{{staleResources[0], 4}}
	if os.Getenv("DAILY_STALE_SOAK") != "" {
		variants = nil
		for _, res := range staleResources {
			for _, copies := range []int{4, 7, 8, 12} {
				variants = append(variants, variant{res, copies})
			}
		}
	}
	for _, v := range variants {
		t.Run(fmt.Sprintf("%s/copies=%d", v.res, v.copies), func(t *testing.T) {
			t.Parallel()
			r := newStaleRun(t, v.res, 10)
			r.addRoutes(r.numbers)
			r.wd.write(r.config())
			if err := r.wd.tf.Apply(context.Background(), r.wd.reattach); err != nil {
				t.Fatalf("creating the routes: %s", tfError(err))
			}
			r.wd.stopProvider()
			if errs := r.learnSecrets(); len(errs) > 0 {
				t.Fatal(strings.Join(errs, "\n"))
			}
			for i, number := range r.numbers {
				c := r.routes[number]
				c.webhook = fmt.Sprintf("https://hooks.example/r%d/v2", i)
				if !v.res.kind.secret {
					c.webhook, c.greeting = "", fmt.Sprintf("Greeting %d, second version", i)
				}
				r.routes[number] = c
			}
			r.wd.write(r.config())

			r.emu.SetFaults(emulator.Faults{Latency: staleRowLatency})
			r.emu.SetStaleWriter(emulator.StaleWriter{Delay: staleDelay, Copies: v.copies})
			started := time.Now()
			err := r.wd.tf.Apply(context.Background(), r.wd.reattach)
			r.wd.stopProvider()
			took := time.Since(started)
			ended := r.staleProblems()
			time.Sleep(500 * time.Millisecond)
			later := r.staleProblems()
			stats := r.emu.StaleWriterStats()
			r.emu.SetFaults(emulator.Faults{})
			r.emu.SetStaleWriter(emulator.StaleWriter{})
			report := fmt.Sprintf("%d writes undone in a row out of %d: copies written back at %v; the apply took %s",
				stats.Taken, v.copies, staleTimes(stats.Times, started), took.Round(time.Millisecond))

			if err == nil {
				switch {
				case len(ended) > 0:
					t.Fatalf("%s: the apply reported success, and when it had ended Daily was stale:\n    %s", report, describeProblems(ended))
				case len(later) > 0:
					t.Fatalf("%s: the apply reported success, and 0.5 s after it had ended Daily was stale:\n    %s", report, describeProblems(later))
				case stats.Taken != v.copies:
					t.Fatalf("%s: the writer was not spent: this run tested nothing", report)
				}
				if errs := r.learnSecrets(); len(errs) > 0 {
					t.Fatalf("%s:\n%s", report, strings.Join(errs, "\n"))
				}
				if r.wd.planHasChanges() {
					t.Fatalf("%s: the plan after the apply is not empty", report)
				}
				t.Logf("%s: the apply outlasted the writer", report)
				return
			}

			text := strings.Join(strings.Fields(strings.ReplaceAll(tfError(err), "│", " ")), " ")
			if !keptUndoing.MatchString(text) {
				t.Fatalf("%s: the apply failed, without saying that another writer keeps undoing the change:\n%s", report, tfError(err))
			}
			stale := maps.Clone(ended)
			maps.Copy(stale, later)
			for _, key := range slices.Sorted(maps.Keys(stale)) {
				name := key
				if v.res.exclusive {
					name = v.res.kind.array
				}
				if key == "" || !strings.Contains(text, name) {
					t.Errorf("%s: the apply failed, and its error does not name what Daily holds wrong:\n    %s", report, strings.Join(stale[key], "\n    "))
				}
			}
			if t.Failed() {
				t.Fatalf("the error:\n%s", tfError(err))
			}
			t.Logf("%s: the apply failed, naming the routes undone (%d stale when it ended, %d 0.5 s later)", report, len(ended), len(later))

			// The writer gone, the next apply makes Daily exact.
			if err := r.wd.tf.Apply(context.Background(), r.wd.reattach); err != nil {
				t.Fatalf("the apply after the writer stopped failed: %s", tfError(err))
			}
			r.wd.stopProvider()
			if problems := r.staleProblems(); len(problems) > 0 {
				t.Fatalf("after the next apply, Daily is not as configured:\n    %s", describeProblems(problems))
			}
			if r.wd.planHasChanges() {
				t.Fatal("the plan after the next apply is not empty")
			}
		})
	}
}
