package provider

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// The model of the config walk (walk_test.go): what Daily must hold, what the
// configuration declares, the moves that change them, and the configuration
// generated from them.

// walkKind is one dial-in array as the walk drives it.
type walkKind struct {
	name      string // in step descriptions
	array     string
	noun      string // as the provider's messages say it
	route     string // per-route resource type
	exclusive string // exclusive resource type
	// managed are the fields the resources own; any other field of an entry
	// is kept as Daily holds it.
	managed []string
	secret  bool // entries have hmac and sip_uri (pinless)
}

var walkKinds = [2]walkKind{
	{
		name: "pinless", array: client.PinlessDialin, noun: "pinless dial-in route",
		route: "daily_pinless_dialin_route", exclusive: "daily_pinless_dialin",
		managed: []string{"phone_number", "room_creation_api", "name_prefix", "hold_music_url", "timeout_config", "hmac", "sip_uri"},
		secret:  true,
	},
	{
		name: "pin", array: client.PinDialin, noun: "PIN dial-in route",
		route: "daily_pin_dialin_route", exclusive: "daily_pin_dialin",
		managed: []string{"phone_number", "name_prefix", "ivr_greeting"},
	},
}

// routeCfg is one route as the configuration declares it.
type routeCfg struct {
	number string // E.164; "" for a SIP-only route
	sip    string // a SIP-only route's name: its key is "sip:"+sip
	// prefix is name_prefix. A per-route SIP-only route always sets it to sip;
	// on the exclusive resource it is sip or "" (left out: the key implies it).
	prefix   string
	webhook  string // pinless
	hold     string // pinless
	timeout  string // pinless timeout_config.message
	greeting string // pin ivr_greeting.message
	// The secret of a per-route pinless route: hmac set explicitly, or the
	// write-only hmac_wo with its hmac_wo_version (0: unset). Both "" and 0:
	// Daily's secret is kept. The exclusive resource's secrets are its
	// hmacs map (walkDecl.hmacs).
	hmac      string
	wo        string
	woVersion int
}

func (c routeCfg) key() string {
	if c.number == "" {
		return "sip:" + c.sip
	}
	return c.number
}

// fields are the entry fields this route sets at Daily (not hmac or sip_uri).
func (c routeCfg) fields(k walkKind) map[string]any {
	f := map[string]any{}
	if c.number != "" {
		f["phone_number"] = c.number
	}
	switch {
	case c.sip != "":
		f["name_prefix"] = c.sip
	case c.prefix != "":
		f["name_prefix"] = c.prefix
	}
	if k.secret {
		f["room_creation_api"] = c.webhook
		if c.hold != "" {
			f["hold_music_url"] = c.hold
		}
		if c.timeout != "" {
			f["timeout_config"] = map[string]any{"message": c.timeout}
		}
	} else if c.greeting != "" {
		f["ivr_greeting"] = map[string]any{"message": c.greeting}
	}
	return f
}

func (c routeCfg) String() string {
	parts := []string{c.key()}
	add := func(name, v string) {
		if v != "" {
			parts = append(parts, name+"="+v)
		}
	}
	if c.sip == "" || c.prefix == "" {
		add("name_prefix", c.prefix)
	} else {
		parts = append(parts, "name_prefix=(key)")
	}
	add("webhook", c.webhook)
	add("hold", c.hold)
	add("timeout", c.timeout)
	add("greeting", c.greeting)
	add("hmac", secretName(c.hmac))
	if c.woVersion != 0 {
		add("hmac_wo", fmt.Sprintf("%s@v%d", secretName(c.wo), c.woVersion))
	}
	return "{" + strings.Join(parts, " ") + "}"
}

// sentSecret is the secret a write of route c sends to Daily, "" when the
// entry keeps the one it has: an explicit hmac always; hmac_wo when the route
// is created (prior nil: also a rename without moved, a replacement or an
// import, whose prior state knows no version) or its version changes.
func sentSecret(c routeCfg, prior *routeCfg) string {
	switch {
	case c.hmac != "":
		return c.hmac
	case c.woVersion != 0 && (prior == nil || prior.woVersion != c.woVersion):
		return c.wo
	}
	return ""
}

// secretName shows a walk secret by the name it encodes.
func secretName(hmac string) string {
	if b, err := base64.StdEncoding.DecodeString(hmac); err == nil && strings.HasPrefix(string(b), "walk-") {
		return string(b)
	}
	return hmac
}

// walkEntry is one entry as Daily must hold it.
type walkEntry struct {
	fields map[string]any // decoded as the emulator renders it (numbers as json.Number)
	// raw is set for unmanaged entries: the exact bytes Daily must keep returning.
	raw []byte
	// learnHMAC and learnSIP: set anew by this step (a new entry, or a rename
	// without moved); any value is right, and it is remembered from then on.
	learnHMAC, learnSIP bool
}

func (e *walkEntry) clone() *walkEntry {
	c := *e
	c.fields = cloneFields(e.fields)
	return &c
}

// extras are the fields no resource owns (e.g. one Daily's support added).
func (e *walkEntry) extras(k walkKind) map[string]any {
	out := map[string]any{}
	for f, v := range e.fields {
		if !slices.Contains(k.managed, f) {
			out[f] = v
		}
	}
	return out
}

// walkRoute is one instance of a per-route resource: block is the resource
// name, name its for_each key.
type walkRoute struct {
	block, name string
	cfg         routeCfg
}

func (k walkKind) addr(block, name string) string {
	return fmt.Sprintf("%s.%s[%q]", k.route, block, name)
}

// walkDecl is what the configuration declares for one array: per-route
// instances by address, or the exclusive resource's routes (nil: none) and,
// for pinless, its hmacs map (nil: unset; else a secret for every route).
type walkDecl struct {
	routes map[string]*walkRoute
	excl   map[string]routeCfg
	hmacs  map[string]string
}

func (d walkDecl) clone() walkDecl {
	c := walkDecl{routes: map[string]*walkRoute{}}
	for a, r := range d.routes {
		rc := *r
		c.routes[a] = &rc
	}
	if d.excl != nil {
		c.excl = maps.Clone(d.excl)
	}
	if d.hmacs != nil {
		c.hmacs = maps.Clone(d.hmacs)
	}
	return c
}

// declares reports whether key is declared, and by which address.
func (d walkDecl) declares(k walkKind, key string) (string, bool) {
	for _, a := range slices.Sorted(maps.Keys(d.routes)) {
		if d.routes[a].cfg.key() == key {
			return a, true
		}
	}
	if _, ok := d.excl[key]; ok {
		return k.exclusive + ".all", true
	}
	return "", false
}

func (d walkDecl) blocks() []string {
	var out []string
	for _, r := range d.routes {
		if !slices.Contains(out, r.block) {
			out = append(out, r.block)
		}
	}
	slices.Sort(out)
	return out
}

// walkArray is the model of one array.
type walkArray struct {
	kind    walkKind
	entries map[string]*walkEntry // by key: what Daily holds
	decl    walkDecl
}

func (a *walkArray) shape() string {
	switch {
	case a.decl.excl != nil:
		return "exclusive"
	case len(a.decl.routes) > 0:
		return "per-route"
	}
	return "none"
}

