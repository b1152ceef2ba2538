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
	"strings"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// How the config walk (walk_test.go) judges a step: the plans, Daily's
// arrays, the state and the errors, and how it reports a failure.

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
func (r *walkRun) verify(s *walkStep, expected walkExpected, decl [2]walkDecl) {
	r.t.Helper()
	var errs []string
	var arrays [2][]json.RawMessage
	for i, k := range walkKinds {
		mine, foreign := r.dailyArray(k.array)
		arrays[i] = mine
		errs = append(errs, foreign...)
	}
	objects, foreign := r.dailyObjects()
	errs = append(errs, foreign...)
	errs = append(errs, r.w.checkDaily(expected, decl, arrays, objects)...)
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

// dailyArray is the array as Daily holds it, the entries of this walk's
// keys only when another configuration walks beside it; foreign describes
// the entries that are neither's.
func (r *walkRun) dailyArray(array string) (mine []json.RawMessage, foreign []string) {
	all := r.emu.DialinArray(array)
	if r.owns == nil {
		return all, nil
	}
	for _, raw := range all {
		fields, err := decodeFields(raw)
		if err != nil {
			foreign = append(foreign, fmt.Sprintf("%s: entry is not an object: %s", array, raw))
			continue
		}
		switch key := entryKeyOf(fields); {
		case r.owns(key):
			mine = append(mine, raw)
		case !r.partner.owns(key):
			foreign = append(foreign, fmt.Sprintf("%s holds %s, which neither configuration has: %s", array, key, raw))
		}
	}
	return mine, foreign
}

// dailyObjects are the config objects Daily lists, those of this walk's
// keys only when another configuration walks beside it; foreign describes
// the objects that are neither's.
func (r *walkRun) dailyObjects() (mine []json.RawMessage, foreign []string) {
	all := r.emu.DialinConfigs()
	if r.owns == nil {
		return all, nil
	}
	for _, raw := range all {
		id, _, fields, err := objectOf(raw)
		switch key := entryKeyOf(fields); {
		case err != nil:
			foreign = append(foreign, fmt.Sprintf("a config object Daily lists is not one: %s", raw))
		case r.owns(key):
			mine = append(mine, raw)
		case !r.partner.owns(key):
			foreign = append(foreign, fmt.Sprintf("Daily holds the config object %s (%s), which neither configuration has: %s", key, id, raw))
		}
	}
	return mine, foreign
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
		if e := a.held(key); e != nil {
			s, _ := e.fields["hmac"].(string)
			return s
		}
		return ""
	}
	stored := map[string]bool{}
	var writeOnly []string
	for _, a := range r.w.arrays {
		for _, route := range slices.Concat(slices.Collect(maps.Values(a.decl.routes)), slices.Collect(maps.Values(a.decl.configs))) {
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
		// Quoted: one base64 secret may begin another's (that of
		// "walk-wo-secret7" begins that of "walk-wo-secret71").
		if secret != "" && !stored[secret] && bytes.Contains(raw, []byte(`"`+secret+`"`)) {
			errs = append(errs, "the state file holds the write-only secret "+secretName(secret))
		}
	}
	return errs
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
	which := ""
	if r.team != "" {
		which = fmt.Sprintf(" (configuration %s of two)", r.team)
	}
	fmt.Fprintf(&b, "walk seed %d failed at step %d%s on %s (%s): %s\n\n", r.seed, s.n, which, r.cli, r.emu.Readings(), fmt.Sprintf(format, args...))
	replay := fmt.Sprintf("DAILY_WALK_SEED=%d DAILY_WALK_STEPS=%d", r.seed, min(s.n, r.ws.steps))
	for _, name := range []string{"DAILY_WALK_SKIP", emulator.EnvDialinStore, emulator.EnvPutOmittedHMAC, emulator.EnvPutSemantics, emulator.EnvSipURI, emulator.EnvSentSipURI} {
		if v := os.Getenv(name); v != "" {
			replay += " " + name + "=" + v
		}
	}
	fmt.Fprintf(&b, "replay: %s TERRAFORM=%s make test\n    or: %s TF_ACC=1 TF_ACC_TERRAFORM_PATH=%s go test -count=1 -run '^%s$' ./internal/provider/\n\n",
		replay, testCLI().path, replay, testCLI().path, r.test)
	runs := []*walkRun{r}
	if r.partner != nil {
		runs = append(runs, r.partner)
	}
	for _, run := range runs {
		title := "steps"
		if run.team != "" {
			title = "steps of configuration " + run.team
		}
		fmt.Fprintf(&b, "%s:\n%s\n\n", title, strings.Join(run.log, "\n"))
	}
	for _, k := range walkKinds {
		fmt.Fprintf(&b, "Daily's %s now:\n      %s\n", k.array, joinRaw(r.emu.DialinArray(k.array)))
	}
	for _, run := range runs {
		title := "configuration"
		if run.team != "" {
			title = "configuration " + run.team
		}
		fmt.Fprintf(&b, "\n%s of step %d:%s", title, s.n, run.config)
	}
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
