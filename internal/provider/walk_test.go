package provider

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// TestAccDialinWalk is a model-based, seeded, randomized walk through
// configurations of both dial-in arrays and of Daily's config objects of
// both types, applied with real Terraform to the emulator. Each step edits
// the configuration (per-route for_each resources or the exclusive
// resource, beside unmanaged routes; config resources beside unmanaged
// objects), maybe edits Daily out of band first, maybe under injected
// faults, and applies. After each step the apply succeeded (or failed as
// the model says, for user errors), Daily holds exactly what the model says
// (unmanaged entries and objects byte for byte, no hmac changed unless the
// route was created anew or the configuration sent one, no object made
// anew unless its resource was), the state agrees with Daily and holds no
// write-only secret, and the next plan is empty.
//
// Each seed walks under readings of what Daily does not document
// (walkOptions): config objects as the arrays' entries or a store of their
// own, and a PUT without hmac keeping or rotating the secret. The walk model and the configuration it generates are in
// walk_model_test.go and the files it names; walk_verify_test.go judges
// each step.
//
// At random steps another writer plays (walkStale): it undoes the apply's
// first writes with stale copies of the array, and the provider must have
// written again whatever they undid by the time the apply ends. Every apply
// and destroy ends with the provider stopped, as Terraform stops it (its
// last confirming reads done); Daily is checked once the stale copies
// taken have landed. TestAccDialinWalkPair (walk_pair_test.go) walks two
// configurations on one domain at once.
//
// Moves that need a newer CLI (hmac_wo: Terraform and OpenTofu 1.11;
// removed blocks: Terraform 1.7, OpenTofu 1.10) are left out on older ones,
// so a seed walks differently there.
//
// make test walks a few seeds briefly; make soak many, long. A failure prints
// the seed and the steps so far. Environment:
//
//	DAILY_WALK_SEED=n    walk only seed n (a replay; -v lists its steps)
//	DAILY_WALK_STEPS=n   steps per walk (default 8)
//	DAILY_WALK_SEEDS=n   number of seeds (default 3), from DAILY_WALK_SEED_BASE (default 1)
//	DAILY_WALK_SKIP=a,b  debug aid: never make these moves (walkSkippable); all are on by default
//	DAILY_EMULATOR_DIALIN_STORE, DAILY_EMULATOR_PUT_OMITTED_HMAC: every seed under this reading
//
// Skipping moves changes the walk a seed makes.
func TestAccDialinWalk(t *testing.T) {
	ws := walkSettingsFromEnv(t, "DAILY_WALK_SEEDS", 3)
	t.Parallel()
	for _, seed := range ws.seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			runWalk(t, seed, ws)
		})
	}
}

type walkSettings struct {
	seeds []uint64
	steps int
	skip  map[string]bool
}

// walkSettingsFromEnv reads the settings above; seedsVar names the variable
// with the number of seeds to walk, def its default.
func walkSettingsFromEnv(t *testing.T, seedsVar string, def int) walkSettings {
	t.Helper()
	ws := walkSettings{steps: envRounds(t, "DAILY_WALK_STEPS", 8), skip: map[string]bool{}}
	if v := os.Getenv("DAILY_WALK_SEED"); v != "" {
		seed, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("DAILY_WALK_SEED=%q: want a non-negative integer", v)
		}
		ws.seeds = []uint64{seed}
	} else {
		base := envRounds(t, "DAILY_WALK_SEED_BASE", 1)
		for i := range envRounds(t, seedsVar, def) {
			ws.seeds = append(ws.seeds, uint64(base+i))
		}
	}
	for _, name := range strings.FieldsFunc(os.Getenv("DAILY_WALK_SKIP"), func(r rune) bool { return r == ',' || r == ' ' }) {
		if !slices.Contains(walkSkippable, name) {
			t.Fatalf("DAILY_WALK_SKIP: unknown move %q; known: %s", name, strings.Join(walkSkippable, ", "))
		}
		ws.skip[name] = true
	}
	return ws
}

// walkRun is one walk in progress: one configuration, in a workdir of its
// own with a provider of its own, and its model.
type walkRun struct {
	t        *testing.T
	test     string // the test's name, for the replay command
	seed     uint64
	ws       walkSettings
	emu      *emulator.Emulator
	wd       *cliWorkdir
	provider string
	feat     walkFeatures
	w        *walker
	log      []string // what each step did, for the failure report
	config   string   // the configuration last written
	retries  int
	cli      string // the CLI and its version, for the failure report
	// In a walk of two configurations (walk_pair_test.go): which one this
	// is ("" when alone), the other one, and whether a route key is among
	// this one's (nil when alone: every key is).
	team    string
	partner *walkRun
	owns    func(key string) bool
}