// walkStep is one step of a walk: out-of-band edits, then a configuration
// applied with terraform.
type walkStep struct {
	n    int
	desc []string
	decl [2]walkDecl // what the configuration declares after this step
	// moved maps new address to old, for the step's moved blocks.
	moved [2]map[string]string
	// forgotten are per-route resources (blocks) or "all" (the exclusive
	// resource) dropped from state with removed { destroy = false }.
	forgotten [2]map[string]bool
	imports   []walkImport // import blocks
	cli       []walkImport // terraform import commands, run before the apply
	oob       []walkOOB
	faults    *walkFaultMix
	// wantErr: the apply must fail with this error; the configuration then
	// goes back to what it was, and nothing may have changed.
	wantErr *regexp.Regexp
	// quiet are instances whose plan must be empty before the apply: a new
	// hmac_wo without a new version is invisible to Terraform.
	quiet []string

	arraysMoved [2]int // moves on each array
	sole        [2]bool
	touched     map[string]bool // keys touched by a move or an edit
	taken       map[string]bool // keys in use: not free for a new route
}

type walkImport struct{ to, id string }

// walkOOB is an edit of Daily's state by someone else, before the apply.
type walkOOB struct {
	array int
	op    string // "delete", "edit", "add"
	key   string
	value string         // edit: the new value
	entry map[string]any // add
}

type walkFaultMix struct {
	name   string
	faults emulator.Faults
}

var walkFaultMixes = []walkFaultMix{
	{"30% refused (429/500/503), 10% answers lost after commit", heavyFaults},
	{"40% of POST answers lost after commit", emulator.Faults{DropRate: 0.4, Routes: []string{"POST /"}}},
	{"25% refused with 429 rate-limit-error, 5 ms latency", emulator.Faults{FailRate: 0.25, FailStatuses: []int{429}, Latency: 5 * time.Millisecond}},
}

// The errors the walk expects for user errors.
var (
	// Two per-route resources declaring one key, in one array or across
	// both: refused at plan time, before any write. Either resource may be
	// the one that reports it, naming the other.
	walkDuplicateError = func(key string) *regexp.Regexp {
		return errorPattern("Dial-in route declared twice",
			key+" is declared by this resource and by another in this configuration: a daily_", "_dialin_route")
	}
	// A create over an entry that differs, without import.
	walkExistsError = func(k walkKind, key string) *regexp.Regexp {
		return errorPattern("Cannot create dial-in route", "Writing "+k.noun+" "+key+": "+k.array+" already has an entry for "+key, "import it")
	}
	// A number that an entry of the other array routes (unmanaged, or held
	// by its exclusive resource): Daily refuses the write.
	walkConflictError = func(k walkKind, key string) *regexp.Regexp {
		return errorPattern("Cannot create dial-in route", "Writing "+k.noun+" "+key+": ", "HTTP 400 invalid-request-error", key+" is used by more than one dial-in entry")
	}
	// An exclusive resource's hmacs set, but not for exactly its routes.
	walkSecretsError = errorPattern("Secrets do not match the routes", "When hmacs is set it must hold a secret for every route and nothing else")
)

// walker generates a walk from a seed and keeps its model.
type walker struct {
	rng     *rand.Rand
	skip    map[string]bool
	feat    walkFeatures
	arrays  [2]*walkArray
	numbers []string
	sips    []string
	counter int
	// woSecrets are the hmac_wo values the walk has configured: no state may
	// hold one, unless it is the live secret of a route whose hmac is stored.
	woSecrets []string
}

// walkFeatures are the newer CLI features the walk's moves may use; the
// walk leaves out the moves that need a feature its CLI lacks, so a seed
// walks differently on older CLIs.
type walkFeatures struct {
	writeOnly bool // hmac_wo: Terraform 1.11, OpenTofu 1.11
	forget    bool // removed { lifecycle { destroy = false } }: Terraform 1.7, OpenTofu 1.10
}

// allWalkFeatures is what the newest CLIs have.
var allWalkFeatures = walkFeatures{writeOnly: true, forget: true}

// Move names DAILY_WALK_SKIP accepts. Skipping changes the walk a seed makes.
var walkSkippable = []string{"rename", "rename-moved", "renumber", "forget", "dup", "exclusive-add", "sip-noprefix", "import", "faults", "oob", "errors", "exclusive", "sip", "write-only", "hmacs"}

func newWalker(seed uint64, skip map[string]bool, feat walkFeatures, numbers []string) *walker {
	w := &walker{
		rng:     rand.New(rand.NewPCG(seed, 0x77616c6b)),
		skip:    skip,
		feat:    feat,
		numbers: numbers,
		sips:    []string{"pbx-1", "pbx-2", "pbx-3"},
	}
	for i, k := range walkKinds {
		w.arrays[i] = &walkArray{kind: k, entries: map[string]*walkEntry{}, decl: walkDecl{routes: map[string]*walkRoute{}}}
	}
	return w
}

func (w *walker) fresh(prefix string) string {
	w.counter++
	return fmt.Sprintf("%s%d", prefix, w.counter)
}

func (w *walker) freshWebhook() string  { return "https://hooks.example/" + w.fresh("w") }
func (w *walker) freshHold() string     { return "https://cdn.example/" + w.fresh("hold") + ".mp3" }
func (w *walker) freshMessage() string  { return "Message " + w.fresh("m") }
func (w *walker) freshPrefix() string   { return w.fresh("p") }
func (w *walker) freshGreeting() string { return "Greeting " + w.fresh("g") }
func (w *walker) freshSecret() string {
	return base64.StdEncoding.EncodeToString([]byte("walk-" + w.fresh("secret")))
}

// freshWOSecret is a new secret for hmac_wo, remembered in woSecrets.
func (w *walker) freshWOSecret() string {
	secret := base64.StdEncoding.EncodeToString([]byte("walk-" + w.fresh("wo-secret")))
	w.woSecrets = append(w.woSecrets, secret)
	return secret
}

// writeOnly reports whether moves may use hmac_wo.
func (w *walker) writeOnly() bool { return w.feat.writeOnly && !w.skip["write-only"] }

func (w *walker) chance(p float64) bool { return w.rng.Float64() < p }

func pick[T any](w *walker, items []T) T { return items[w.rng.IntN(len(items))] }

// initialEntries are the routes Daily holds before the walk, none managed.
func (w *walker) initialEntries() [2][]map[string]any {
	var out [2][]map[string]any
	free := slices.Clone(w.numbers)
	w.rng.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
	for i := range 1 + w.rng.IntN(2) {
		e := map[string]any{"phone_number": free[0], "room_creation_api": "https://unmanaged.example/hook", "x_added_by_support": map[string]any{"ticket": i}}
		if w.chance(0.5) {
			e["hmac"] = "dW5tYW5hZ2VkLXNlY3JldA=="
		}
		if w.chance(0.5) {
			e["name_prefix"] = "support"
		}
		out[0] = append(out[0], e)
		free = free[1:]
	}
	if !w.skip["sip"] && w.chance(0.5) {
		out[0] = append(out[0], map[string]any{"name_prefix": w.sips[2], "room_creation_api": "https://unmanaged.example/sip"})
	}
	for range w.rng.IntN(3) {
		e := map[string]any{"phone_number": free[0]}
		if w.chance(0.5) {
			e["ivr_greeting"] = map[string]any{"message": "Welcome"}
		}
		out[1] = append(out[1], e)
		free = free[1:]
	}
	return out
}

