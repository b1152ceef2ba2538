package provider

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The config walk's moves: move draws one for an array, and makes those on
// per-route resources here; changeAttr and changeHMAC change a route.

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
		if !w.skip["exclusive"] && s.arraysMoved[i] == 0 && w.exclusiveAllowed(s, i) && w.chance(0.35) {
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