// walkNumbers is how many numbers a walk's domain owns (per configuration).
const walkNumbers = 10

// newWalkRun prepares a walk on env's emulator, with a workdir and a
// provider of its own; the caller makes its walker.
func newWalkRun(t *testing.T, seed uint64, ws walkSettings, env *accEnv, team string) *walkRun {
	r := &walkRun{t: t, test: strings.SplitN(t.Name(), "/", 2)[0], seed: seed, ws: ws, emu: env.Emu, provider: env.ProviderConfig(), team: team}
	r.wd = newCLIWorkdir(t, tf6server.WithLoggingSink(t))
	r.feat = walkFeatures{writeOnly: r.wd.supports(writeOnlyAttributes), forget: r.wd.supports(removedBlocksForget)}
	r.cli = r.describeCLI(r.feat)
	return r
}

func runWalk(t *testing.T, seed uint64, ws walkSettings) {
	env := newAccEnv(t, walkOptions(seed))
	env.RequireEmulator(t)
	started := time.Now()
	r := newWalkRun(t, seed, ws, env, "")
	r.w = newWalker(seed, ws.skip, r.feat, r.shared(), seedNumbers(env.Emu, walkNumbers))
	r.w.sip = sipPromisesOf(env)
	seedWalkEntries(r)
	seedWalkObjects(r)
	for n := 1; n <= ws.steps; n++ {
		r.step(r.w.next(n))
	}
	r.destroy(ws.steps + 1)
	if testing.Verbose() && len(ws.seeds) == 1 {
		t.Logf("walk seed %d (%s) on %s:\n%s", seed, r.emu.Readings(), r.cli, strings.Join(r.log, "\n"))
	}
	stats := r.emu.FaultStats()
	t.Logf("walk seed %d (%s): %d steps and a destroy passed in %s on %s; faults injected: %d refused, %d answers lost; %d applies retried; %d writes undone by the stale writer",
		seed, r.emu.Readings(), ws.steps, time.Since(started).Round(time.Second), r.cli, stats.Failed, stats.Dropped, r.retries, r.emu.StaleWriterStats().Written)
}

// describeCLI names the CLI the walk drives and the moves it leaves out.
func (r *walkRun) describeCLI(feat walkFeatures) string {
	name := "Terraform"
	if testCLI().openTofu {
		name = "OpenTofu"
	}
	desc := name
	if v, _, err := r.wd.tf.Version(context.Background(), false); err == nil {
		desc += " " + v.String()
	}
	var lacking []string
	if !feat.writeOnly {
		lacking = append(lacking, "hmac_wo")
	}
	if !feat.forget {
		lacking = append(lacking, "removed blocks")
	}
	if len(lacking) > 0 {
		desc += " (without " + strings.Join(lacking, " and ") + " moves)"
	}
	return desc
}

func (r *walkRun) step(s *walkStep) {
	r.t.Helper()
	expected := r.prepare(s)
	disturb(r.emu, s.faults, s.stale, 0)
	err := r.apply(s, s.faults != nil)
	r.calm(s.faults != nil, r)
	r.settle(s, err, expected)
}

// prepare makes step s up to its apply: the out-of-band edits, the
// configuration, terraform import commands and the plan before the apply. It
// returns what Daily must hold after the apply.
func (r *walkRun) prepare(s *walkStep) walkExpected {
	r.t.Helper()
	r.log = append(r.log, fmt.Sprintf("%2d. %s", s.n, strings.Join(s.desc, "\n    ")))
	for _, o := range s.oob {
		if err := r.outOfBand(o); err != nil {
			r.fail(s, "out-of-band edit: %v", err)
		}
	}
	expected := r.w.expectAll(s)
	r.config = walkConfig(r.provider, s.decl, s, r.w.feat.writeOnly)
	r.wd.write(r.config)
	for _, imp := range s.cli {
		if err := r.wd.importInstance(imp.to, imp.id); err != nil {
			r.fail(s, "terraform import %s %s failed:\n%s", imp.to, imp.id, tfError(err))
		}
	}
	if len(s.quiet) > 0 {
		r.checkQuiet(s)
	}
	return expected
}