// next generates step n: it decides the moves and edits on the model as it
// is; the expected outcome is computed once the edits are made (expect).
func (w *walker) next(n int) *walkStep {
	s := &walkStep{n: n, touched: map[string]bool{}, taken: map[string]bool{}}
	for i, a := range w.arrays {
		s.decl[i] = a.decl.clone()
		s.moved[i] = map[string]string{}
		s.forgotten[i] = map[string]bool{}
		for key := range a.entries {
			s.taken[key] = true
		}
		for _, r := range a.decl.routes {
			s.taken[r.cfg.key()] = true
		}
		for key := range a.decl.excl {
			s.taken[key] = true
		}
	}
	if n > 1 && !w.skip["errors"] && w.chance(0.12) && w.errorMove(s) {
		return s
	}
	moves := 1 + w.rng.IntN(3)
	if n == 1 {
		moves = 2 + w.rng.IntN(2)
	}
	for made, tries := 0, 0; made < moves && tries < 30; tries++ {
		if w.move(s, w.rng.IntN(2)) {
			made++
		}
	}
	if n > 1 && !w.skip["oob"] && w.chance(0.35) {
		for range 1 + w.rng.IntN(2) {
			w.oobMove(s)
		}
	}
	if !w.skip["faults"] && n > 1 && w.chance(0.25) {
		mix := pick(w, walkFaultMixes)
		s.faults = &mix
		s.desc = append(s.desc, "under faults: "+mix.name)
	}
	if len(s.desc) == 0 {
		s.desc = append(s.desc, "no change: re-apply")
	}
	return s
}

func (s *walkStep) say(format string, args ...any) {
	s.desc = append(s.desc, fmt.Sprintf(format, args...))
}

// freeKey picks a key no entry or declaration uses, nor any move of this
// step: a key freed in this step is not reused before the next one.
func (w *walker) freeKey(s *walkStep, sipOK bool) (string, bool) {
	var free []string
	for _, n := range w.numbers {
		if !s.taken[n] {
			free = append(free, n)
		}
	}
	var sips []string
	if sipOK && !w.skip["sip"] {
		for _, name := range w.sips {
			if !s.taken["sip:"+name] {
				sips = append(sips, "sip:"+name)
			}
		}
	}
	if len(sips) > 0 && (len(free) == 0 || w.chance(0.25)) {
		free = sips
	}
	if len(free) == 0 {
		return "", false
	}
	key := pick(w, free)
	s.taken[key] = true
	s.touched[key] = true
	return key, true
}

// newCfg is a route for key with random attributes.
func (w *walker) newCfg(k walkKind, key string, exclusive bool) routeCfg {
	var c routeCfg
	if name, ok := strings.CutPrefix(key, "sip:"); ok {
		c.sip, c.prefix = name, name
		if exclusive && !w.skip["sip-noprefix"] && w.chance(0.5) {
			c.prefix = ""
		}
	} else {
		c.number = key
		if w.chance(0.4) {
			c.prefix = w.freshPrefix()
		}
	}
	if k.secret {
		c.webhook = w.freshWebhook()
		if w.chance(0.3) {
			c.hold = w.freshHold()
		}
		if w.chance(0.3) {
			c.timeout = w.freshMessage()
		}
		switch x := w.rng.Float64(); {
		case exclusive: // the exclusive resource's secrets are in its hmacs map
		case x < 0.2:
			c.hmac = w.freshSecret()
		case x < 0.4 && w.writeOnly():
			c.wo, c.woVersion = w.freshWOSecret(), 1
		}
	} else if w.chance(0.5) {
		c.greeting = w.freshGreeting()
	}
	return c
}

// cfgOf is the route that declares entry as it is.
func cfgOf(k walkKind, key string, e *walkEntry, exclusive bool) routeCfg {
	var c routeCfg
	str := func(f string) string { s, _ := e.fields[f].(string); return s }
	msg := func(f string) string { m, _ := e.fields[f].(map[string]any); s, _ := m["message"].(string); return s }
	if name, ok := strings.CutPrefix(key, "sip:"); ok {
		c.sip = name
		if !exclusive {
			c.prefix = name
		}
	} else {
		c.number = key
		c.prefix = str("name_prefix")
	}
	if k.secret {
		c.webhook, c.hold, c.timeout = str("room_creation_api"), str("hold_music_url"), msg("timeout_config")
	} else {
		c.greeting = msg("ivr_greeting")
	}
	return c
}

// changeAttr changes one optional attribute (or the webhook): set, change or unset.
func (w *walker) changeAttr(k walkKind, c *routeCfg, exclusive bool) string {
	type option struct {
		name string
		v    *string
		next func() string
	}
	var opts []option
	if k.secret {
		opts = append(opts, option{"webhook", &c.webhook, w.freshWebhook}, option{"hold_music_url", &c.hold, w.freshHold},
			option{"timeout_config", &c.timeout, w.freshMessage})
	} else {
		opts = append(opts, option{"ivr_greeting", &c.greeting, w.freshGreeting})
	}
	if c.sip == "" {
		opts = append(opts, option{"name_prefix", &c.prefix, w.freshPrefix})
	} else if exclusive && !w.skip["sip-noprefix"] {
		// Left out or the key's name: both mean the same entry.
		if c.prefix == "" {
			c.prefix = c.sip
			return "name_prefix set to the key's name " + c.sip
		}
		if w.chance(0.3) {
			c.prefix = ""
			return "name_prefix " + c.sip + " left out (implied by the key)"
		}
	}
	o := pick(w, opts)
	old := *o.v
	switch {
	case o.name == "webhook" || old == "" || w.chance(0.5):
		*o.v = o.next()
		if old == "" {
			return fmt.Sprintf("set %s = %q", o.name, *o.v)
		}
		return fmt.Sprintf("change %s %q -> %q", o.name, old, *o.v)
	default:
		*o.v = ""
		return fmt.Sprintf("unset %s (was %q)", o.name, old)
	}
}

// changeHMAC changes how a per-route pinless route sets its secret: an
// explicit hmac, the write-only hmac_wo, or neither (Daily's is kept).
// quiet is set when the change is invisible to Terraform.
func (w *walker) changeHMAC(c *routeCfg) (what string, quiet bool) {
	type option struct {
		ok bool
		do func() string
	}
	wo := w.writeOnly()
	setWO := func() string {
		c.hmac, c.wo, c.woVersion = "", w.freshWOSecret(), 1
		return fmt.Sprintf("set hmac_wo = %s, hmac_wo_version = 1", secretName(c.wo))
	}
	var options []option
	switch {
	case c.woVersion != 0:
		options = []option{
			{true, func() string {
				c.wo, c.woVersion = w.freshWOSecret(), c.woVersion+1
				return fmt.Sprintf("bump hmac_wo_version to %d with a new hmac_wo = %s (sent)", c.woVersion, secretName(c.wo))
			}},
			{true, func() string {
				old := c.wo
				c.wo, quiet = w.freshWOSecret(), true
				return fmt.Sprintf("change hmac_wo %s -> %s without a new version (not sent, plan empty)", secretName(old), secretName(c.wo))
			}},
			{true, func() string {
				c.wo, c.woVersion = "", 0
				return "drop hmac_wo and its version (Daily keeps its secret, read into hmac)"
			}},
			{true, func() string {
				c.wo, c.woVersion, c.hmac = "", 0, w.freshSecret()
				return "switch from hmac_wo to hmac = " + secretName(c.hmac)
			}},
		}
	case c.hmac != "":
		options = []option{
			{true, func() string {
				old := c.hmac
				c.hmac = w.freshSecret()
				return fmt.Sprintf("change hmac %s -> %s", secretName(old), secretName(c.hmac))
			}},
			{true, func() string {
				old := c.hmac
				c.hmac = ""
				return fmt.Sprintf("drop explicit hmac %s (Daily keeps it)", secretName(old))
			}},
			{wo, func() string { return "switch from hmac to write-only: " + setWO() }},
		}
	default:
		options = []option{
			{true, func() string {
				c.hmac = w.freshSecret()
				return "set hmac = " + secretName(c.hmac)
			}},
			{wo, func() string { return "from the kept secret to write-only: " + setWO() }},
		}
	}
	options = slices.DeleteFunc(options, func(o option) bool { return !o.ok })
	what = pick(w, options).do()
	return what, quiet
}

