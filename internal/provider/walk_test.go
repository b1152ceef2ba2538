package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
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
// walk_model_test.go.
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

// checkQuiet plans before the apply: the instances of s.quiet (a new
// hmac_wo without a new version) must have no change.
func (r *walkRun) checkQuiet(s *walkStep) {
	r.t.Helper()
	actions, err := r.wd.plannedChanges()
	if err != nil {
		r.fail(s, "the plan before the apply failed:\n%s", tfError(err))
	}
	for _, a := range actions {
		for _, addr := range s.quiet {
			if strings.HasPrefix(a, addr+":") {
				r.fail(s, "a new hmac_wo without a new version is planned as a change: %s", a)
			}
		}
	}
}

// verify checks Daily, the state and the next plan against the model.
func (r *walkRun) verify(s *walkStep, expected [2]map[string]*walkEntry, decl [2]walkDecl) {
	r.t.Helper()
	var errs []string
	for i, k := range walkKinds {
		errs = append(errs, r.w.check(i, expected[i], decl[i], r.emu.DialinArray(k.array))...)
	}
	if len(errs) == 0 {
		errs = append(errs, r.checkState()...)
		errs = append(errs, r.checkSecretsOutOfState()...)
	}
	actions, err := r.wd.plannedChanges()
	switch {
	case err != nil:
		errs = append(errs, "the plan after the apply failed:\n"+tfError(err))
	case len(actions) > 0:
		errs = append(errs, "the plan after the apply is not empty:\n      "+strings.Join(actions, "\n      "))
	}
	if len(errs) > 0 {
		r.fail(s, "%s", strings.Join(errs, "\n"))
	}
}

// checkState compares the state with Daily (the model has just learned it):
// the same instances as the model, each with Daily's sip_uri and hmac (in
// the exclusive resource's hmacs), but a null hmac where it is write-only;
// a SIP-only route of an exclusive resource with the name_prefix its
// configuration gives, null when left out.
func (r *walkRun) checkState() []string {
	st, err := r.wd.stateResources()
	if err != nil {
		return []string{fmt.Sprintf("terraform show: %v", err)}
	}
	var errs []string
	want := map[string]bool{}
	same := func(addr, what string, got any, entry *walkEntry, field string) {
		if d := entry.fields[field]; !reflect.DeepEqual(got, d) {
			errs = append(errs, fmt.Sprintf("state %s %s = %v, Daily has %v", addr, what, got, d))
		}
	}
	for _, a := range r.w.arrays {
		k := a.kind
		for addr, route := range a.decl.routes {
			want[addr] = true
			attrs, ok := st[addr]
			if !ok {
				errs = append(errs, "the state lacks "+addr)
				continue
			}
			entry := a.entries[route.cfg.key()]
			if attrs["id"] != route.cfg.key() {
				errs = append(errs, fmt.Sprintf("state %s id = %v, want %s", addr, attrs["id"], route.cfg.key()))
			}
			if k.secret {
				if c := route.cfg; c.woVersion != 0 {
					if attrs["hmac"] != nil {
						errs = append(errs, fmt.Sprintf("state %s hmac = %v, want null: the secret is write-only", addr, attrs["hmac"]))
					}
					if v := fmt.Sprint(attrs["hmac_wo_version"]); v != strconv.Itoa(c.woVersion) {
						errs = append(errs, fmt.Sprintf("state %s hmac_wo_version = %v, want %d", addr, attrs["hmac_wo_version"], c.woVersion))
					}
				} else {
					same(addr, "hmac", attrs["hmac"], entry, "hmac")
					if attrs["hmac_wo_version"] != nil {
						errs = append(errs, fmt.Sprintf("state %s hmac_wo_version = %v, want null", addr, attrs["hmac_wo_version"]))
					}
				}
				if attrs["hmac_wo"] != nil {
					errs = append(errs, fmt.Sprintf("state %s holds hmac_wo", addr))
				}
				same(addr, "sip_uri", attrs["sip_uri"], entry, "sip_uri")
			}
		}
		if a.decl.excl == nil {
			continue
		}
		addr := k.exclusive + ".all"
		want[addr] = true
		attrs, ok := st[addr]
		if !ok {
			errs = append(errs, "the state lacks "+addr)
			continue
		}
		routes, _ := attrs["routes"].(map[string]any)
		if got, exp := slices.Sorted(maps.Keys(routes)), slices.Sorted(maps.Keys(a.decl.excl)); !slices.Equal(got, exp) {
			errs = append(errs, fmt.Sprintf("state %s has routes %v, want %v", addr, got, exp))
			continue
		}
		for key, route := range routes {
			routeAttrs, _ := route.(map[string]any)
			var prefix any
			if p := a.decl.excl[key].prefix; p != "" {
				prefix = p
			}
			if routeAttrs["name_prefix"] != prefix {
				errs = append(errs, fmt.Sprintf("state %s routes[%q].name_prefix = %v, the configuration %v", addr, key, routeAttrs["name_prefix"], prefix))
			}
			if k.secret {
				same(addr, fmt.Sprintf("routes[%q].sip_uri", key), routeAttrs["sip_uri"], a.entries[key], "sip_uri")
			}
		}
		if !k.secret {
			continue
		}
		hmacs, _ := attrs["hmacs"].(map[string]any)
		if got, exp := slices.Sorted(maps.Keys(hmacs)), slices.Sorted(maps.Keys(a.decl.excl)); !slices.Equal(got, exp) {
			errs = append(errs, fmt.Sprintf("state %s has hmacs for %v, want %v", addr, got, exp))
			continue
		}
		for key, secret := range hmacs {
			same(addr, fmt.Sprintf("hmacs[%q]", key), secret, a.entries[key], "hmac")
		}
	}
	for _, addr := range slices.Sorted(maps.Keys(st)) {
		if !want[addr] {
			errs = append(errs, "the state holds "+addr+", which the model does not")
		}
	}
	return errs
}

