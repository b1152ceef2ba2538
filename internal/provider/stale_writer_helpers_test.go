package provider

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// staleResource is one of the four dial-in resources.
type staleResource struct {
	kind      walkKind
	exclusive bool
}

var staleResources = []staleResource{{walkKinds[0], false}, {walkKinds[0], true}, {walkKinds[1], false}, {walkKinds[1], true}}

func (s staleResource) String() string {
	if s.exclusive {
		return s.kind.exclusive
	}
	return s.kind.route
}

// staleRun is one resource's configuration applied step by step under the
// stale writer, with what Daily must hold.
type staleRun struct {
	t         *testing.T
	res       staleResource
	emu       *emulator.Emulator
	director  *staleDirector
	wd        *cliWorkdir
	provider  string
	writeOnly bool
	numbers   []string
	routes    map[string]routeCfg       // declared, by key
	names     map[string]string         // per-route: the for_each key of each route
	extras    map[string]map[string]any // fields no resource owns, by key
	hmacs     map[string]string         // pinless: each route's secret once decided
	unmanaged map[string][]json.RawMessage
}

// staleRoutes is how many routes a stale-writer run declares at first.
const staleRoutes = 30

// newStaleRun prepares Daily: numbers for n routes, unmanaged entries (in
// the resource's own array unless it is exclusive, and in the other), and,
// for an exclusive resource, entries for 5 of its keys that it takes over
// (their secrets and unknown fields stay).
func newStaleRun(t *testing.T, res staleResource, n int) *staleRun {
	env := newAccEnv(t)
	env.RequireEmulator(t)
	r := &staleRun{t: t, res: res, emu: env.Emu, routes: map[string]routeCfg{}, names: map[string]string{},
		extras: map[string]map[string]any{}, hmacs: map[string]string{}, unmanaged: map[string][]json.RawMessage{}}
	var url string
	r.director, url = serveStaleDirector(t, env.Emu)
	r.provider = fmt.Sprintf("provider \"daily\" {\n  api_url = %q\n  api_key = %q\n}\n", url, env.Key)
	all := seedNumbers(env.Emu, n+4)
	r.numbers = all[:n]
	own, other := walkKinds[0], walkKinds[1]
	if res.kind.array == other.array {
		own, other = other, own
	}
	unmanagedEntry := func(k walkKind, number string, i int) map[string]any {
		e := map[string]any{"phone_number": number, "x_added_by_support": map[string]any{"ticket": i}}
		if k.secret {
			e["room_creation_api"], e["hmac"] = "https://unmanaged.example/hook", "dW5tYW5hZ2VkLXNlY3JldA=="
		} else {
			e["ivr_greeting"] = map[string]any{"message": "Unmanaged"}
		}
		return e
	}
	seed := map[string][]map[string]any{}
	if res.exclusive {
		for i, number := range r.numbers[:5] {
			e := unmanagedEntry(own, number, 100+i)
			if own.secret {
				e["hmac"] = base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "taken-over-%d", i))
				r.hmacs[number] = e["hmac"].(string)
			}
			r.extras[number] = map[string]any{"x_added_by_support": map[string]any{"ticket": json.Number(fmt.Sprint(100 + i))}}
			seed[own.array] = append(seed[own.array], e)
		}
		for i, number := range all[n:] {
			seed[other.array] = append(seed[other.array], unmanagedEntry(other, number, i))
		}
	} else {
		for i, number := range all[n : n+3] {
			seed[own.array] = append(seed[own.array], unmanagedEntry(own, number, i))
		}
		seed[other.array] = append(seed[other.array], unmanagedEntry(other, all[n+3], 3))
	}
	for _, k := range walkKinds {
		var raws []json.RawMessage
		for _, e := range seed[k.array] {
			raws = append(raws, canonical(e))
		}
		if err := setArray(env.Emu, k.array, raws); err != nil {
			t.Fatal(err)
		}
		if !res.exclusive || k.array != own.array {
			r.unmanaged[k.array] = env.Emu.DialinArray(k.array)
		}
	}
	r.wd = newCLIWorkdir(t)
	r.writeOnly = r.wd.supports(writeOnlyAttributes)
	return r
}

