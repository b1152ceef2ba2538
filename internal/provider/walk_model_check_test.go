package provider

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestWalkModel runs the walk generator and model without Terraform, under
// both readings of the dial-in store: Daily is taken to do exactly what the
// model expects (fakeDaily). It checks the invariants the walk relies on,
// over many more steps than the acceptance walks take.
func TestWalkModel(t *testing.T) {
	t.Parallel()
	numbers := make([]string, walkNumbers)
	for i := range numbers {
		numbers[i] = fmt.Sprintf("+1415555%04d", 100+i)
	}
	for seed := range uint64(20) {
		feat := allWalkFeatures
		if seed%3 == 2 { // as on Terraform 1.5
			feat = walkFeatures{}
		}
		w := newWalker(seed, map[string]bool{}, feat, seed%2 == 0, numbers)
		for i, entries := range w.initialEntries() {
			for _, e := range entries {
				raw := canonical(e)
				fields, _ := decodeFields(raw)
				w.arrays[i].entries[entryKeyOf(fields)] = &walkEntry{fields: fields, raw: raw}
			}
		}
		w.fakeInitialObjects()
		for n := 1; n <= 40; n++ {
			s := w.next(n)
			fail := func(format string, args ...any) {
				t.Helper()
				t.Fatalf("seed %d step %d (shared %v): %s\n%s", seed, n, w.shared, fmt.Sprintf(format, args...), strings.Join(s.desc, "\n"))
			}
			_ = walkConfig("", s.decl, s, feat.writeOnly)
			decl := s.decl
			expected := w.expectAll(s)
			if s.wantErr != nil {
				for i, a := range w.arrays {
					decl[i] = a.decl
				}
				expected = w.unchanged()
			}
			owner := map[string]string{}
			declared := map[string]bool{}
			for i, k := range walkKinds {
				for _, key := range slices.Concat(slices.Collect(maps.Keys(expected.arrays[i])), slices.Collect(maps.Keys(expected.objects[i]))) {
					if other, dup := owner[key]; dup {
						fail("%s is in both %s and %s", key, other, k.array)
					}
					owner[key] = k.array
				}
				for _, r := range slices.Concat(slices.Collect(maps.Values(decl[i].routes)), slices.Collect(maps.Values(decl[i].configs))) {
					if declared[r.cfg.key()] {
						fail("%s declared twice", r.cfg.key())
					}
					declared[r.cfg.key()] = true
				}
				if len(decl[i].routes) > 0 && decl[i].excl != nil {
					fail("%s has both shapes", k.array)
				}
				if w.shared && len(decl[i].configs) > 0 && (decl[i].excl != nil || w.arrays[i].decl.excl != nil) {
					fail("config objects of type %s beside its exclusive resource, under the shared reading", k.array)
				}
				if h := decl[i].hmacs; h != nil && !slices.Equal(slices.Sorted(maps.Keys(h)), slices.Sorted(maps.Keys(decl[i].excl))) {
					fail("hmacs for %v, routes %v", slices.Sorted(maps.Keys(h)), slices.Sorted(maps.Keys(decl[i].excl)))
				}
				for _, r := range slices.Concat(slices.Collect(maps.Values(decl[i].routes)), slices.Collect(maps.Values(decl[i].configs))) {
					if (r.cfg.woVersion != 0 || r.cfg.wo != "") && (!feat.writeOnly || r.cfg.hmac != "" || r.cfg.wo == "" || r.cfg.woVersion == 0) {
						fail("%v: hmac_wo without the feature, beside hmac, or without its version", r.cfg)
					}
				}
				if !feat.forget && len(s.forgotten[i])+len(s.forgottenConfigs[i]) > 0 {
					fail("removed blocks without the feature")
				}
			}
			if w.shared && s.objectWrites && s.stale != nil {
				fail("the stale writer beside writes of config objects, under the shared reading")
			}
			arrays, objects := w.fakeDaily(expected)
			if errs := w.checkDaily(expected, decl, arrays, objects); len(errs) > 0 {
				fail("%s", strings.Join(errs, "\n"))
			}
		}
	}
}

// fakeInitialObjects makes the walk's initial config objects as the model
// takes Daily to: with an id, and for pinless a secret and a sip_uri.
func (w *walker) fakeInitialObjects() {
	for _, o := range w.initialObjects() {
		fields := cloneFields(o.entry)
		if w.arrays[o.array].kind.secret {
			if _, ok := fields["hmac"]; !ok {
				fields["hmac"] = base64.StdEncoding.EncodeToString([]byte(w.fresh("minted")))
			}
			fields["sip_uri"] = "sip:" + w.fresh("u") + "@example"
		}
		w.arrays[o.array].objects[o.key] = &walkObject{id: w.fresh("id-"), entry: &walkEntry{fields: fields, raw: canonical(fields)}}
	}
}

// fakeDaily is what Daily holds when it does what the model expects: new
// secrets, sip_uris and ids made up. Under the shared reading the objects
// are entries of the arrays too, and the arrays' entries objects.
func (w *walker) fakeDaily(expected walkExpected) (arrays [2][]json.RawMessage, objects []json.RawMessage) {
	made := func(e *walkEntry) map[string]any {
		if e.raw != nil {
			fields, _ := decodeFields(e.raw)
			return fields
		}
		fields := cloneFields(e.fields)
		if e.learnHMAC {
			fields["hmac"] = base64.StdEncoding.EncodeToString([]byte(w.fresh("minted")))
		}
		if e.learnSIP {
			fields["sip_uri"] = "sip:" + w.fresh("u") + "@example"
		}
		return fields
	}
	object := func(id string, k walkKind, fields map[string]any) json.RawMessage {
		return canonical(map[string]any{"id": id, "type": k.array, "config": fields})
	}
	for i, k := range walkKinds {
		for _, key := range slices.Sorted(maps.Keys(expected.arrays[i])) {
			fields := made(expected.arrays[i][key])
			arrays[i] = append(arrays[i], canonical(fields))
			if w.shared {
				objects = append(objects, object(w.fresh("id-"), k, fields))
			}
		}
		for _, key := range slices.Sorted(maps.Keys(expected.objects[i])) {
			o := expected.objects[i][key]
			fields, id := made(o.entry), o.id
			if o.learnID {
				id = w.fresh("id-")
			}
			objects = append(objects, object(id, k, fields))
			if w.shared {
				arrays[i] = append(arrays[i], canonical(fields))
			}
		}
	}
	return arrays, objects
}