// checkSecretsOutOfState fails if the state file holds a write-only secret:
// any hmac_wo the walk configured, or the live secret of a route set with
// hmac_wo, unless the state stores it by design as the hmac of a route
// managed without hmac_wo (one switched back from hmac_wo reads Daily's).
func (r *walkRun) checkSecretsOutOfState() []string {
	raw, err := os.ReadFile(filepath.Join(r.wd.tf.WorkingDir(), "terraform.tfstate"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return []string{err.Error()}
	}
	live := func(a *walkArray, key string) string {
		if e, ok := a.entries[key]; ok {
			s, _ := e.fields["hmac"].(string)
			return s
		}
		return ""
	}
	stored := map[string]bool{}
	var writeOnly []string
	for _, a := range r.w.arrays {
		for _, route := range a.decl.routes {
			if route.cfg.woVersion == 0 {
				stored[live(a, route.cfg.key())] = true
			} else {
				writeOnly = append(writeOnly, live(a, route.cfg.key()))
			}
		}
		for key := range a.decl.excl {
			stored[live(a, key)] = true
		}
	}
	var errs []string
	for _, secret := range slices.Concat(r.w.woSecrets, writeOnly) {
		if secret != "" && !stored[secret] && bytes.Contains(raw, []byte(secret)) {
			errs = append(errs, "the state file holds the write-only secret "+secretName(secret))
		}
	}
	return errs
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

// walkTransient matches apply errors that injected faults explain.
var walkTransientPattern = regexp.MustCompile(`(?i)HTTP (429|5\d\d)|not confirmed after|gave up after|connection reset|\bEOF\b|deadline exceeded|\btimeout\b`)

func walkTransient(err error) bool {
	return walkTransientPattern.MatchString(err.Error()) && !strings.Contains(err.Error(), "inconsistent result")
}

// tfError is Terraform's error output without the warning about the
// harness's missing CLI config, and without blank lines.
func tfError(err error) string {
	var out []string
	skipping := false
	for _, line := range strings.Split(err.Error(), "\n") {
		switch {
		case strings.Contains(line, "problems with the CLI configuration"):
			skipping = true
		case skipping:
			skipping = !strings.HasPrefix(line, "╵")
		case strings.TrimSpace(line) != "":
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

func firstLine(err error) string {
	for _, line := range strings.Split(err.Error(), "\n") {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, "Error:") {
			return line
		}
	}
	return strings.SplitN(err.Error(), "\n", 2)[0]
}

// fail reports a failed step with what is needed to replay it.
func (r *walkRun) fail(s *walkStep, format string, args ...any) {
	r.t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "walk seed %d failed at step %d on %s: %s\n\n", r.seed, s.n, r.cli, fmt.Sprintf(format, args...))
	replay := fmt.Sprintf("DAILY_WALK_SEED=%d DAILY_WALK_STEPS=%d", r.seed, min(s.n, r.ws.steps))
	if skip := os.Getenv("DAILY_WALK_SKIP"); skip != "" {
		replay += " DAILY_WALK_SKIP=" + skip
	}
	fmt.Fprintf(&b, "replay: %s TERRAFORM=%s make test\n    or: %s TF_ACC=1 TF_ACC_TERRAFORM_PATH=%s go test -count=1 -run TestAccDialinWalk ./internal/provider/\n\n",
		replay, testCLI().path, replay, testCLI().path)
	fmt.Fprintf(&b, "steps:\n%s\n\n", strings.Join(r.log, "\n"))
	for _, k := range walkKinds {
		fmt.Fprintf(&b, "Daily's %s now:\n      %s\n", k.array, joinRaw(r.emu.DialinArray(k.array)))
	}
	fmt.Fprintf(&b, "\nconfiguration of step %d:%s", s.n, r.config)
	r.t.Fatal(b.String())
}

// plannedChanges runs one plan (with its refresh) and describes each change
// as "address: actions", with the attributes an update changes.
func (w *cliWorkdir) plannedChanges() ([]string, error) {
	planFile := filepath.Join(w.tf.WorkingDir(), "walk.tfplan")
	changes, err := w.tf.Plan(context.Background(), w.reattach, tfexec.Out(planFile))
	if err != nil || !changes {
		return nil, err
	}
	plan, err := w.tf.ShowPlanFile(context.Background(), planFile, w.reattach)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, rc := range plan.ResourceChanges {
		if rc.Change.Actions.NoOp() {
			continue
		}
		desc := fmt.Sprintf("%s: %v", rc.Address, rc.Change.Actions)
		before, _ := rc.Change.Before.(map[string]any)
		after, _ := rc.Change.After.(map[string]any)
		var changed []string
		for name, v := range after {
			if !reflect.DeepEqual(before[name], v) {
				changed = append(changed, name)
			}
		}
		if rc.Change.Actions.Update() && len(changed) > 0 {
			slices.Sort(changed)
			desc += " of " + strings.Join(changed, ", ")
		}
		out = append(out, desc)
	}
	if len(out) == 0 {
		out = append(out, "(changes outside resources)")
	}
	return out, nil
}

// stateResources maps each resource instance in the state to its attribute
// values, as terraform show -json has them (secrets included).
func (w *cliWorkdir) stateResources() (map[string]map[string]any, error) {
	st, err := w.tf.Show(context.Background(), w.reattach)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]any{}
	if st.Values != nil && st.Values.RootModule != nil {
		for _, res := range st.Values.RootModule.Resources {
			out[res.Address] = res.AttributeValues
		}
	}
	return out, nil
}
