package provider

import (
	"encoding/base64"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
)

// The config walk's generator (see walk_model_test.go): the walker, its
// fresh values, and the choice of keys and routes a step starts from.

// walker generates a walk from a seed and keeps its model.
type walker struct {
	rng  *rand.Rand
	skip map[string]bool
	feat walkFeatures
	// shared: the reading where config objects are the arrays' entries
	// (emulator.DialinStoreShared).
	shared  bool
	arrays  [2]*walkArray
	numbers []string
	sips    []string
	counter int
	// woSecrets are the hmac_wo values the walk has configured: no state may
	// hold one, unless it is the live secret of a route whose hmac is stored.
	woSecrets []string
	// maxStaleCopies bounds the writes a step's stale writer undoes.
	maxStaleCopies int
	// sip is what the walk may assume of the sip_uris Daily mints.
	sip sipPromises
}

// sipPromises are the emulator's readings of when Daily mints a route's
// sip_uri anew (Daily does not document it): kept, a write that changes a
// route keeps its sip_uri (sipURIKept); othersKept, a write keeps the
// sip_uri of the routes it does not change (othersSipURIsKept). Where a
// promise is not made, the walk learns the sip_uri Daily has.
type sipPromises struct{ kept, othersKept bool }

// stateKept reports whether the state's sip_uris must equal Daily's after a
// step. Not where a write may mint a route's sip_uri anew: a repair of a
// change whose caller had returned (another writer undid it) mints one the
// state learns only at the next refresh, and a write of other routes may
// mint one for a route whose state it does not touch.
func (p sipPromises) stateKept() bool { return p.kept && p.othersKept }

// sipPromisesOf is what env's emulator promises.
func sipPromisesOf(env *accEnv) sipPromises {
	return sipPromises{kept: sipURIKept(env), othersKept: othersSipURIsKept(env.Emu)}
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
var walkSkippable = []string{"rename", "rename-moved", "renumber", "forget", "dup", "exclusive-add", "sip-noprefix", "import", "faults", "oob", "errors", "exclusive", "sip", "write-only", "hmacs", "stale", "config"}

func newWalker(seed uint64, skip map[string]bool, feat walkFeatures, shared bool, numbers []string) *walker {
	w := &walker{
		rng:     rand.New(rand.NewPCG(seed, 0x77616c6b)),
		skip:    skip,
		feat:    feat,
		shared:  shared,
		numbers: numbers,
		sips:    []string{"pbx-1", "pbx-2", "pbx-3"},
		// Two: the apply's first write and the next, often the repair of
		// the first.
		maxStaleCopies: 2,
		// The default reading's, for the model's own tests.
		sip: sipPromises{kept: true, othersKept: true},
	}
	for i, k := range walkKinds {
		w.arrays[i] = &walkArray{kind: k, entries: map[string]*walkEntry{}, objects: map[string]*walkObject{}, decl: walkDecl{}.clone()}
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
		s.forgottenConfigs[i] = map[string]bool{}
		for _, key := range slices.Concat(slices.Collect(maps.Keys(a.entries)), slices.Collect(maps.Keys(a.objects))) {
			s.taken[key] = true
		}
		for _, r := range slices.Concat(slices.Collect(maps.Values(a.decl.routes)), slices.Collect(maps.Values(a.decl.configs))) {
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
		// On the config objects of a type, or else on its array.
		i := w.rng.IntN(2)
		if w.chance(0.4) && w.configMove(s, i) || w.move(s, i) {
			made++
		}
	}
	if n > 1 && !w.skip["oob"] && w.chance(0.35) {
		for range 1 + w.rng.IntN(2) {
			if i := w.rng.IntN(2); !w.skip["config"] && w.chance(0.4) {
				w.oobObjectMove(s, i)
			} else {
				w.oobMove(s, i)
			}
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
	// Under the shared reading a stale copy of an array written back after
	// our write of an object of its type deletes or undoes the object; a
	// deleted one is not made again (dialin.ObjectGoneError).
	if !w.skip["stale"] && (!w.shared || !s.objectWrites) && w.chance(0.3) {
		s.stale = &walkStale{copies: 1 + w.rng.IntN(w.maxStaleCopies), delay: pick(w, walkStaleDelays)}
		s.desc = append(s.desc, fmt.Sprintf("another writer: the apply's first %d writes undone, each by a stale copy of the array written back %s after it",
			s.stale.copies, s.stale.delay))
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