// disturb sets what makes a step's apply hard, at Daily: injected faults, at
// least latency on every request, and the stale writer.
func disturb(emu *emulator.Emulator, faults *walkFaultMix, stale *walkStale, latency time.Duration) {
	var f emulator.Faults
	if faults != nil {
		f = faults.faults
	}
	f.Latency = max(f.Latency, latency)
	emu.SetFaults(f)
	if stale != nil {
		emu.SetStaleWriter(emulator.StaleWriter{Delay: stale.delay, Copies: stale.copies})
	}
}

// apply runs terraform apply for step s, then stops the provider as
// Terraform does after the command. Under faults one retry is allowed, for
// errors that faults explain. It may run beside another walk's apply.
func (r *walkRun) apply(s *walkStep, faulty bool) error {
	err := r.wd.tf.Apply(context.Background(), r.wd.reattach)
	r.wd.stopProvider()
	if err != nil && faulty && s.wantErr == nil && walkTransient(err) {
		r.retries++
		r.log[len(r.log)-1] += "\n    (apply retried once after: " + firstLine(err) + ")"
		err = r.wd.tf.Apply(context.Background(), r.wd.reattach)
		r.wd.stopProvider()
	}
	return err
}

// calm ends what disturb set, once the applies of runs have ended, and
// waits for the stale copies taken to land: Daily is judged after them. A
// provider served in-process is never stopped: under faults, confirmations
// they kept from finishing would go on into the next step, so they are
// let finish first.
func (r *walkRun) calm(faulty bool, runs ...*walkRun) {
	r.t.Helper()
	r.emu.SetFaults(emulator.Faults{})
	r.emu.SetStaleWriter(emulator.StaleWriter{})
	if faulty {
		for _, run := range runs {
			run.wd.stopProvider()
		}
	}
	for deadline := time.Now().Add(10 * time.Second); r.emu.StaleWriterStats().Pending > 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			r.t.Fatalf("walk seed %d: stale copies still pending 10 s after the apply: %+v", r.seed, r.emu.StaleWriterStats())
		}
	}
}

// settle judges step s once its apply has ended with err.
func (r *walkRun) settle(s *walkStep, err error, expected walkExpected) {
	r.t.Helper()
	decl := s.decl
	switch {
	case s.wantErr == nil && err != nil:
		r.fail(s, "the apply failed:\n%s", tfError(err))
	case s.wantErr != nil && err == nil:
		r.fail(s, "the apply succeeded; want an error matching %s", s.wantErr)
	case s.wantErr != nil && !s.wantErr.MatchString(err.Error()):
		r.fail(s, "the apply failed with another error than %s:\n%s", s.wantErr, tfError(err))
	case s.wantErr != nil:
		// Back to the configuration before the user error: nothing changed.
		for i, a := range r.w.arrays {
			decl[i] = a.decl
		}
		expected = r.w.unchanged()
		r.config = walkConfig(r.provider, decl, nil, r.w.feat.writeOnly)
		r.wd.write(r.config)
	}
	r.verify(s, expected, decl)
}

// destroy runs terraform destroy as the last step: only the unmanaged
// routes of arrays without an exclusive resource stay.
func (r *walkRun) destroy(n int) {
	r.t.Helper()
	s, expected := r.prepareDestroy(n)
	err := r.runDestroy()
	r.settleDestroy(s, err, expected)
}

func (r *walkRun) prepareDestroy(n int) (*walkStep, walkExpected) {
	s := &walkStep{n: n, desc: []string{"terraform destroy"}}
	for i := range walkKinds {
		s.decl[i] = walkDecl{}.clone()
	}
	expected := r.w.expectAll(s)
	r.log = append(r.log, fmt.Sprintf("%2d. terraform destroy", n))
	return s, expected
}

// runDestroy runs terraform destroy, then stops the provider as Terraform
// does. It may run beside another walk's destroy.
func (r *walkRun) runDestroy() error {
	err := r.wd.tf.Destroy(context.Background(), r.wd.reattach)
	r.wd.stopProvider()
	return err
}

func (r *walkRun) settleDestroy(s *walkStep, err error, expected walkExpected) {
	r.t.Helper()
	if err != nil {
		r.fail(s, "terraform destroy failed:\n%s", tfError(err))
	}
	r.config = walkConfig(r.provider, s.decl, nil, r.w.feat.writeOnly)
	r.wd.write(r.config)
	r.verify(s, expected, s.decl)
}