func (r *staleRun) config() string {
	var b strings.Builder
	b.WriteString(r.provider)
	k := r.res.kind
	if r.res.exclusive {
		b.WriteString(exclusiveHCL(k, r.routes, nil))
		return b.String()
	}
	var routes []*walkRoute
	for _, key := range slices.Sorted(maps.Keys(r.routes)) {
		routes = append(routes, &walkRoute{block: "r", name: r.names[key], cfg: r.routes[key]})
	}
	if len(routes) > 0 {
		b.WriteString(perRouteHCL(k, k.route, "r", routes, r.writeOnly))
	}
	return b.String()
}

// addRoutes declares a route for each number: every pinless route with a
// webhook, the first 10 with timeout_config, some with hold music or a
// name_prefix; PIN routes with a greeting (the first 10 among them) or a
// name_prefix.
func (r *staleRun) addRoutes(numbers []string) {
	for i, number := range numbers {
		c := routeCfg{number: number}
		if i%4 == 1 {
			c.prefix = fmt.Sprintf("p%d", i)
		}
		if r.res.kind.secret {
			c.webhook = fmt.Sprintf("https://hooks.example/r%d/v1", i)
			if i < 10 {
				c.timeout = fmt.Sprintf("Message %d", i)
			}
			if i%3 == 0 {
				c.hold = fmt.Sprintf("https://cdn.example/hold%d.mp3", i)
			}
		} else if i < 10 || i%2 == 0 {
			c.greeting = fmt.Sprintf("Greeting %d", i)
		}
		r.routes[number] = c
		r.names[number] = fmt.Sprintf("n%02d", i)
	}
}

// staleProblems compares Daily with the configuration: every declared route
// exactly (its values, no field it clears, the fields no resource owns, its
// secret as decided), the unmanaged entries untouched (untouchedAs), nothing else. It
// returns what is wrong, by route key ("" for what no route explains).
func (r *staleRun) staleProblems() map[string][]string {
	problems := map[string][]string{}
	add := func(key, format string, args ...any) {
		problems[key] = append(problems[key], fmt.Sprintf(format, args...))
	}
	k := r.res.kind
	same := untouchedAs(r.emu)
	for _, kind := range walkKinds {
		held := r.emu.DialinArray(kind.array)
		for _, want := range r.unmanaged[kind.array] {
			if !slices.ContainsFunc(held, func(h json.RawMessage) bool { return same(h, want) }) {
				add("", "%s: the unmanaged entry %s changed or is gone", kind.array, want)
			}
		}
		for _, raw := range held {
			key := keyOf(raw)
			if slices.ContainsFunc(r.unmanaged[kind.array], func(u json.RawMessage) bool { return same(raw, u) }) {
				continue
			}
			c, declared := r.routes[key]
			if kind.array != k.array || !declared {
				add(key, "%s holds %s, which it should not: %s", kind.array, key, raw)
				continue
			}
			got, _ := decodeFields(raw)
			hmac, _ := got["hmac"].(string)
			delete(got, "sip_uri")
			delete(got, "hmac")
			want := c.fields(k)
			maps.Copy(want, r.extras[key])
			if w := canonical(want); !bytes.Equal(canonical(got), w) {
				secret := ""
				if k.secret {
					secret = " (and its secret)"
				}
				add(key, "%s: %s differs:\n      want %s%s\n      have %s", k.array, key, w, secret, raw)
			}
			switch decided := r.hmacs[key]; {
			case !k.secret:
			case hmac == "":
				add(key, "%s: %s has no hmac", k.array, key)
			case decided != "" && hmac != decided:
				add(key, "%s: the secret of %s rotated: %s, was %s", k.array, key, hmac, decided)
			}
		}
		for key := range r.routes {
			if kind.array == k.array && !slices.ContainsFunc(held, func(h json.RawMessage) bool { return keyOf(h) == key }) {
				add(key, "%s lost %s", k.array, key)
			}
		}
	}
	return problems
}

