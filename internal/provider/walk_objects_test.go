package provider

import (
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The config walk's moves on Daily's config objects (daily_pinless_dialin_config,
// daily_pin_dialin_config): created, changed, cleared, their secrets,
// removed, imported by id or by key, forgotten with a removed block and
// imported again later; and the objects other writers make, edit and
// delete. Under the shared reading (emulator.DialinStoreShared) the objects
// of a type are its array's entries, which the exclusive resource of that
// array owns and would delete: no step declares config objects of a type
// beside that resource, nor in the step that creates or destroys it.

// walkObject is one config object as Daily must hold it.
type walkObject struct {
	id      string     // Daily's; any id is right while learnID
	entry   *walkEntry // its config as an entry, without null fields
	learnID bool       // created anew by this step
}

func (o *walkObject) clone() *walkObject {
	c := *o
	c.entry = o.entry.clone()
	return &c
}

func (k walkKind) configAddr(block, name string) string {
	return fmt.Sprintf("%s.%s[%q]", k.config, block, name)
}

// configsAllowed reports whether config objects of array i's type may be
// declared or changed in step s.
func (w *walker) configsAllowed(s *walkStep, i int) bool {
	if w.skip["config"] || s.configsSole[i] {
		return false
	}
	return !w.shared || (s.decl[i].excl == nil && w.arrays[i].decl.excl == nil && !s.sole[i])
}

// exclusiveAllowed reports whether the exclusive resource of array i may be
// created in step s: under the shared reading, not beside config objects.
func (w *walker) exclusiveAllowed(s *walkStep, i int) bool {
	return !w.shared || (len(w.arrays[i].decl.configs) == 0 && len(s.decl[i].configs) == 0 && s.configsMoved[i] == 0)
}

// configBlock picks the config resource a new config goes into.
func (w *walker) configBlock(s *walkStep, i int) string {
	if blocks := routeBlocks(s.decl[i].configs); len(blocks) > 0 && w.chance(0.7) {
		return pick(w, blocks)
	}
	if w.chance(0.7) {
		return "c"
	}
	return "d"
}

// unmanagedObjects are the keys of the objects of array i's type that no
// config resource declares, before or after this step, and no move touched.
func (w *walker) unmanagedObjects(s *walkStep, i int) []string {
	declared := map[string]bool{}
	for _, r := range slices.Concat(slices.Collect(maps.Values(w.arrays[i].decl.configs)), slices.Collect(maps.Values(s.decl[i].configs))) {
		declared[r.cfg.key()] = true
	}
	var out []string
	for _, key := range slices.Sorted(maps.Keys(w.arrays[i].objects)) {
		if !declared[key] && !s.touched[key] {
			out = append(out, key)
		}
	}
	return out
}

// configMove makes one random move on the config objects of array i's
// type; false when the one drawn does not apply.
func (w *walker) configMove(s *walkStep, i int) bool {
	if !w.configsAllowed(s, i) {
		return false
	}
	a := w.arrays[i]
	k := a.kind
	configs := s.decl[i].configs
	var untouched []string
	for _, addr := range slices.Sorted(maps.Keys(configs)) {
		if !s.touched[configs[addr].cfg.key()] {
			untouched = append(untouched, addr)
		}
	}
	done := func(key string) bool {
		s.touched[key] = true
		s.configsMoved[i]++
		s.objectWrites = true
		return true
	}
	switch x := w.rng.Float64() * 14; {
	case x < 3: // add
		if len(configs) >= 5 {
			return false
		}
		key, ok := w.freeKey(s, k.secret)
		if !ok {
			return false
		}
		r := &walkRoute{block: w.configBlock(s, i), name: w.fresh("c"), cfg: w.newCfg(k, key, false)}
		addr := k.configAddr(r.block, r.name)
		configs[addr] = r
		s.say("%s: add the config object %s = %v", k.name, addr, r.cfg)
		return done(key)
	case x < 4.5: // remove
		if len(untouched) == 0 {
			return false
		}
		addr := pick(w, untouched)
		key := configs[addr].cfg.key()
		delete(configs, addr)
		s.say("%s: remove the config object %s (%s): deleted", k.name, addr, key)
		return done(key)
	case x < 9: // change or clear a field, or the secret
		if len(untouched) == 0 {
			return false
		}
		addr := pick(w, untouched)
		r := configs[addr]
		var what string
		switch y := w.rng.IntN(3); {
		case y == 0 && k.secret:
			var quiet bool
			if what, quiet = w.changeHMAC(&r.cfg); quiet {
				s.quiet = append(s.quiet, addr)
			}
		case y == 1:
			var ok bool
			if what, ok = w.clearAttr(k, &r.cfg); !ok {
				return false
			}
		default:
			what = w.changeAttr(k, &r.cfg, false)
		}
		s.say("%s: %s: %s", k.name, addr, what)
		return done(r.cfg.key())
	case x < 12.5: // import an object nothing declares
		keys := w.unmanagedObjects(s, i)
		if len(keys) == 0 || len(configs) >= 5 {
			return false
		}
		key := pick(w, keys)
		o := a.objects[key]
		r := &walkRoute{block: w.configBlock(s, i), name: w.fresh("c"), cfg: cfgOf(k, key, o.entry, false)}
		addr := k.configAddr(r.block, r.name)
		imp, by := walkImport{to: addr, id: o.id}, "id"
		if w.chance(0.5) {
			imp.id, by = key, "key"
		}
		what := fmt.Sprintf("as %v", r.cfg)
		if w.chance(0.4) {
			what += ", then " + w.changeAttr(k, &r.cfg, false)
		}
		if w.chance(0.5) {
			s.imports = append(s.imports, imp)
			s.say("%s: import the config object %s by its %s (%s) into %s with an import block, %s", k.name, key, by, imp.id, addr, what)
		} else {
			s.cli = append(s.cli, imp)
			s.say("%s: terraform import %s %s (the config object %s by its %s), %s", k.name, addr, imp.id, key, by, what)
		}
		configs[addr] = r
		return done(key)
	default: // forget a config resource
		if s.configsMoved[i] > 0 || !w.feat.forget || w.skip["forget"] {
			return false
		}
		blocks := routeBlocks(configs)
		if len(blocks) == 0 {
			return false
		}
		block := pick(w, blocks)
		var keys []string
		for _, addr := range slices.Sorted(maps.Keys(configs)) {
			if r := configs[addr]; r.block == block {
				delete(configs, addr)
				s.touched[r.cfg.key()] = true
				keys = append(keys, r.cfg.key())
			}
		}
		s.forgottenConfigs[i][block] = true
		s.configsSole[i] = true
		s.configsMoved[i]++
		s.say("%s: forget %s.%s with removed { destroy = false }: the objects of %s stay at Daily, unmanaged", k.name, k.config, block, strings.Join(keys, ", "))
		return true
	}
}

// clearAttr unsets one optional field the route sets; false when it sets none.
func (w *walker) clearAttr(k walkKind, c *routeCfg) (string, bool) {
	fields := map[string]*string{}
	if k.secret {
		fields["hold_music_url"], fields["timeout_config"] = &c.hold, &c.timeout
	} else {
		fields["ivr_greeting"] = &c.greeting
	}
	if c.sip == "" {
		fields["name_prefix"] = &c.prefix
	}
	var set []string
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if *fields[name] != "" {
			set = append(set, name)
		}
	}
	if len(set) == 0 {
		return "", false
	}
	name := pick(w, set)
	old := *fields[name]
	*fields[name] = ""
	return fmt.Sprintf("clear %s (was %q)", name, old), true
}

// oobObjectMove makes, edits or deletes a config object of array i's type
// out of band, as Daily's dashboard or a script would, through the API.
func (w *walker) oobObjectMove(s *walkStep, i int) {
	a := w.arrays[i]
	k := a.kind
	var keys []string
	for _, key := range slices.Sorted(maps.Keys(a.objects)) {
		if !s.touched[key] {
			keys = append(keys, key)
		}
	}
	managed := func(key string) {
		for _, r := range s.decl[i].configs {
			if r.cfg.key() == key {
				s.objectWrites = true // the apply writes it back
			}
		}
	}
	switch x := w.rng.IntN(3); {
	case x == 0 && len(keys) > 0:
		key := pick(w, keys)
		s.oob = append(s.oob, walkOOB{array: i, object: true, op: "delete", key: key})
		s.touched[key] = true
		managed(key)
		s.say("out of band, before the apply: delete the %s config object %s", k.name, key)
	case x == 1 && len(keys) > 0:
		key := pick(w, keys)
		field, value := "name_prefix", w.fresh("oob")
		if k.secret {
			field, value = "room_creation_api", "https://oob.example/"+w.fresh("w")
		}
		s.oob = append(s.oob, walkOOB{array: i, object: true, op: "edit", key: key, value: value})
		s.touched[key] = true
		managed(key)
		s.say("out of band, before the apply: a PUT without hmac sets %s of the %s config object %s to %s", field, k.name, key, value)
	default:
		if entry, ok := w.unmanagedObject(s, k); ok {
			s.oob = append(s.oob, walkOOB{array: i, object: true, op: "add", key: entryKeyOf(entry), entry: entry})
			s.say("out of band, before the apply: create an unmanaged %s config object %s", k.name, entryKeyOf(entry))
		}
	}
}

// unmanagedObject is the config of a new object on a free key that another
// writer makes, with a field no resource owns.
func (w *walker) unmanagedObject(s *walkStep, k walkKind) (map[string]any, bool) {
	key, ok := w.freeKey(s, k.secret)
	if !ok {
		return nil, false
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
	} else if w.chance(0.5) {
		entry["ivr_greeting"] = map[string]any{"message": "Welcome " + w.fresh("m")}
	}
	return entry, true
}

// initialObjects are the config objects Daily holds before the walk, none
// managed, on keys the initial entries leave free.
func (w *walker) initialObjects() []walkOOB {
	if w.skip["config"] {
		return nil
	}
	s := &walkStep{touched: map[string]bool{}, taken: map[string]bool{}}
	for _, a := range w.arrays {
		for key := range a.entries {
			s.taken[key] = true
		}
	}
	var out []walkOOB
	for range w.rng.IntN(3) {
		i := w.rng.IntN(2)
		if entry, ok := w.unmanagedObject(s, w.arrays[i].kind); ok {
			out = append(out, walkOOB{array: i, object: true, op: "add", key: entryKeyOf(entry), entry: entry})
		}
	}
	return out
}
