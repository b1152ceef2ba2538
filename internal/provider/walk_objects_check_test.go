package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// What the config walk expects of Daily's config objects after each step,
// and how it compares that with what Daily lists.

// walkExpected is what Daily must hold after a step: each array's entries
// (under the shared reading, less the config objects) and the config
// objects of each array's type.
type walkExpected struct {
	arrays  [2]map[string]*walkEntry
	objects [2]map[string]*walkObject
}

// expectAll is what Daily must hold after step s.
func (w *walker) expectAll(s *walkStep) walkExpected {
	var x walkExpected
	for i := range walkKinds {
		x.arrays[i] = w.expect(s, i)
		x.objects[i] = w.expectObjects(s, i)
	}
	return x
}

// unchanged is what Daily holds now: what a step that fails must leave.
func (w *walker) unchanged() walkExpected {
	var x walkExpected
	for i, a := range w.arrays {
		x.arrays[i], x.objects[i] = map[string]*walkEntry{}, map[string]*walkObject{}
		for key, e := range a.entries {
			x.arrays[i][key] = e.clone()
		}
		for key, o := range a.objects {
			x.objects[i][key] = o.clone()
		}
	}
	return x
}

// expectObjects computes the config objects of array i's type that Daily
// must hold after step s, from those it holds after the out-of-band edits.
// A config resource removed deletes its object (one forgotten leaves it);
// one declared updates the object holding its key in place (its id and
// every field no resource owns kept, the secret unless the configuration
// sends one), or creates one. Under the shared reading, the exclusive
// resource of the array, kept, created or destroyed, deletes them all.
func (w *walker) expectObjects(s *walkStep, i int) map[string]*walkObject {
	a := w.arrays[i]
	k := a.kind
	next := s.decl[i]
	out := map[string]*walkObject{}
	for key, o := range a.objects {
		out[key] = o.clone()
	}
	if w.shared && !s.forgotten[i]["all"] && (next.excl != nil || a.decl.excl != nil) {
		return map[string]*walkObject{}
	}
	for addr, r := range a.decl.configs {
		if _, kept := next.configs[addr]; !kept && !s.forgottenConfigs[i][r.block] {
			delete(out, r.cfg.key())
		}
	}
	for addr, r := range next.configs {
		key := r.cfg.key()
		cur, present := out[key]
		if !present {
			// Created: also an object deleted out of band.
			out[key] = &walkObject{entry: createdEntry(k, r.cfg, sentSecret(r.cfg, nil)), learnID: true}
			continue
		}
		// Updated in place, or imported (whose state knows no secret's version).
		var prior *routeCfg
		if o, ok := a.decl.configs[addr]; ok {
			prior = &o.cfg
		}
		out[key] = &walkObject{id: cur.id, entry: updatedEntry(k, cur.entry, r.cfg, sentSecret(r.cfg, prior)), learnID: cur.learnID}
	}
	return out
}

// held is the entry or config object Daily holds for key, nil if none.
func (a *walkArray) held(key string) *walkEntry {
	if o, ok := a.objects[key]; ok {
		return o.entry
	}
	return a.entries[key]
}

// objectOf decodes a config object as Daily's API answers it: its id, type
// and config without null fields (a SIP-only object's phone_number).
func objectOf(raw []byte) (id, typ string, fields map[string]any, err error) {
	var o struct {
		ID     string          `json:"id"`
		Type   string          `json:"type"`
		Config json.RawMessage `json:"config"`
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return "", "", nil, err
	}
	if fields, err = decodeFields(o.Config); err != nil {
		return "", "", nil, err
	}
	maps.DeleteFunc(fields, func(_ string, v any) bool { return v == nil })
	return o.ID, o.Type, fields, nil
}