// untouchedRoutes are the per-route instances of array i no move of this step touched.
func untouchedRoutes(s *walkStep, i int) []*walkRoute {
	var out []*walkRoute
	for _, a := range slices.Sorted(maps.Keys(s.decl[i].routes)) {
		if r := s.decl[i].routes[a]; !s.touched[r.cfg.key()] {
			out = append(out, r)
		}
	}
	return out
}

// unmanaged are the keys of array i's entries that nothing declares and no move touched.
func (w *walker) unmanaged(s *walkStep, i int) []string {
	var out []string
	for _, key := range slices.Sorted(maps.Keys(w.arrays[i].entries)) {
		if _, declared := w.arrays[i].decl.declares(w.arrays[i].kind, key); !declared && !s.touched[key] {
			out = append(out, key)
		}
	}
	return out
}

// move makes one random move on array i; false when the one drawn does not apply.
func (w *walker) move(s *walkStep, i int) bool {
	if s.sole[i] {
		return false
	}
	a := w.arrays[i]
	k := a.kind
	switch a.shape() {
	case "exclusive":
		return w.exclusiveMove(s, i)
	case "none":
		if !w.skip["exclusive"] && s.arraysMoved[i] == 0 && w.chance(0.35) {
			return w.adoptExclusive(s, i)
		}
	}
	// Per-route moves.
	type move struct {
		name   string
		weight float64
	}
	moves := []move{{"add", 3}, {"remove", 2}, {"attr", 3}, {"rename-moved", 1.5}, {"rename", 1.5}, {"renumber", 1},
		{"forget", 0.7}, {"import", 1.5}, {"adopt", 0.7}}
	if k.secret {
		moves = append(moves, move{"hmac", 3})
	}
	total := 0.0
	for _, m := range moves {
		total += m.weight
	}
	x := w.rng.Float64() * total
	var name string
	for _, m := range moves {
		if x -= m.weight; x < 0 {
			name = m.name
			break
		}
	}
	if name == "" {
		name = moves[len(moves)-1].name
	}
	if w.skip[name] || (name == "adopt" && w.skip["import"]) {
		return false
	}
	routes := untouchedRoutes(s, i)
	done := func(key string) bool {
		s.touched[key] = true
		s.arraysMoved[i]++
		return true
	}
	switch name {
	case "add":
		if len(s.decl[i].routes) >= 6 {
			return false
		}
		key, ok := w.freeKey(s, k.secret)
		if !ok {
			return false
		}
		r := &walkRoute{block: w.block(s, i), name: w.fresh("k"), cfg: w.newCfg(k, key, false)}
		s.decl[i].routes[k.addr(r.block, r.name)] = r
		s.say("%s: add %s = %v", k.name, k.addr(r.block, r.name), r.cfg)
		return done(key)
	case "remove":
		if len(routes) == 0 {
			return false
		}
		r := pick(w, routes)
		delete(s.decl[i].routes, k.addr(r.block, r.name))
		s.say("%s: remove %s (%s)", k.name, k.addr(r.block, r.name), r.cfg.key())
		return done(r.cfg.key())
	case "attr", "hmac":
		if len(routes) == 0 {
			return false
		}
		r := pick(w, routes)
		var what string
		if name == "hmac" {
			var quiet bool
			if what, quiet = w.changeHMAC(&r.cfg); quiet {
				s.quiet = append(s.quiet, k.addr(r.block, r.name))
			}
		} else {
			what = w.changeAttr(k, &r.cfg, false)
		}
		s.say("%s: %s: %s", k.name, k.addr(r.block, r.name), what)
		return done(r.cfg.key())
	case "rename-moved", "rename":
		var candidates []*walkRoute
		for _, r := range routes {
			// Without moved, the destroy and the create are netted: the
			// entry stays, its hmac, sip_uri and extra fields too.
			if _, ok := a.entries[r.cfg.key()]; ok {
				candidates = append(candidates, r)
			}
		}
		if len(candidates) == 0 {
			return false
		}
		r := pick(w, candidates)
		from := k.addr(r.block, r.name)
		delete(s.decl[i].routes, from)
		if w.chance(0.3) {
			r.block = w.otherBlock(r.block)
		}
		r.name = w.fresh("k")
		to := k.addr(r.block, r.name)
		s.decl[i].routes[to] = r
		if name == "rename-moved" {
			s.moved[i][to] = from
			s.say("%s: rename %s -> %s with a moved block", k.name, from, to)
		} else {
			s.say("%s: rename %s -> %s without a moved block", k.name, from, to)
		}
		return done(r.cfg.key())
	case "renumber":
		if len(routes) == 0 {
			return false
		}
		r := pick(w, routes)
		old := r.cfg.key()
		if r.cfg.sip != "" {
			key, ok := w.freeSIP(s)
			if !ok {
				return false
			}
			r.cfg.sip, r.cfg.prefix = strings.TrimPrefix(key, "sip:"), strings.TrimPrefix(key, "sip:")
			s.say("%s: %s: name_prefix of the SIP-only route %s -> %s (replaces it)", k.name, k.addr(r.block, r.name), old, key)
		} else {
			key, ok := w.freeNumber(s)
			if !ok {
				return false
			}
			r.cfg.number = key
			s.say("%s: %s: phone_number %s -> %s (replaces it)", k.name, k.addr(r.block, r.name), old, key)
		}
		s.touched[old] = true
		return done(r.cfg.key())
	case "forget":
		if s.arraysMoved[i] > 0 || !w.feat.forget {
			return false
		}
		blocks := s.decl[i].blocks()
		if len(blocks) == 0 {
			return false
		}
		block := pick(w, blocks)
		var names []string
		for _, addr := range slices.Sorted(maps.Keys(s.decl[i].routes)) {
			if r := s.decl[i].routes[addr]; r.block == block {
				delete(s.decl[i].routes, addr)
				s.touched[r.cfg.key()] = true
				names = append(names, r.cfg.key())
			}
		}
		s.forgotten[i][block] = true
		s.sole[i] = true
		s.say("%s: forget %s.%s with removed { destroy = false }: %s stay at Daily, unmanaged", k.name, k.route, block, strings.Join(names, ", "))
		s.arraysMoved[i]++
		return true
	case "import", "adopt":
		keys := w.unmanaged(s, i)
		if len(keys) == 0 || len(s.decl[i].routes) >= 6 {
			return false
		}
		key := pick(w, keys)
		cfg := cfgOf(k, key, a.entries[key], false)
		r := &walkRoute{block: w.block(s, i), name: w.fresh("k"), cfg: cfg}
		addr := k.addr(r.block, r.name)
		if name == "adopt" {
			s.say("%s: add %s = %v, identical to the unmanaged entry: the create adopts it", k.name, addr, cfg)
		} else {
			var what string
			if w.chance(0.5) {
				what = ", then " + w.changeAttr(k, &r.cfg, false)
			}
			if k.secret && w.chance(0.15) {
				change, _ := w.changeHMAC(&r.cfg)
				what += ", then " + change
			}
			imp := walkImport{to: addr, id: key}
			if w.chance(0.5) {
				s.imports = append(s.imports, imp)
				s.say("%s: import %s into %s with an import block, as %v%s", k.name, key, addr, cfg, what)
			} else {
				s.cli = append(s.cli, imp)
				s.say("%s: terraform import %s %s, as %v%s", k.name, addr, key, cfg, what)
			}
		}
		s.decl[i].routes[addr] = r
		return done(key)
	}
	return false
}

