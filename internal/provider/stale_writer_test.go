package provider

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// Another writer of the domain's dial-in config, such as a dashboard tab or a
// script that read the arrays just before the provider's write and saves its
// copy just after: the emulator's stale writer (emulator.StaleWriter). Daily
// has no compare-and-set, so the provider's defence is the read that
// confirms each write (internal/dialin/confirm.go). These tests check that
// it covers all four dial-in resources, every write (repairs included) and
// everything a change decided: values set, fields cleared, secrets kept.

// staleDelay is how long after the provider's write the stale copy lands:
// well within the engine's confirming delay (dialin.DefaultVerifyDelay), as
// a writer that read just before the write and saved just after would.
const staleDelay = 100 * time.Millisecond

// staleDirector serves the emulator to the provider and decides which of
// the provider's writes the stale writer undoes: once armed, the first write,
// and then the first write that makes again a change of that one: its
// repair, alone or merged into a later batch, or a later batch whose read,
// taken before the first copy landed, still held the first write's changes
// (the engine confirms a change only after the last write carrying it, so
// that one is repaired too). Other writes, such as the next batch of a
// per-route apply, are left alone. Writes go through it one at a time, which
// suits one provider (one engine) per domain.
type staleDirector struct {
	emu *emulator.Emulator

	mu     sync.Mutex
	armed  bool
	start  time.Time
	first  map[string]bool // the keys the first undone write changed
	undone int             // writes undone since armed: 2 once the repair was
	writes []string        // every write since armed, for reports
}

// serveStaleDirector starts the director in front of emu and returns it with
// the base URL the provider is to use.
func serveStaleDirector(t *testing.T, emu *emulator.Emulator) (*staleDirector, string) {
	d := &staleDirector{emu: emu}
	srv := httptest.NewServer(d)
	t.Cleanup(srv.Close)
	return d, srv.URL + "/v1"
}

// arm makes the director undo the next write and its first repair.
func (d *staleDirector) arm() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.armed, d.start, d.first, d.undone, d.writes = true, time.Now(), nil, 0, nil
}

// disarm leaves every later write alone.
func (d *staleDirector) disarm() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.armed = false
}

// repairUndone reports whether both writes were undone, and describes every
// write since arm.
func (d *staleDirector) repairUndone() (bool, string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.undone == 2, strings.Join(d.writes, "\n      ")
}

