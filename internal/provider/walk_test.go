package provider

import (
	"context"
	"encoding/json"
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
// configurations of both dial-in arrays, applied with real Terraform to the
// emulator. Each step edits the configuration (per-route for_each resources
// or the exclusive resource, beside unmanaged routes), maybe edits Daily out
// of band first, maybe under injected faults, and applies. After each step
// the apply succeeded (or failed as the model says, for user errors), Daily
// holds exactly what the model says (unmanaged entries byte for byte, no hmac
// changed unless the route was created anew or the configuration sent one),
// the state agrees with Daily and holds no write-only secret, and the next
// plan is empty. The walk model and the configuration it generates are in
// walk_model_test.go and the files it names; walk_verify_test.go judges
// each step.
//
// Every apply and destroy finishes the provider's confirming reads before
// Daily is checked, as Terraform lets the provider do when it stops it.
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
//
// Skipping moves changes the walk a seed makes.
func TestAccDialinWalk(t *testing.T) {
	ws := walkSettingsFromEnv(t)
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

func walkSettingsFromEnv(t *testing.T) walkSettings {
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
		for i := range envRounds(t, "DAILY_WALK_SEEDS", 3) {
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

// walkRun is one walk in progress.
type walkRun struct {
	t        *testing.T
	seed     uint64
	ws       walkSettings
	emu      *emulator.Emulator
	wd       *cliWorkdir
	provider string
	w        *walker
	log      []string // what each step did, for the failure report
	config   string   // the configuration last written
	retries  int
	cli      string // the CLI and its version, for the failure report
}

// walkNumbers is how many numbers a walk's domain owns.
const walkNumbers = 10

func runWalk(t *testing.T, seed uint64, ws walkSettings) {
	env := newAccEnv(t, emulator.Options{Seed: int64(seed)})
	env.RequireEmulator(t)
	started := time.Now()
	r := &walkRun{t: t, seed: seed, ws: ws, emu: env.Emu, provider: env.ProviderConfig()}
	r.wd = newCLIWorkdir(t, tf6server.WithLoggingSink(t))
	feat := walkFeatures{writeOnly: r.wd.supports(writeOnlyAttributes), forget: r.wd.supports(removedBlocksForget)}
	r.cli = r.describeCLI(feat)
	r.w = newWalker(seed, ws.skip, feat, seedNumbers(env.Emu, walkNumbers))
	r.seedEntries()
	for n := 1; n <= ws.steps; n++ {
		r.step(r.w.next(n))
	}
	r.destroy(ws.steps + 1)
	if testing.Verbose() && len(ws.seeds) == 1 {
		t.Logf("walk seed %d on %s:\n%s", seed, r.cli, strings.Join(r.log, "\n"))
	}
	stats := r.emu.FaultStats()
	t.Logf("walk seed %d: %d steps and a destroy passed in %s on %s; faults injected: %d refused, %d answers lost; %d applies retried",
		seed, ws.steps, time.Since(started).Round(time.Second), r.cli, stats.Failed, stats.Dropped, r.retries)
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

// seedEntries puts the walk's unmanaged routes at Daily before step 1.
func (r *walkRun) seedEntries() {
	initial := r.w.initialEntries()
	var desc []string
	for i, k := range walkKinds {
		raws := make([]json.RawMessage, 0, len(initial[i]))
		for _, e := range initial[i] {
			raw, _ := json.Marshal(e)
			raws = append(raws, raw)
		}
		if err := r.emu.SetDialinArray(k.array, raws); err != nil {
			r.t.Fatalf("walk seed %d: seeding %s: %v", r.seed, k.array, err)
		}
		for _, raw := range r.emu.DialinArray(k.array) {
			fields, _ := decodeFields(raw)
			r.w.arrays[i].entries[entryKeyOf(fields)] = &walkEntry{fields: fields, raw: raw}
			desc = append(desc, fmt.Sprintf("%s %s", k.name, entryKeyOf(fields)))
		}
	}
	if len(desc) == 0 {
		desc = append(desc, "nothing")
	}
	r.log = append(r.log, " 0. unmanaged at Daily: "+strings.Join(desc, ", "))
}

func (r *walkRun) step(s *walkStep) {
	r.t.Helper()
	r.log = append(r.log, fmt.Sprintf("%2d. %s", s.n, strings.Join(s.desc, "\n    ")))
	for _, o := range s.oob {
		if err := r.outOfBand(o); err != nil {
			r.fail(s, "out-of-band edit: %v", err)
		}
	}
	var expected [2]map[string]*walkEntry
	for i := range walkKinds {
		expected[i] = r.w.expect(s, i)
	}
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
	if s.faults != nil {
		r.emu.SetFaults(s.faults.faults)
	}
	// tryApply finishes the provider's confirming reads, as Terraform lets
	// it when it stops it.
	err := r.wd.tryApply()
	if err != nil && s.faults != nil && s.wantErr == nil && walkTransient(err) {
		// One retry is allowed under faults, for errors that faults explain.
		r.retries++
		r.log[len(r.log)-1] += "\n    (apply retried once after: " + firstLine(err) + ")"
		err = r.wd.tryApply()
	}
	if s.faults != nil {
		r.emu.SetFaults(emulator.Faults{})
		// A provider served in-process is never stopped: confirmations the
		// faults kept from finishing would go on into the next step.
		finishWrites()
	}
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
			expected[i] = map[string]*walkEntry{}
			for key, e := range a.entries {
				expected[i][key] = e.clone()
			}
		}
		r.config = walkConfig(r.provider, decl, nil, r.w.feat.writeOnly)
		r.wd.write(r.config)
	}
	r.verify(s, expected, decl)
}

// outOfBand makes an edit as another writer would, and records the entry
// as Daily then holds it.
func (r *walkRun) outOfBand(o walkOOB) error {
	a := r.w.arrays[o.array]
	k := a.kind
	switch o.op {
	case "delete":
		var keep []json.RawMessage
		for _, raw := range r.emu.DialinArray(k.array) {
			if fields, _ := decodeFields(raw); entryKeyOf(fields) != o.key {
				keep = append(keep, raw)
			}
		}
		if err := r.emu.SetDialinArray(k.array, keep); err != nil {
			return err
		}
		delete(a.entries, o.key)
		return nil
	case "edit":
		field := "name_prefix"
		if k.secret {
			field = "room_creation_api"
		}
		if !r.emu.MutateDialinEntry(k.array, o.key, func(e map[string]any) { e[field] = o.value }) {
			return fmt.Errorf("%s has no entry %s to edit", k.array, o.key)
		}
	case "add":
		raw, _ := json.Marshal(o.entry)
		if err := r.emu.SetDialinArray(k.array, append(r.emu.DialinArray(k.array), raw)); err != nil {
			return err
		}
	}
	for _, raw := range r.emu.DialinArray(k.array) {
		if fields, _ := decodeFields(raw); entryKeyOf(fields) == o.key {
			e := &walkEntry{fields: fields}
			if _, managed := a.decl.declares(k, o.key); !managed {
				e.raw = raw
			}
			a.entries[o.key] = e
		}
	}
	return nil
}

// destroy runs terraform destroy as the last step: only the unmanaged
// routes of arrays without an exclusive resource stay.
func (r *walkRun) destroy(n int) {
	r.t.Helper()
	s := &walkStep{n: n, desc: []string{"terraform destroy"}}
	var expected [2]map[string]*walkEntry
	var decl [2]walkDecl
	for i := range walkKinds {
		s.decl[i] = walkDecl{routes: map[string]*walkRoute{}}
		decl[i] = s.decl[i]
		expected[i] = r.w.expect(s, i)
	}
	r.log = append(r.log, fmt.Sprintf("%2d. terraform destroy", n))
	err := r.wd.tf.Destroy(context.Background(), r.wd.reattach)
	finishWrites()
	if err != nil {
		r.fail(s, "terraform destroy failed:\n%s", tfError(err))
	}
	r.config = walkConfig(r.provider, decl, nil, r.w.feat.writeOnly)
	r.wd.write(r.config)
	r.verify(s, expected, decl)
}
