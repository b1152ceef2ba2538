package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// What the config walk expects Daily to hold after each step, and how it
// compares that with what Daily holds.

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
			if !bytes.Equal(raw, want.raw) && (w.sip.othersKept || !equalLessSipURI(raw, want.raw)) {
				errs = append(errs, fmt.Sprintf("%s: the unmanaged entry %s changed:\n      want %s\n      have %s", k.array, key, want.raw, raw))
			}
			learned[key] = want
			continue
		}
		got, _ := decodeFields(raw)
		if diff := w.sipMayChange(k, want).differs(got); diff != "" {
			errs = append(errs, fmt.Sprintf("%s: %s (%s) %s", k.array, key, owner(key), diff))
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

// sipMayChange is the managed entry e, with its sip_uri to be learned anew
// where a write that changed the route may have minted another (see
// sipPromises).
func (w *walker) sipMayChange(k walkKind, e *walkEntry) *walkEntry {
	if !k.secret || w.sip.kept || e.learnSIP {
		return e
	}
	relearn := *e
	relearn.learnSIP = true
	return &relearn
}

// differs says how Daily's fields got differ from a managed entry e ("" if
// they do not): a value learned anew must be there, any value.
func (e *walkEntry) differs(got map[string]any) string {
	cmp := cloneFields(e.fields)
	var missing []string
	for f, learn := range map[string]bool{"hmac": e.learnHMAC, "sip_uri": e.learnSIP} {
		if !learn {
			continue
		}
		if v, _ := got[f].(string); v == "" {
			missing = append(missing, f)
		}
		cmp[f] = got[f]
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return "has no " + strings.Join(missing, " and ")
	}
	if !bytes.Equal(canonical(cmp), canonical(got)) {
		return fmt.Sprintf("differs:\n      want %s\n      have %s", canonical(cmp), canonical(got))
	}
	return ""
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