// checkObjects compares the config objects Daily lists of array i's type
// with the expected ones. Under the shared reading the objects of keys not
// expected are the array's other entries, which check compares. On success
// the expected objects become the model, with ids, secrets and sip_uris
// learned from Daily.
func (w *walker) checkObjects(i int, expected map[string]*walkObject, decl walkDecl, listed []json.RawMessage) []string {
	k := w.arrays[i].kind
	var errs []string
	have := map[string]*walkObject{}
	for _, raw := range listed {
		id, typ, fields, err := objectOf(raw)
		if err != nil {
			errs = append(errs, fmt.Sprintf("a config object Daily lists is not one: %s", raw))
			continue
		}
		key := entryKeyOf(fields)
		if _, want := expected[key]; typ != k.array || (w.shared && !want) {
			continue
		}
		if prior, dup := have[key]; dup {
			errs = append(errs, fmt.Sprintf("two %s config objects hold %s: %s and %s", k.array, key, prior.id, id))
		}
		have[key] = &walkObject{id: id, entry: &walkEntry{fields: fields}}
	}
	managedBy := func(key string) string {
		for _, addr := range slices.Sorted(maps.Keys(decl.configs)) {
			if decl.configs[addr].cfg.key() == key {
				return addr
			}
		}
		return ""
	}
	learned := map[string]*walkObject{}
	for _, key := range slices.Sorted(maps.Keys(expected)) {
		want, got := expected[key], have[key]
		owner := "unmanaged"
		if addr := managedBy(key); addr != "" {
			owner = "managed by " + addr
		}
		switch {
		case got == nil:
			errs = append(errs, fmt.Sprintf("the %s config object %s (%s, %s) is gone: want %s", k.array, key, want.id, owner, want.entry.describe()))
			continue
		case !want.learnID && got.id != want.id:
			errs = append(errs, fmt.Sprintf("the %s config object %s (%s) has the id %s, want %s: made anew", k.array, key, owner, got.id, want.id))
		case want.entry.raw != nil:
			if raw := canonical(got.entry.fields); !bytes.Equal(raw, want.entry.raw) && (w.sip.othersKept || !equalLessSipURI(raw, want.entry.raw)) {
				errs = append(errs, fmt.Sprintf("the unmanaged %s config object %s changed:\n      want %s\n      have %s", k.array, key, want.entry.raw, raw))
			}
		default:
			if diff := w.sipMayChange(k, want.entry).differs(got.entry.fields); diff != "" {
				errs = append(errs, fmt.Sprintf("the %s config object %s (%s) %s", k.array, key, owner, diff))
			}
		}
		if managedBy(key) == "" {
			got.entry.raw = canonical(got.entry.fields)
		}
		learned[key] = got
	}
	for _, key := range slices.Sorted(maps.Keys(have)) {
		if _, ok := expected[key]; !ok {
			errs = append(errs, fmt.Sprintf("Daily holds the %s config object %s (%s), which it should not: %s", k.array, key, have[key].id, canonical(have[key].entry.fields)))
		}
	}
	if len(errs) == 0 {
		w.arrays[i].objects = learned
	}
	return errs
}

// withoutKeys is entries less those of keys.
func withoutKeys[V any](entries []json.RawMessage, keys map[string]V) []json.RawMessage {
	var out []json.RawMessage
	for _, raw := range entries {
		if fields, err := decodeFields(raw); err == nil {
			if _, drop := keys[entryKeyOf(fields)]; drop {
				continue
			}
		}
		out = append(out, raw)
	}
	return out
}

// checkDaily compares what Daily holds (the arrays and every config object
// it lists, of this walk's keys) with what the model expects after a step
// that leaves decl declared; on success the model learns it.
func (w *walker) checkDaily(expected walkExpected, decl [2]walkDecl, arrays [2][]json.RawMessage, objects []json.RawMessage) []string {
	var errs []string
	for i := range walkKinds {
		errs = append(errs, w.checkObjects(i, expected.objects[i], decl[i], objects)...)
		entries := arrays[i]
		if w.shared {
			entries = withoutKeys(entries, expected.objects[i])
		}
		errs = append(errs, w.check(i, expected.arrays[i], decl[i], entries)...)
	}
	return errs
}