func (w *walker) freeNumber(s *walkStep) (string, bool) {
	for tries := 0; tries < 10; tries++ {
		if key, ok := w.freeKey(s, false); ok && !strings.HasPrefix(key, "sip:") {
			return key, true
		}
	}
	return "", false
}

func (w *walker) freeSIP(s *walkStep) (string, bool) {
	var free []string
	for _, name := range w.sips {
		if !s.taken["sip:"+name] {
			free = append(free, "sip:"+name)
		}
	}
	if len(free) == 0 {
		return "", false
	}
	key := pick(w, free)
	s.taken[key], s.touched[key] = true, true
	return key, true
}

// block picks the resource a new route goes into: r, or now and then s.
func (w *walker) block(s *walkStep, i int) string {
	if blocks := s.decl[i].blocks(); len(blocks) > 0 && w.chance(0.7) {
		return pick(w, blocks)
	}
	if w.chance(0.7) {
		return "r"
	}
	return "s"
}

func (w *walker) otherBlock(b string) string {
	if b == "r" {
		return "s"
	}
	return "r"
}

// adoptExclusive creates the exclusive resource on an array nothing
// manages: it takes over the entries it declares (hmac kept), adds new ones
// and removes the others. Via create or an import block.
func (w *walker) adoptExclusive(s *walkStep, i int) bool {
	a := w.arrays[i]
	k := a.kind
	viaImport := !w.skip["import"] && w.chance(0.5)
	routes := map[string]routeCfg{}
	var parts []string
	for _, key := range slices.Sorted(maps.Keys(a.entries)) {
		if w.chance(0.15) {
			parts = append(parts, "drop "+key)
			continue
		}
		c := cfgOf(k, key, a.entries[key], true)
		if c.sip != "" && (w.skip["sip-noprefix"] || w.chance(0.5)) {
			c.prefix = c.sip
		}
		what := fmt.Sprintf("keep %v", c)
		if w.chance(0.3) {
			what += ", then " + w.changeAttr(k, &c, true)
		}
		routes[key] = c
		parts = append(parts, what)
	}
	// New routes: with an import block, they are new elements of an existing map.
	if !viaImport || !w.skip["exclusive-add"] {
		for range w.rng.IntN(3) {
			if key, ok := w.freeKey(s, k.secret); ok {
				routes[key] = w.newCfg(k, key, true)
				parts = append(parts, fmt.Sprintf("add %v", routes[key]))
			}
		}
	}
	for key := range a.entries {
		s.touched[key] = true
	}
	s.decl[i].excl = routes
	if k.secret && !w.skip["hmacs"] && w.chance(0.25) {
		parts = append(parts, w.setHMACs(s, i))
	}
	s.sole[i] = true
	s.arraysMoved[i]++
	how := "create"
	if imp := (walkImport{to: k.exclusive + ".all", id: k.array}); viaImport && w.chance(0.5) {
		how = "import block (id " + k.array + ")"
		s.imports = append(s.imports, imp)
	} else if viaImport {
		how = "terraform import " + imp.to + " " + imp.id
		s.cli = append(s.cli, imp)
	}
	if len(parts) == 0 {
		parts = append(parts, "no routes")
	}
	s.say("%s: take the array over with %s.all by %s: %s", k.name, k.exclusive, how, strings.Join(parts, "; "))
	return true
}

// setHMACs sets the exclusive resource's hmacs for all its routes: some to
// new secrets, others to the live secrets Daily holds.
func (w *walker) setHMACs(s *walkStep, i int) string {
	a := w.arrays[i]
	hmacs := map[string]string{}
	var parts []string
	for _, key := range slices.Sorted(maps.Keys(s.decl[i].excl)) {
		if e, ok := a.entries[key]; ok && w.chance(0.5) {
			if live, _ := e.fields["hmac"].(string); live != "" {
				hmacs[key] = live
				parts = append(parts, key+" its live secret")
				continue
			}
		}
		hmacs[key] = w.freshSecret()
		parts = append(parts, key+" "+secretName(hmacs[key]))
	}
	s.decl[i].hmacs = hmacs
	if len(parts) == 0 {
		parts = append(parts, "no routes: {}")
	}
	return "set hmacs for all routes: " + strings.Join(parts, ", ")
}

func (w *walker) exclusiveMove(s *walkStep, i int) bool {
	a := w.arrays[i]
	k := a.kind
	routes := s.decl[i].excl
	hmacs := s.decl[i].hmacs
	var keys []string
	for _, key := range slices.Sorted(maps.Keys(routes)) {
		if !s.touched[key] {
			keys = append(keys, key)
		}
	}
	done := func(key string) bool {
		s.touched[key] = true
		s.arraysMoved[i]++
		return true
	}
	switch x := w.rng.Float64() * 11; {
	case x < 2.5: // add
		if w.skip["exclusive-add"] || len(routes) >= 6 {
			return false
		}
		key, ok := w.freeKey(s, k.secret)
		if !ok {
			return false
		}
		routes[key] = w.newCfg(k, key, true)
		with := ""
		if hmacs != nil {
			hmacs[key] = w.freshSecret()
			with = " with its secret in hmacs: " + secretName(hmacs[key])
		}
		s.say("%s: %s.all: add %v%s", k.name, k.exclusive, routes[key], with)
		return done(key)
	case x < 4:
		if len(keys) == 0 {
			return false
		}
		key := pick(w, keys)
		delete(routes, key)
		delete(hmacs, key)
		s.say("%s: %s.all: remove %s", k.name, k.exclusive, key)
		return done(key)
	case x < 7:
		if len(keys) == 0 {
			return false
		}
		key := pick(w, keys)
		c := routes[key]
		what := w.changeAttr(k, &c, true)
		routes[key] = c
		s.say("%s: %s.all: %s: %s", k.name, k.exclusive, key, what)
		return done(key)
	case x < 9: // the secrets, in hmacs
		if !k.secret || w.skip["hmacs"] {
			return false
		}
		switch {
		case hmacs == nil:
			s.say("%s: %s.all: %s", k.name, k.exclusive, w.setHMACs(s, i))
			s.arraysMoved[i]++
			return true
		case len(keys) > 0 && w.chance(0.6):
			key := pick(w, keys)
			old := hmacs[key]
			hmacs[key] = w.freshSecret()
			s.say("%s: %s.all: change the secret of %s in hmacs: %s -> %s", k.name, k.exclusive, key, secretName(old), secretName(hmacs[key]))
			return done(key)
		default:
			s.decl[i].hmacs = nil
			s.say("%s: %s.all: drop hmacs (Daily keeps the secrets)", k.name, k.exclusive)
			s.arraysMoved[i]++
			return true
		}
	case x < 10: // a route moves to another number: a new key in the map
		if w.skip["exclusive-add"] || len(keys) == 0 {
			return false
		}
		old := pick(w, keys)
		c := routes[old]
		if c.sip != "" {
			return false
		}
		key, ok := w.freeNumber(s)
		if !ok {
			return false
		}
		delete(routes, old)
		c.number = key
		routes[key] = c
		s.touched[old] = true
		with := ""
		if hmacs != nil {
			if w.chance(0.5) {
				hmacs[key] = hmacs[old]
				with = ", its secret with it"
			} else {
				hmacs[key] = w.freshSecret()
				with = ", with a new secret " + secretName(hmacs[key])
			}
			delete(hmacs, old)
		}
		s.say("%s: %s.all: route %s moves to phone number %s%s", k.name, k.exclusive, old, key, with)
		return done(key)
	default: // forget or destroy the resource
		if s.arraysMoved[i] > 0 {
			return false
		}
		for key := range routes {
			s.touched[key] = true
		}
		for key := range a.entries {
			s.touched[key] = true
		}
		s.decl[i].excl, s.decl[i].hmacs = nil, nil
		s.sole[i] = true
		s.arraysMoved[i]++
		if w.feat.forget && !w.skip["forget"] && w.chance(0.5) {
			s.forgotten[i]["all"] = true
			s.say("%s: forget %s.all with removed { destroy = false }: its routes stay at Daily, unmanaged", k.name, k.exclusive)
		} else {
			s.say("%s: destroy %s.all: the array is emptied", k.name, k.exclusive)
		}
		return true
	}
}

