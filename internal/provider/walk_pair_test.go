package provider

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// walkPairLatency is added to every request while the two configurations
// apply, so that their read-modify-writes of one array overlap for real.
const walkPairLatency = 50 * time.Millisecond

// walkPairStream draws the second configuration's walk from the seed apart
// from the first's (newWalker's stream is "walk").
const walkPairStream = 0x77616c6b32 // "walk2"

// TestAccDialinWalkPair walks two configurations on one domain at once, as
// two teams' pipelines would: two workdirs, each with a provider of its own
// (its own dial-in engine), route keys of their own (numbers and SIP names),
// each with its own model. Every step draws each configuration's moves as
// TestAccDialinWalk does, from streams of the seed of their own, and applies
// both at the same time with 50 ms on every request (and the faults or the
// stale writer either step drew). Daily has no compare-and-set: each
// provider's read-modify-write can undo the other's change, and only the
// confirming read (internal/dialin/confirm.go) finds it, for values set and
// fields cleared alike. Each step ends with Daily holding exactly what both
// models say, and nothing neither has; each state agrees with Daily, each
// next plan is empty. The last step destroys both at once.
//
// Exclusive resources are left out: one claims its whole array, the other
// configuration's routes included, which is what it is for. The stale
// writer undoes one write per step, not two: a second copy, taken just
// before one configuration's write, can hold what the first did to the
// other's change and land after that change's confirming read, which the
// other's engine had no means to see (its change was restored meanwhile by
// the first configuration's write, made from a read taken before the first
// copy landed). No confirming delay can catch that; one copy it can.
//
// Config objects are walked where they are a store of their own. Where
// they are the arrays' entries (walkOptions picks the reading per seed),
// one provider's array write, made from a read taken before the other
// created or deleted an object, deletes that object or brings it back with
// a new id, which no confirming read can repair (dialin.ObjectGoneError):
// they are left out there (pairSkip), as the stale writer is in a step of
// TestAccDialinWalk that writes objects.
//
// make test walks DAILY_WALK_PAIRS (default 1) seeds from
// DAILY_WALK_SEED_BASE; DAILY_WALK_SEED, DAILY_WALK_STEPS and DAILY_WALK_SKIP
// work as for TestAccDialinWalk.
func TestAccDialinWalkPair(t *testing.T) {
	ws := walkSettingsFromEnv(t, "DAILY_WALK_PAIRS", 1)
	t.Parallel()
	for _, seed := range ws.seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			runWalkPair(t, seed, ws)
		})
	}
}

func runWalkPair(t *testing.T, seed uint64, ws walkSettings) {
	env := newAccEnv(t, walkOptions(seed))
	env.RequireEmulator(t)
	started := time.Now()
	numbers := seedNumbers(env.Emu, 2*walkNumbers)
	a, b := newWalkRun(t, seed, ws, env, "A"), newWalkRun(t, seed, ws, env, "B")
	skip := pairSkip(ws.skip, a.shared())
	a.w = newWalker(seed, skip, a.feat, a.shared(), numbers[:walkNumbers])
	b.w = newWalker(seed, skip, b.feat, b.shared(), numbers[walkNumbers:])
	b.w.rng = rand.New(rand.NewPCG(seed, walkPairStream))
	b.w.sips = []string{"pbx-b1", "pbx-b2", "pbx-b3"}
	a.w.maxStaleCopies, b.w.maxStaleCopies = 1, 1
	a.w.sip, b.w.sip = sipPromisesOf(env), sipPromisesOf(env)
	a.partner, b.partner = b, a
	a.owns, b.owns = a.w.ownsKey, b.w.ownsKey
	runs := []*walkRun{a, b}
	seedWalkEntries(runs...)
	for _, r := range runs {
		seedWalkObjects(r)
	}

	for n := 1; n <= ws.steps; n++ {
		steps := []*walkStep{a.w.next(n), b.w.next(n)}
		var expected [2]walkExpected
		for i, r := range runs {
			expected[i] = r.prepare(steps[i])
		}
		var faults *walkFaultMix
		var stale *walkStale
		for _, s := range steps {
			faults = firstSet(faults, s.faults)
			stale = firstSet(stale, s.stale)
		}
		for i, r := range runs {
			r.log[len(r.log)-1] += "\n    " + pairNote(runs[1-i], faults, stale, steps[1-i])
		}
		disturb(env.Emu, faults, stale, walkPairLatency)
		var errs [2]error
		var wg sync.WaitGroup
		for i, r := range runs {
			wg.Go(func() { errs[i] = r.apply(steps[i], faults != nil) })
		}
		wg.Wait()
		a.calm(faults != nil, runs...)
		for i, r := range runs {
			r.settle(steps[i], errs[i], expected[i])
		}
	}

	n := ws.steps + 1
	var steps [2]*walkStep
	var expected [2]walkExpected
	for i, r := range runs {
		steps[i], expected[i] = r.prepareDestroy(n)
	}
	var errs [2]error
	var wg sync.WaitGroup
	for i, r := range runs {
		wg.Go(func() { errs[i] = r.runDestroy() })
	}
	wg.Wait()
	for i, r := range runs {
		r.settleDestroy(steps[i], errs[i], expected[i])
	}

	if testing.Verbose() && len(ws.seeds) == 1 {
		for _, r := range runs {
			t.Logf("walk seed %d (%s), configuration %s, on %s:\n%s", seed, env.Emu.Readings(), r.team, r.cli, strings.Join(r.log, "\n"))
		}
	}
	stats := env.Emu.FaultStats()
	t.Logf("walk seed %d (%s): two configurations, %d steps and a destroy passed in %s on %s; faults injected: %d refused, %d answers lost; %d applies retried; %d writes undone by the stale writer",
		seed, env.Emu.Readings(), ws.steps, time.Since(started).Round(time.Second), a.cli, stats.Failed, stats.Dropped, a.retries+b.retries, env.Emu.StaleWriterStats().Written)
}

