package provider

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"strings"

	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// What the config walk does at Daily itself: the readings it runs under,
// the unmanaged routes and objects before step 1, and the edits of other
// writers.

// walkOptions are the emulator's options for the walk of seed: the readings
// of what Daily does not document that the walk depends on, from the seed
// (the dial-in store by its parity, the secret of a PUT without hmac by its
// next bit) so that a seed replays under its own, unless the environment
// sets them (DAILY_EMULATOR_*), which then holds for every seed.
func walkOptions(seed uint64) emulator.Options {
	o := emulator.Options{Seed: int64(seed)}
	if os.Getenv(emulator.EnvDialinStore) == "" {
		o.DialinStore = emulator.AllDialinStores[seed%2]
	}
	if os.Getenv(emulator.EnvPutOmittedHMAC) == "" {
		o.PutOmittedHMAC = emulator.AllPutOmittedHMACs[seed/2%2]
	}
	return o
}

// shared reports whether the walk's emulator takes config objects to be
// the arrays' entries.
func (r *walkRun) shared() bool {
	return r.emu.Options().DialinStore == emulator.DialinStoreShared
}

// seedWalkEntries puts the walks' unmanaged routes at Daily before step 1:
// those of each configuration walking on the domain, in one write per array.
func seedWalkEntries(runs ...*walkRun) {
	emu := runs[0].emu
	initial := make([][2][]map[string]any, len(runs))
	for j, r := range runs {
		initial[j] = r.w.initialEntries()
	}
	desc := make([][]string, len(runs))
	for i, k := range walkKinds {
		var raws []json.RawMessage
		for j := range runs {
			for _, e := range initial[j][i] {
				raw, _ := json.Marshal(e)
				raws = append(raws, raw)
			}
		}
		if err := setArray(emu, k.array, raws); err != nil {
			runs[0].t.Fatalf("walk seed %d: seeding %s: %v", runs[0].seed, k.array, err)
		}
		for _, raw := range emu.DialinArray(k.array) {
			fields, _ := decodeFields(raw)
			key := entryKeyOf(fields)
			for j, r := range runs {
				if r.owns == nil || r.owns(key) {
					r.w.arrays[i].entries[key] = &walkEntry{fields: fields, raw: raw}
					desc[j] = append(desc[j], fmt.Sprintf("%s %s", k.name, key))
				}
			}
		}
	}
	for j, r := range runs {
		if len(desc[j]) == 0 {
			desc[j] = append(desc[j], "nothing")
		}
		r.log = append(r.log, " 0. unmanaged at Daily: "+strings.Join(desc[j], ", "))
	}
}

// seedWalkObjects makes the walk's unmanaged config objects before step 1.
func seedWalkObjects(r *walkRun) {
	var desc []string
	for _, o := range r.w.initialObjects() {
		if err := r.outOfBand(o); err != nil {
			r.t.Fatalf("walk seed %d: seeding config objects: %v", r.seed, err)
		}
		desc = append(desc, fmt.Sprintf("%s config object %s", walkKinds[o.array].name, o.key))
	}
	if len(desc) > 0 {
		r.log[len(r.log)-1] += ", " + strings.Join(desc, ", ")
	}
}

// outOfBand makes an edit as another writer would, and records the entry
// or object as Daily then holds it.
func (r *walkRun) outOfBand(o walkOOB) error {
	if o.object {
		return r.objectOutOfBand(o)
	}
	a := r.w.arrays[o.array]
	k := a.kind
	switch o.op {
	case "delete":
		var keep []json.RawMessage
		for _, raw := range r.emu.DialinArray(k.array) {
			if fields, _ := decodeFields(raw); entryKeyOf(fields) != o.key {
				keep = append(keep, raw)
			}
		}
		if err := setArray(r.emu, k.array, keep); err != nil {
			return err
		}
		delete(a.entries, o.key)
		return nil
	case "edit":
		field := "name_prefix"
		if k.secret {
			field = "room_creation_api"
		}
		if !r.emu.MutateDialinEntry(k.array, o.key, func(e map[string]any) { e[field] = o.value }) {
			return fmt.Errorf("%s has no entry %s to edit", k.array, o.key)
		}
	case "add":
		raw, _ := json.Marshal(o.entry)
		if err := setArray(r.emu, k.array, append(r.emu.DialinArray(k.array), raw)); err != nil {
			return err
		}
	}
	for _, raw := range r.emu.DialinArray(k.array) {
		if fields, _ := decodeFields(raw); entryKeyOf(fields) == o.key {
			e := &walkEntry{fields: fields}
			if _, managed := a.decl.declares(k, o.key); !managed {
				e.raw = raw
			}
			a.entries[o.key] = e
		}
	}
	return nil
}

// objectOutOfBand makes an edit of a config object through Daily's
// per-object API: a PUT of the fields as read, less hmac (a script that
// does not know it; PutOmittedHMAC says what Daily then does), a DELETE or
// a POST.
func (r *walkRun) objectOutOfBand(o walkOOB) error {
	a := r.w.arrays[o.array]
	k := a.kind
	id := ""
	if held := a.objects[o.key]; held != nil {
		id = held.id
	}
	switch o.op {
	case "delete":
		if !r.emu.DeleteDialinConfig(id) {
			return fmt.Errorf("no %s config object %s (%s) to delete", k.array, o.key, id)
		}
		delete(a.objects, o.key)
		return nil
	case "edit":
		raw, ok := r.emu.DialinConfig(id)
		if !ok {
			return fmt.Errorf("no %s config object %s (%s) to edit", k.array, o.key, id)
		}
		_, _, fields, err := objectOf(raw)
		if err != nil {
			return err
		}
		delete(fields, "hmac")
		delete(fields, "sip_uri")
		if k.secret {
			fields["room_creation_api"] = o.value
		} else {
			fields["name_prefix"] = o.value
		}
		if err := r.emu.UpdateDialinConfig(id, canonical(fields)); err != nil {
			return err
		}
	case "add":
		var err error
		if id, err = r.emu.CreateDialinConfig(k.array, canonical(o.entry)); err != nil {
			return err
		}
	}
	raw, _ := r.emu.DialinConfig(id)
	_, _, fields, err := objectOf(raw)
	if err != nil {
		return err
	}
	held := &walkObject{id: id, entry: &walkEntry{fields: fields}}
	managed := false
	for c := range maps.Values(a.decl.configs) {
		managed = managed || c.cfg.key() == o.key
	}
	if !managed {
		held.entry.raw = canonical(fields)
	}
	a.objects[o.key] = held
	return nil
}