// errorMove makes a step whose apply must fail: a user error. It is the
// step's only move; the configuration then goes back.
func (w *walker) errorMove(s *walkStep) bool {
	i := w.rng.IntN(2)
	a := w.arrays[i]
	k := a.kind
	if a.shape() == "exclusive" {
		return w.secretsErrorMove(s, i)
	}
	block := w.block(s, i)
	name := w.fresh("k")
	addr := k.addr(block, name)
	switch x := w.rng.IntN(3); {
	case x == 0 && !w.skip["dup"]: // a second instance declares a managed route
		routes := untouchedRoutes(s, i)
		if len(routes) == 0 {
			return false
		}
		r := pick(w, routes)
		c := r.cfg
		what := "the same attributes"
		if w.chance(0.5) {
			what = w.changeAttr(k, &c, false)
		}
		s.decl[i].routes[addr] = &walkRoute{block: block, name: name, cfg: c}
		s.wantErr = walkDuplicateError(c.key())
		s.say("%s: add %s declaring %s like %s (%s): expect an error", k.name, addr, c.key(), k.addr(r.block, r.name), what)
	case x == 1: // create over an entry that differs, without import
		keys := w.unmanaged(s, i)
		if len(keys) == 0 {
			return false
		}
		key := keys[w.rng.IntN(len(keys))]
		c := cfgOf(k, key, a.entries[key], false)
		if k.secret {
			c.webhook = w.freshWebhook()
		} else {
			c.greeting = w.freshGreeting()
		}
		s.decl[i].routes[addr] = &walkRoute{block: block, name: name, cfg: c}
		s.wantErr = walkExistsError(k, key)
		s.say("%s: add %s = %v over the differing unmanaged entry, without import: expect an error", k.name, addr, c)
	default: // a number the other array routes
		other := w.arrays[1-i]
		var keys []string
		for _, key := range slices.Sorted(maps.Keys(other.entries)) {
			if !strings.HasPrefix(key, "sip:") {
				keys = append(keys, key)
			}
		}
		if len(keys) == 0 {
			return false
		}
		key := keys[w.rng.IntN(len(keys))]
		c := w.newCfg(k, key, false)
		s.decl[i].routes[addr] = &walkRoute{block: block, name: name, cfg: c}
		// A per-route resource of the other array declares it: the plan
		// refuses. Unmanaged, or the other exclusive resource's: Daily does.
		if holder, declared := other.decl.declares(other.kind, key); declared && other.decl.excl == nil {
			s.wantErr = walkDuplicateError(key)
			s.say("%s: add %s = %v, a number %s routes: expect the plan's refusal", k.name, addr, c, holder)
		} else {
			s.wantErr = walkConflictError(k, key)
			s.say("%s: add %s = %v, a number the %s array routes: expect Daily's refusal", k.name, addr, c, other.kind.name)
		}
	}
	return true
}

// secretsErrorMove gives the exclusive pinless resource an hmacs map that
// does not match its routes: a route without a secret, or a secret without
// a route. ValidateConfig refuses it.
func (w *walker) secretsErrorMove(s *walkStep, i int) bool {
	a := w.arrays[i]
	k := a.kind
	if !k.secret || w.skip["hmacs"] {
		return false
	}
	d := &s.decl[i]
	keys := slices.Sorted(maps.Keys(d.excl))
	switch {
	case d.hmacs == nil && len(keys) > 0: // set, but for all routes but one
		w.setHMACs(s, i)
		left := pick(w, keys)
		delete(d.hmacs, left)
		s.say("%s: %s.all: set hmacs for every route but %s: expect an error", k.name, k.exclusive, left)
	case d.hmacs != nil && len(keys) > 0 && w.chance(0.5): // a secret for a route that is not there
		key, ok := w.freeKey(s, true)
		if !ok {
			return false
		}
		d.hmacs[key] = w.freshSecret()
		s.say("%s: %s.all: a secret in hmacs for %s, which is not a route: expect an error", k.name, k.exclusive, key)
	case d.hmacs != nil: // a new route without a secret
		if len(keys) >= 6 {
			return false
		}
		key, ok := w.freeKey(s, true)
		if !ok {
			return false
		}
		d.excl[key] = w.newCfg(k, key, true)
		s.say("%s: %s.all: add %v without a secret in hmacs: expect an error", k.name, k.exclusive, d.excl[key])
	default:
		return false
	}
	s.wantErr = walkSecretsError
	return true
}

// oobMove edits Daily's state out of band, on an entry no move touched.
func (w *walker) oobMove(s *walkStep) {
	i := w.rng.IntN(2)
	a := w.arrays[i]
	k := a.kind
	var keys, deletable []string
	for _, key := range slices.Sorted(maps.Keys(a.entries)) {
		if s.touched[key] {
			continue
		}
		keys = append(keys, key)
		// Deleting a route the exclusive resource manages makes the apply add it back.
		if _, managed := s.decl[i].declares(k, key); !w.skip["exclusive-add"] || !managed || s.decl[i].excl == nil {
			deletable = append(deletable, key)
		}
	}
	switch x := w.rng.IntN(3); {
	case x == 0 && len(deletable) > 0:
		key := pick(w, deletable)
		s.oob = append(s.oob, walkOOB{array: i, op: "delete", key: key})
		s.touched[key] = true
		s.say("out of band, before the apply: delete the %s entry %s", k.name, key)
	case x == 1 && len(keys) > 0:
		key := pick(w, keys)
		var value string
		if k.secret {
			value = "https://oob.example/" + w.fresh("w")
			s.say("out of band, before the apply: change the webhook of the %s entry %s to %s", k.name, key, value)
		} else {
			value = w.fresh("oob")
			s.say("out of band, before the apply: change the name_prefix of the %s entry %s to %s", k.name, key, value)
		}
		s.oob = append(s.oob, walkOOB{array: i, op: "edit", key: key, value: value})
		s.touched[key] = true
	default:
		key, ok := w.freeKey(s, k.secret)
		if !ok {
			return
		}
		entry := map[string]any{"x_added_by_support": map[string]any{"ticket": w.counter}}
		if name, ok := strings.CutPrefix(key, "sip:"); ok {
			entry["name_prefix"] = name
		} else {
			entry["phone_number"] = key
		}
		if k.secret {
			entry["room_creation_api"] = "https://oob.example/" + w.fresh("w")
			if w.chance(0.5) {
				entry["hmac"] = base64.StdEncoding.EncodeToString([]byte("walk-" + w.fresh("oob-secret")))
			}
		}
		s.oob = append(s.oob, walkOOB{array: i, op: "add", key: key, entry: entry})
		s.say("out of band, before the apply: add an unmanaged %s entry %s", k.name, key)
	}
}