// pairSkip are the moves a walk of two configurations leaves out, beside
// those skip names: the exclusive resources, and config objects under the
// shared reading.
func pairSkip(skip map[string]bool, shared bool) map[string]bool {
	out := maps.Clone(skip)
	out["exclusive"] = true
	if shared {
		out["config"] = true
	}
	return out
}

// firstSet is the first of a and b that is set.
func firstSet[T any](a, b *T) *T {
	if a != nil {
		return a
	}
	return b
}

// pairNote tells one configuration's log how its step was applied: at once
// with the other's step, and under what either drew.
func pairNote(other *walkRun, faults *walkFaultMix, stale *walkStale, s *walkStep) string {
	parts := []string{fmt.Sprintf("applied at the same time as configuration %s's step %d, %s per request", other.team, s.n, walkPairLatency)}
	if faults != nil {
		parts = append(parts, "under faults: "+faults.name)
	}
	if stale != nil {
		parts = append(parts, fmt.Sprintf("the first %d writes of either undone by the stale writer, %s after each", stale.copies, stale.delay))
	}
	return "(" + strings.Join(parts, "; ") + ")"
}

// ownsKey reports whether key is one of this walker's: one of its numbers or
// SIP names.
func (w *walker) ownsKey(key string) bool {
	if name, ok := strings.CutPrefix(key, "sip:"); ok {
		return slices.Contains(w.sips, name)
	}
	return slices.Contains(w.numbers, key)
}

// TestWalkPairModel runs the generators of a two-configuration walk without
// Terraform, under both readings of the dial-in store: each configuration's
// steps touch only its own keys and never declare an exclusive resource,
// over many more steps than the acceptance walks take.
func TestWalkPairModel(t *testing.T) {
	t.Parallel()
	numbers := make([]string, 2*walkNumbers)
	for i := range numbers {
		numbers[i] = fmt.Sprintf("+1415555%04d", 100+i)
	}
	for seed := range uint64(10) {
		shared := seed%2 == 0
		skip := pairSkip(map[string]bool{}, shared)
		a := newWalker(seed, skip, allWalkFeatures, shared, numbers[:walkNumbers])
		b := newWalker(seed, skip, allWalkFeatures, shared, numbers[walkNumbers:])
		b.rng = rand.New(rand.NewPCG(seed, walkPairStream))
		b.sips = []string{"pbx-b1", "pbx-b2", "pbx-b3"}
		a.maxStaleCopies, b.maxStaleCopies = 1, 1
		for _, w := range []*walker{a, b} {
			for i, entries := range w.initialEntries() {
				for _, e := range entries {
					raw := canonical(e)
					fields, _ := decodeFields(raw)
					key := entryKeyOf(fields)
					if !w.ownsKey(key) {
						t.Fatalf("seed %d: an initial entry %s is not the walk's own", seed, key)
					}
					w.arrays[i].entries[key] = &walkEntry{fields: fields, raw: raw}
				}
			}
			w.fakeInitialObjects()
		}
		for n := 1; n <= 40; n++ {
			for _, w := range []*walker{a, b} {
				s := w.next(n)
				for _, o := range s.oob {
					if !w.ownsKey(o.key) {
						t.Fatalf("seed %d step %d: an out-of-band edit of %s, not the walk's own", seed, n, o.key)
					}
				}
				expected := w.expectAll(s)
				for i := range walkKinds {
					if s.decl[i].excl != nil {
						t.Fatalf("seed %d step %d: an exclusive resource in a walk of two", seed, n)
					}
					for _, key := range slices.Concat(slices.Collect(maps.Keys(expected.arrays[i])), slices.Collect(maps.Keys(expected.objects[i]))) {
						if !w.ownsKey(key) {
							t.Fatalf("seed %d step %d: %s expected at Daily, not the walk's own\n%s", seed, n, key, strings.Join(s.desc, "\n"))
						}
					}
				}
				if s.wantErr != nil {
					continue
				}
				arrays, objects := w.fakeDaily(expected)
				if errs := w.checkDaily(expected, s.decl, arrays, objects); len(errs) > 0 {
					t.Fatalf("seed %d step %d: %s", seed, n, strings.Join(errs, "\n"))
				}
			}
		}
	}
}