func describeProblems(problems map[string][]string) string {
	var out []string
	for _, key := range slices.Sorted(maps.Keys(problems)) {
		out = append(out, problems[key]...)
	}
	return strings.Join(out, "\n    ")
}

// learnSecrets records the secret Daily holds for each pinless route that
// has none decided yet (a new route's, minted by Daily), and checks that
// the state reports each route's as Daily holds it.
func (r *staleRun) learnSecrets() []string {
	k := r.res.kind
	if !k.secret {
		return nil
	}
	for _, raw := range r.emu.DialinArray(k.array) {
		key := keyOf(raw)
		if _, declared := r.routes[key]; declared && r.hmacs[key] == "" {
			fields, _ := decodeFields(raw)
			r.hmacs[key], _ = fields["hmac"].(string)
		}
	}
	st, err := r.wd.stateResources()
	if err != nil {
		return []string{fmt.Sprintf("terraform show: %v", err)}
	}
	var errs []string
	for _, key := range slices.Sorted(maps.Keys(r.routes)) {
		var inState any
		if r.res.exclusive {
			hmacs, _ := st[k.exclusive+".all"]["hmacs"].(map[string]any)
			inState = hmacs[key]
		} else {
			inState = st[k.addr("r", r.names[key])]["hmac"]
		}
		if inState != r.hmacs[key] {
			errs = append(errs, fmt.Sprintf("the state has %v for the secret of %s, Daily %s", inState, key, r.hmacs[key]))
		}
	}
	return errs
}

// step applies the configuration after edit while the stale writer undoes
// the apply's first write and the first repair of it. The apply must
// succeed; when it has ended (the provider stopped, as Terraform stops it)
// and again 0.5 s later Daily must hold exactly the configuration; the state
// must have Daily's secrets, and the next plan must be empty.
func (r *staleRun) step(what string, edit func()) {
	r.t.Helper()
	edit()
	r.wd.write(r.config())
	r.director.arm()
	started := time.Now()
	err := r.wd.tf.Apply(context.Background(), r.wd.reattach)
	r.wd.stopProvider()
	took := time.Since(started)
	ended := r.staleProblems()
	time.Sleep(500 * time.Millisecond)
	later := r.staleProblems()
	r.director.disarm()
	undone, writes := r.director.repairUndone()
	stats := r.emu.StaleWriterStats()
	report := fmt.Sprintf("%s on %s: the provider's writes:\n      %s\n    stale copies written back at %v",
		what, r.res, writes, staleTimes(stats.Times, started))
	switch {
	case err != nil:
		r.t.Fatalf("%s: the apply failed:\n%s", report, tfError(err))
	case len(ended) > 0:
		r.t.Fatalf("%s: the apply succeeded, and when it had ended Daily was not as configured:\n    %s", report, describeProblems(ended))
	case len(later) > 0:
		r.t.Fatalf("%s: the apply succeeded, Daily was as configured when it ended, and not 0.5 s later:\n    %s", report, describeProblems(later))
	case !undone || stats.Refused > 0:
		r.t.Fatalf("%s: the stale writer did not undo both the first write and its repair (%d copies refused: %v): this step tested nothing", report, stats.Refused, stats.Errors)
	}
	if errs := r.learnSecrets(); len(errs) > 0 {
		r.t.Fatalf("%s:\n    %s", report, strings.Join(errs, "\n    "))
	}
	actions, err := r.wd.plannedChanges()
	switch {
	case err != nil:
		r.t.Fatalf("%s: the plan after the apply failed:\n%s", report, tfError(err))
	case len(actions) > 0:
		r.t.Fatalf("%s: the plan after the apply is not empty:\n      %s", report, strings.Join(actions, "\n      "))
	}
	r.t.Logf("%s: applied in %s", report, took.Round(time.Millisecond))
}

// staleTimes shows when each stale copy landed, after start.
func staleTimes(times []time.Time, start time.Time) []string {
	var out []string
	for _, at := range times {
		if at.After(start) {
			out = append(out, "+"+at.Sub(start).Round(time.Millisecond).String())
		}
	}
	return out
}