// expect computes what Daily must hold after step s is applied, from the
// entries as they are after the out-of-band edits. Per-route: a removed or
// replaced instance deletes its entry unless another instance declares the
// key in this run (a rename without moved, which the provider nets: the
// entry stays as it is); a declared key whose entry exists is updated in
// place, else created anew. Exclusive: exactly the declared routes. Updates
// keep the hmac unless the configuration sends one (sentSecret, or the
// exclusive resource's hmacs), the sip_uri, and every field no resource owns.
func (w *walker) expect(s *walkStep, i int) map[string]*walkEntry {
	a := w.arrays[i]
	k := a.kind
	next := s.decl[i]
	out := map[string]*walkEntry{}
	for key, e := range a.entries {
		out[key] = e.clone()
	}
	old := map[string]*walkRoute{}
	for addr, r := range a.decl.routes {
		old[addr] = r
	}
	for to, from := range s.moved[i] {
		old[to] = old[from]
		delete(old, from)
	}
	declaredNow := map[string]bool{}
	for _, r := range next.routes {
		declaredNow[r.cfg.key()] = true
	}
	for addr, r := range old {
		if s.forgotten[i][r.block] {
			continue
		}
		if n, ok := next.routes[addr]; ok && n.cfg.key() == r.cfg.key() {
			continue
		}
		if !declaredNow[r.cfg.key()] {
			delete(out, r.cfg.key())
		}
	}
	for addr, r := range next.routes {
		key := r.cfg.key()
		cur, present := out[key]
		if !present {
			// Created: also a route whose entry was deleted out of band.
			out[key] = createdEntry(k, r.cfg, sentSecret(r.cfg, nil))
			continue
		}
		// Updated in place, imported, or renamed without moved (then created
		// at its new address, which nets with the destroy).
		var prior *routeCfg
		if o, ok := old[addr]; ok && o.cfg.key() == key {
			prior = &o.cfg
		}
		out[key] = updatedEntry(k, cur, r.cfg, sentSecret(r.cfg, prior))
	}
	switch {
	case s.forgotten[i]["all"]:
	case next.excl != nil:
		rebuilt := map[string]*walkEntry{}
		for key, c := range next.excl {
			secret := next.hmacs[key]
			if cur, ok := out[key]; ok {
				rebuilt[key] = updatedEntry(k, cur, c, secret)
			} else {
				rebuilt[key] = createdEntry(k, c, secret)
			}
		}
		out = rebuilt
	case a.decl.excl != nil: // destroyed
		out = map[string]*walkEntry{}
	}
	return out
}

// createdEntry is a new entry for route c; secret is the hmac its write sends,
// "" for one Daily mints.
func createdEntry(k walkKind, c routeCfg, secret string) *walkEntry {
	e := &walkEntry{fields: c.fields(k)}
	if k.secret {
		e.learnSIP = true
		if secret != "" {
			e.fields["hmac"] = secret
		} else {
			e.learnHMAC = true
		}
	}
	return e
}

// updatedEntry is entry cur as route c makes it; secret is the hmac the write
// sends, "" to keep the entry's.
func updatedEntry(k walkKind, cur *walkEntry, c routeCfg, secret string) *walkEntry {
	e := &walkEntry{fields: cur.extras(k), learnHMAC: cur.learnHMAC, learnSIP: cur.learnSIP}
	maps.Copy(e.fields, c.fields(k))
	if k.secret {
		e.fields["hmac"], e.fields["sip_uri"] = cur.fields["hmac"], cur.fields["sip_uri"]
		if secret != "" {
			e.fields["hmac"], e.learnHMAC = secret, false
		}
	}
	return e
}

// check compares Daily's array with the expected entries. On success the
// expected entries become the model, with the values learned from Daily:
// new secrets and sip_uris, and the bytes of entries that became unmanaged.
func (w *walker) check(i int, expected map[string]*walkEntry, decl walkDecl, actual []json.RawMessage) []string {
	k := w.arrays[i].kind
	var errs []string
	have := map[string]json.RawMessage{}
	for _, raw := range actual {
		fields, err := decodeFields(raw)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: entry is not an object: %s", k.array, raw))
			continue
		}
		key := entryKeyOf(fields)
		if _, dup := have[key]; dup {
			errs = append(errs, fmt.Sprintf("%s holds %s twice", k.array, key))
		}
		have[key] = raw
	}
	owner := func(key string) string {
		if addr, ok := decl.declares(k, key); ok {
			return "managed by " + addr
		}
		return "unmanaged"
	}
	learned := map[string]*walkEntry{}
	for _, key := range slices.Sorted(maps.Keys(expected)) {
		want := expected[key]
		raw, ok := have[key]
		if !ok {
			errs = append(errs, fmt.Sprintf("%s lost %s (%s): want %s", k.array, key, owner(key), want.describe()))
			continue
		}
		if want.raw != nil {
			if !bytes.Equal(raw, want.raw) {
				errs = append(errs, fmt.Sprintf("%s: the unmanaged entry %s changed:\n      want %s\n      have %s", k.array, key, want.raw, raw))
			}
			learned[key] = want
			continue
		}
		got, _ := decodeFields(raw)
		cmp := cloneFields(want.fields)
		for f, learn := range map[string]bool{"hmac": want.learnHMAC, "sip_uri": want.learnSIP} {
			if !learn {
				continue
			}
			if v, _ := got[f].(string); v == "" {
				errs = append(errs, fmt.Sprintf("%s: %s has no %s", k.array, key, f))
			}
			cmp[f] = got[f]
		}
		if !bytes.Equal(canonical(cmp), canonical(got)) {
			errs = append(errs, fmt.Sprintf("%s: %s (%s) differs:\n      want %s\n      have %s", k.array, key, owner(key), canonical(cmp), raw))
			continue
		}
		e := &walkEntry{fields: got}
		if _, managed := decl.declares(k, key); !managed {
			e.raw = raw
		}
		learned[key] = e
	}
	for _, key := range slices.Sorted(maps.Keys(have)) {
		if _, ok := expected[key]; !ok {
			errs = append(errs, fmt.Sprintf("%s holds %s, which it should not: %s", k.array, key, have[key]))
		}
	}
	if len(errs) == 0 {
		w.arrays[i].entries = learned
		w.arrays[i].decl = decl
	}
	return errs
}

func (e *walkEntry) describe() string {
	if e.raw != nil {
		return string(e.raw)
	}
	return string(canonical(e.fields))
}

func entryKeyOf(fields map[string]any) string {
	if n, ok := fields["phone_number"].(string); ok {
		return n
	}
	return "sip:" + fmt.Sprint(fields["name_prefix"])
}

func decodeFields(raw []byte) (map[string]any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var m map[string]any
	err := d.Decode(&m)
	return m, err
}

func cloneFields(m map[string]any) map[string]any {
	out, err := decodeFields(canonical(m))
	if err != nil {
		panic(err)
	}
	return out
}

