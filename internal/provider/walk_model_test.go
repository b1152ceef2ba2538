package provider

import (
	"encoding/base64"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// The model of the config walk (walk_test.go): what Daily must hold and what
// the configuration declares. walk_walker_test.go generates the walk,
// walk_moves*_test.go hold the moves that change the model,
// walk_expect_test.go what Daily must hold after them and walk_hcl_test.go
// the configuration generated from the model.

// walkKind is one dial-in array as the walk drives it.
type walkKind struct {
	name      string // in step descriptions
	array     string
	noun      string // as the provider's messages say it
	route     string // per-route resource type
	exclusive string // exclusive resource type
	config    string // config object resource type
	// managed are the fields the resources own; any other field of an entry
	// is kept as Daily holds it.
	managed []string
	secret  bool // entries have hmac and sip_uri (pinless)
}

var walkKinds = [2]walkKind{
	{
		name: "pinless", array: client.PinlessDialin, noun: "pinless dial-in route",
		route: "daily_pinless_dialin_route", exclusive: "daily_pinless_dialin", config: "daily_pinless_dialin_config",
		managed: []string{"phone_number", "room_creation_api", "name_prefix", "hold_music_url", "timeout_config", "hmac", "sip_uri"},
		secret:  true,
	},
	{
		name: "pin", array: client.PinDialin, noun: "PIN dial-in route",
		route: "daily_pin_dialin_route", exclusive: "daily_pin_dialin", config: "daily_pin_dialin_config",
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
// for pinless, its hmacs map (nil: unset; else a secret for every route);
// and the config objects of the array's type, config resource instances by
// address (walkKind.configAddr).
type walkDecl struct {
	routes  map[string]*walkRoute
	excl    map[string]routeCfg
	hmacs   map[string]string
	configs map[string]*walkRoute
}

func (d walkDecl) clone() walkDecl {
	c := walkDecl{routes: map[string]*walkRoute{}, configs: map[string]*walkRoute{}}
	for a, r := range d.routes {
		rc := *r
		c.routes[a] = &rc
	}
	for a, r := range d.configs {
		rc := *r
		c.configs[a] = &rc
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

func (d walkDecl) blocks() []string { return routeBlocks(d.routes) }

// routeBlocks are the resource names of instances, sorted.
func routeBlocks(instances map[string]*walkRoute) []string {
	var out []string
	for _, r := range instances {
		if !slices.Contains(out, r.block) {
			out = append(out, r.block)
		}
	}
	slices.Sort(out)
	return out
}

// walkArray is the model of one array and of the config objects of its
// type. Under the shared reading the objects are entries of the array too;
// entries holds the others.
type walkArray struct {
	kind    walkKind
	entries map[string]*walkEntry  // by key: what Daily holds
	objects map[string]*walkObject // by key: the config objects Daily holds
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
	// resource) dropped from state with removed { destroy = false };
	// forgottenConfigs the same of config resources.
	forgotten        [2]map[string]bool
	forgottenConfigs [2]map[string]bool
	imports          []walkImport // import blocks
	cli              []walkImport // terraform import commands, run before the apply
	oob              []walkOOB
	faults           *walkFaultMix
	// stale: another writer undoes the apply's first writes (see walkStale).
	stale *walkStale
	// wantErr: the apply must fail with this error; the configuration then
	// goes back to what it was, and nothing may have changed.
	wantErr *regexp.Regexp
	// quiet are instances whose plan must be empty before the apply: a new
	// hmac_wo without a new version is invisible to Terraform.
	quiet []string

	arraysMoved [2]int // moves on each array
	sole        [2]bool
	// configsMoved and configsSole are arraysMoved and sole for config
	// objects; objectWrites is set when the apply writes a config object.
	configsMoved [2]int
	configsSole  [2]bool
	objectWrites bool
	touched      map[string]bool // keys touched by a move or an edit
	taken        map[string]bool // keys in use: not free for a new route
}

type walkImport struct{ to, id string }

// walkOOB is an edit of Daily's state by someone else, before the apply:
// of an array's entry, or of a config object of its type (object).
type walkOOB struct {
	array  int
	object bool
	op     string // "delete", "edit", "add"
	key    string
	value  string         // edit: the new value
	entry  map[string]any // add
}

// walkStale is another writer, such as a dashboard tab saving a copy it
// read just before the provider's write: after each of the apply's first
// copies writes, it writes the arrays that write touched back as they were
// just before it, delay later (emulator.StaleWriter). The provider must
// find each undone change and write it again before the apply ends: the
// model expects Daily exact all the same.
type walkStale struct {
	copies int
	delay  time.Duration
}

// walkStaleDelays are the stale writer's delays: each within the time the
// provider waits before its confirming read (dialin.DefaultVerifyDelay).
var walkStaleDelays = []time.Duration{50 * time.Millisecond, 100 * time.Millisecond}

type walkFaultMix struct {
	name   string
	faults emulator.Faults
}

var walkFaultMixes = []walkFaultMix{
	{"30% refused (429/500/503), 10% answers lost after commit", heavyFaults},
	{"40% of POST answers lost after commit", emulator.Faults{DropRate: 0.4, Routes: []string{"POST /"}}},
	{"25% refused with 429 rate-limit-error, 5 ms latency", emulator.Faults{FailRate: 0.25, FailStatuses: []int{429}, Latency: 5 * time.Millisecond}},
	{"40% of config object writes' answers lost after commit", emulator.Faults{DropRate: 0.4,
		Routes: []string{"POST /domain-dialin-config", "PUT /domain-dialin-config", "DELETE /domain-dialin-config"}}},
}
