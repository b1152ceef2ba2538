package provider

import (
	"encoding/base64"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// The config walk's moves that must fail (user errors) and those made
// behind Terraform's back (out-of-band edits at Daily).

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

// oobMove edits array i out of band, on an entry no move touched.
func (w *walker) oobMove(s *walkStep, i int) {
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
