package provider

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The config walk's moves on the exclusive resources: routes added to and
// taken from their maps, adoptions, configured secrets.

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