func (d *staleDirector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/v1"), "/"); r.Method != http.MethodPost || p != "" {
		d.emu.ServeHTTP(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	d.mu.Lock()
	defer d.mu.Unlock()
	d.awaitCopies()
	changed := d.changedKeys(body)
	repair := d.undone == 1 && slices.ContainsFunc(changed, func(k string) bool { return d.first[k] })
	undo := d.armed && (d.undone == 0 || repair)
	taken := d.emu.StaleWriterStats().Taken
	if undo {
		d.emu.SetStaleWriter(emulator.StaleWriter{Delay: staleDelay, Copies: 1})
	}
	d.emu.ServeHTTP(w, r)
	what := ""
	switch {
	case !undo:
	case d.emu.StaleWriterStats().Taken == taken: // refused or failed: nothing to undo
		d.emu.SetStaleWriter(emulator.StaleWriter{})
		what = " (not written: nothing undone)"
	case d.undone == 0:
		d.undone, d.first = 1, map[string]bool{}
		for _, k := range changed {
			d.first[k] = true
		}
		what = " (the first write: undone)"
	default:
		d.undone = 2
		what = " (its repair: undone)"
	}
	if d.armed {
		d.writes = append(d.writes, fmt.Sprintf("write at +%s changing %d routes%s",
			time.Since(d.start).Round(time.Millisecond), len(changed), what))
	}
}

// awaitCopies waits until no copy is pending, so that a copy never lands
// between the reading of a write's changes and the write: a write made from
// a read taken before the copy then counts the first write's changes it
// carries again, and is undone as its repair.
func (d *staleDirector) awaitCopies() {
	for deadline := time.Now().Add(10 * staleDelay); d.emu.StaleWriterStats().Pending > 0 && time.Now().Before(deadline); {
		time.Sleep(staleDelay / 20)
	}
}

// changedKeys are the keys of the routes a POST / body changes: added,
// edited or left out, against the arrays as Daily holds them now. sip_uri
// is left out of the comparison: Daily ignores a sent one.
func (d *staleDirector) changedKeys(body []byte) []string {
	var in struct {
		Properties map[string][]json.RawMessage `json:"properties"`
	}
	if json.Unmarshal(body, &in) != nil {
		return nil
	}
	comparableForm := func(raw []byte) string {
		fields, _ := decodeFields(raw)
		delete(fields, "sip_uri")
		return string(canonical(fields))
	}
	var changed []string
	for _, name := range slices.Sorted(maps.Keys(in.Properties)) {
		held := map[string]string{}
		for _, raw := range d.emu.DialinArray(name) {
			held[keyOf(raw)] = comparableForm(raw)
		}
		for _, raw := range in.Properties[name] {
			key := keyOf(raw)
			if was, ok := held[key]; !ok || was != comparableForm(raw) {
				changed = append(changed, key)
			}
			delete(held, key)
		}
		changed = append(changed, slices.Sorted(maps.Keys(held))...)
	}
	return changed
}

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
		if err := env.Emu.SetDialinArray(k.array, raws); err != nil {
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
// secret as decided), the unmanaged entries byte for byte, nothing else. It
// returns what is wrong, by route key ("" for what no route explains).
func (r *staleRun) staleProblems() map[string][]string {
	problems := map[string][]string{}
	add := func(key, format string, args ...any) {
		problems[key] = append(problems[key], fmt.Sprintf(format, args...))
	}
	k := r.res.kind
	for _, kind := range walkKinds {
		held := r.emu.DialinArray(kind.array)
		for _, want := range r.unmanaged[kind.array] {
			if !slices.ContainsFunc(held, func(h json.RawMessage) bool { return bytes.Equal(h, want) }) {
				add("", "%s: the unmanaged entry %s changed or is gone", kind.array, want)
			}
		}
		for _, raw := range held {
			key := keyOf(raw)
			if slices.ContainsFunc(r.unmanaged[kind.array], func(u json.RawMessage) bool { return bytes.Equal(u, raw) }) {
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

// TestAccDialinStaleWriter applies, for each of the four dial-in resources,
// a create of 30 routes, a change of 10 webhooks (PIN routes: greetings),
// timeout_config cleared on 10 routes (PIN routes: ivr_greeting) and a
// removal of 20, each while another writer undoes the apply's first write
// and the first repair of it, 100 ms after each. Every apply must succeed
// with Daily exact when it has ended and again 0.5 s later: values set,
// fields cleared, no secret rotated (the state's is Daily's, and stays),
// unmanaged entries and fields byte for byte; the next plan is empty.
func TestAccDialinStaleWriter(t *testing.T) {
	t.Parallel()
	for _, res := range staleResources {
		t.Run(res.String(), func(t *testing.T) {
			t.Parallel()
			r := newStaleRun(t, res, staleRoutes)
			k := res.kind
			r.step("a create of 30 routes", func() { r.addRoutes(r.numbers) })
			r.step("a change of 10 routes", func() {
				for i, number := range r.numbers[10:20] {
					c := r.routes[number]
					if k.secret {
						c.webhook = fmt.Sprintf("https://hooks.example/r%d/v2", 10+i)
					} else {
						c.greeting = fmt.Sprintf("Greeting %d, second version", 10+i)
					}
					r.routes[number] = c
				}
			})
			r.step("a field cleared on 10 routes", func() {
				for _, number := range r.numbers[:10] {
					c := r.routes[number]
					if c.timeout == "" && c.greeting == "" {
						t.Fatalf("route %s has nothing to clear", number)
					}
					c.timeout, c.greeting = "", ""
					r.routes[number] = c
				}
			})
			r.step("a removal of 20 routes", func() {
				for _, number := range r.numbers[10:] {
					delete(r.routes, number)
				}
			})
		})
	}
}