// canonical is m as JSON with sorted keys, the way the emulator renders it.
func canonical(m map[string]any) []byte {
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

// walkConfig is the configuration of a step: each array's resources, and
// the step's moved, removed and import blocks. writeOnly: the CLI knows
// write-only attributes (an older one refuses hmac_wo even when null).
func walkConfig(providerConfig string, decl [2]walkDecl, s *walkStep, writeOnly bool) string {
	var b strings.Builder
	b.WriteString(providerConfig)
	for i, k := range walkKinds {
		d := decl[i]
		for _, block := range d.blocks() {
			var routes []*walkRoute
			for _, addr := range slices.Sorted(maps.Keys(d.routes)) {
				if d.routes[addr].block == block {
					routes = append(routes, d.routes[addr])
				}
			}
			b.WriteString(perRouteHCL(k, block, routes, writeOnly))
		}
		if d.excl != nil {
			b.WriteString(exclusiveHCL(k, d.excl, d.hmacs))
		}
		if s == nil {
			continue
		}
		for _, to := range slices.Sorted(maps.Keys(s.moved[i])) {
			fmt.Fprintf(&b, "\nmoved {\n  from = %s\n  to   = %s\n}\n", s.moved[i][to], to)
		}
		for _, name := range slices.Sorted(maps.Keys(s.forgotten[i])) {
			from := k.route + "." + name
			if name == "all" {
				from = k.exclusive + ".all"
			}
			fmt.Fprintf(&b, "\nremoved {\n  from = %s\n  lifecycle {\n    destroy = false\n  }\n}\n", from)
		}
	}
	if s != nil {
		for _, imp := range s.imports {
			fmt.Fprintf(&b, "\nimport {\n  to = %s\n  id = %q\n}\n", imp.to, imp.id)
		}
	}
	return b.String()
}

// routeHCL is a route's attributes as HCL object items; a per-route
// resource (perRouteResource) gets every attribute (null when unset) plus
// phone_number and, for pinless, its secret's attributes (hmac_wo only if
// writeOnly). Adapt here when the route schema changes.
func routeHCL(k walkKind, c routeCfg, perRouteResource, writeOnly bool) []string {
	var items []string
	attr := func(name, v string) {
		switch {
		case v != "":
			items = append(items, fmt.Sprintf("%s = %q", name, v))
		case perRouteResource:
			items = append(items, name+" = null")
		}
	}
	message := func(name, v string) {
		switch {
		case v != "":
			items = append(items, fmt.Sprintf("%s = { message = %q }", name, v))
		case perRouteResource:
			items = append(items, name+" = null")
		}
	}
	if perRouteResource {
		attr("phone_number", c.number)
	}
	attr("name_prefix", c.prefix)
	if k.secret {
		attr("room_creation_api", c.webhook)
		attr("hold_music_url", c.hold)
		message("timeout_config", c.timeout)
		if perRouteResource {
			attr("hmac", c.hmac)
		}
		if perRouteResource && writeOnly {
			attr("hmac_wo", c.wo)
			if c.woVersion != 0 {
				items = append(items, fmt.Sprintf("hmac_wo_version = %d", c.woVersion))
			} else {
				items = append(items, "hmac_wo_version = null")
			}
		}
	} else {
		message("ivr_greeting", c.greeting)
	}
	return items
}

// perRouteHCL is one for_each resource of per-route routes.
func perRouteHCL(k walkKind, block string, routes []*walkRoute, writeOnly bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nresource %q %q {\n  for_each = {\n", k.route, block)
	var names []string
	for _, r := range routes {
		items := routeHCL(k, r.cfg, true, writeOnly)
		fmt.Fprintf(&b, "    %s = { %s }\n", r.name, strings.Join(items, ", "))
		if names == nil {
			for _, item := range items {
				names = append(names, strings.Fields(item)[0])
			}
		}
	}
	b.WriteString("  }\n")
	for _, name := range names {
		fmt.Fprintf(&b, "  %s = each.value.%s\n", name, name)
	}
	b.WriteString("}\n")
	return b.String()
}

// exclusiveHCL is the exclusive resource holding routes, with hmacs unless nil.
func exclusiveHCL(k walkKind, routes map[string]routeCfg, hmacs map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nresource %q \"all\" {\n  routes = {\n", k.exclusive)
	for _, key := range slices.Sorted(maps.Keys(routes)) {
		fmt.Fprintf(&b, "    %q = { %s }\n", key, strings.Join(routeHCL(k, routes[key], false, false), ", "))
	}
	b.WriteString("  }\n")
	if hmacs != nil {
		b.WriteString("  hmacs = {\n")
		for _, key := range slices.Sorted(maps.Keys(hmacs)) {
			fmt.Fprintf(&b, "    %q = %q\n", key, hmacs[key])
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// TestWalkModel runs the walk generator and model without Terraform: Daily
// is taken to do exactly what the model expects. It checks the invariants
// the walk relies on, over many more steps than the acceptance walks take.
func TestWalkModel(t *testing.T) {
	t.Parallel()
	numbers := make([]string, walkNumbers)
	for i := range numbers {
		numbers[i] = fmt.Sprintf("+1415555%04d", 100+i)
	}
	for seed := range uint64(10) {
		feat := allWalkFeatures
		if seed%3 == 2 { // as on Terraform 1.5
			feat = walkFeatures{}
		}
		w := newWalker(seed, map[string]bool{}, feat, numbers)
		for i, entries := range w.initialEntries() {
			for _, e := range entries {
				raw := canonical(e)
				fields, _ := decodeFields(raw)
				w.arrays[i].entries[entryKeyOf(fields)] = &walkEntry{fields: fields, raw: raw}
			}
		}
		for n := 1; n <= 40; n++ {
			s := w.next(n)
			_ = walkConfig("", s.decl, s, feat.writeOnly)
			decl := s.decl
			var expected [2]map[string]*walkEntry
			for i, a := range w.arrays {
				expected[i] = w.expect(s, i)
				if s.wantErr != nil {
					decl[i], expected[i] = a.decl, a.entries
				}
			}
			owner := map[string]string{}
			for i, k := range walkKinds {
				for key := range expected[i] {
					if other, dup := owner[key]; dup {
						t.Fatalf("seed %d step %d: %s is in both %s and %s\n%s", seed, n, key, other, k.array, strings.Join(s.desc, "\n"))
					}
					owner[key] = k.array
				}
				declared := map[string]bool{}
				for _, r := range decl[i].routes {
					if declared[r.cfg.key()] {
						t.Fatalf("seed %d step %d: %s declared twice\n%s", seed, n, r.cfg.key(), strings.Join(s.desc, "\n"))
					}
					declared[r.cfg.key()] = true
				}
				if len(decl[i].routes) > 0 && decl[i].excl != nil {
					t.Fatalf("seed %d step %d: %s has both shapes", seed, n, k.array)
				}
				if h := decl[i].hmacs; h != nil && !slices.Equal(slices.Sorted(maps.Keys(h)), slices.Sorted(maps.Keys(decl[i].excl))) {
					t.Fatalf("seed %d step %d: hmacs for %v, routes %v\n%s", seed, n, slices.Sorted(maps.Keys(h)), slices.Sorted(maps.Keys(decl[i].excl)), strings.Join(s.desc, "\n"))
				}
				for _, r := range decl[i].routes {
					if (r.cfg.woVersion != 0 || r.cfg.wo != "") && (!feat.writeOnly || r.cfg.hmac != "" || r.cfg.wo == "" || r.cfg.woVersion == 0) {
						t.Fatalf("seed %d step %d: %v: hmac_wo without the feature, beside hmac, or without its version", seed, n, r.cfg)
					}
				}
				if !feat.forget && len(s.forgotten[i]) > 0 {
					t.Fatalf("seed %d step %d: removed blocks without the feature", seed, n)
				}
				// Daily does what the model says; new secrets are made up.
				var actual []json.RawMessage
				for _, key := range slices.Sorted(maps.Keys(expected[i])) {
					e := expected[i][key]
					if e.raw != nil {
						actual = append(actual, e.raw)
						continue
					}
					fields := cloneFields(e.fields)
					if e.learnHMAC {
						fields["hmac"] = base64.StdEncoding.EncodeToString([]byte(w.fresh("minted")))
					}
					if e.learnSIP {
						fields["sip_uri"] = "sip:" + w.fresh("u") + "@example"
					}
					actual = append(actual, canonical(fields))
				}
				if errs := w.check(i, expected[i], decl[i], actual); len(errs) > 0 {
					t.Fatalf("seed %d step %d: %s", seed, n, strings.Join(errs, "\n"))
				}
			}
		}
	}
}
