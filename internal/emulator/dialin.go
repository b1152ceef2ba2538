package emulator

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"slices"
)

// dialinEntry is one dial-in route as the emulator stores it: an entry of a
// domain array, or a config object of /domain-dialin-config, or, under
// DialinStoreShared, both at once.
type dialinEntry struct {
	id     string         // object id; "" for an array entry under DialinStoreSeparate
	typ    string         // PinlessDialin or PinDialin
	seq    int64          // creation order: object lists are newest first
	fields map[string]any // as GET answers them, hmac and sip_uri included
}

// array returns the stored dial-in array named name, nil for an unknown name
// (caller holds the lock).
func (e *Emulator) array(name string) *[]*dialinEntry {
	switch name {
	case PinlessDialin:
		return &e.pinless
	case PinDialin:
		return &e.pin
	}
	return nil
}

// arrayFields returns the fields of each entry of an array, in its order.
func arrayFields(entries []*dialinEntry) []map[string]any {
	out := make([]map[string]any, len(entries))
	for i, d := range entries {
		out[i] = d.fields
	}
	return out
}

// newEntry records a new route; under the shared store, and for every
// object, it is a config object with an id.
func (e *Emulator) newEntry(typ string, object bool, fields map[string]any) *dialinEntry {
	d := &dialinEntry{typ: typ, fields: fields}
	if object || e.opts.DialinStore == DialinStoreShared {
		e.nextSeq++
		d.id, d.seq = e.uuid(), e.nextSeq
		e.idSeq[d.id] = d.seq
	}
	return d
}

// storeArray replaces the array name with entries that passed validation
// (caller holds the lock). An entry takes over the record of the old entry
// with its key (the n-th entry of a key, the n-th one): under the shared
// store it keeps that object's id, and the old entries left over are
// deleted objects [inferred]. Pinless entries get their hmac and sip_uri.
func (e *Emulator) storeArray(name string, entries []map[string]any) {
	slot := e.array(name)
	old := map[string][]*dialinEntry{}
	for _, d := range *slot {
		key := entryKey(d.fields)
		old[key] = append(old[key], d)
	}
	stored := make([]*dialinEntry, len(entries))
	for i, fields := range entries {
		key := entryKey(fields)
		if prior := old[key]; len(prior) > 0 {
			stored[i] = &dialinEntry{id: prior[0].id, typ: name, seq: prior[0].seq, fields: fields}
			old[key] = prior[1:]
		} else {
			stored[i] = e.newEntry(name, false, fields)
		}
	}
	*slot = stored
	if name == PinlessDialin {
		for i, d := range stored {
			// Daily mints a new secret for every entry POSTed without one [doc].
			if _, ok := d.fields["hmac"]; !ok {
				d.fields["hmac"] = mintHMAC()
			}
			d.fields["sip_uri"] = e.sipURI(e.sipIdentity(d, stored[:i]), d.fields)
		}
	}
}

// sipIdentity names what a pinless route's sip_uri belongs to: an object of
// the separate store by its id; an array entry (or a shared-store object) by
// its key and how many entries of that key come before it in the array, so
// that entries sharing a key, or having none, keep theirs when the array is
// sent again in the same order [inferred].
func (e *Emulator) sipIdentity(d *dialinEntry, before []*dialinEntry) string {
	if d.id != "" && e.opts.DialinStore == DialinStoreSeparate {
		return "object " + d.id
	}
	key := entryKey(d.fields)
	n := 0
	for _, b := range before {
		if entryKey(b.fields) == key {
			n++
		}
	}
	return fmt.Sprintf("%s#%d", key, n)
}

// arrayIdentity is sipIdentity for a stored array entry.
func (e *Emulator) arrayIdentity(d *dialinEntry) string {
	entries := *e.array(d.typ)
	i := slices.Index(entries, d)
	if i < 0 {
		i = len(entries)
	}
	return e.sipIdentity(d, entries[:i])
}

// objects returns every config object, newest first (caller holds the lock).
func (e *Emulator) objects() []*dialinEntry {
	var all []*dialinEntry
	if e.opts.DialinStore == DialinStoreShared {
		all = slices.Concat(e.pinless, e.pin)
	} else {
		all = slices.Clone(e.separate)
	}
	slices.SortFunc(all, func(a, b *dialinEntry) int { return cmp.Compare(b.seq, a.seq) })
	return all
}

// object finds the config object id.
func (e *Emulator) object(id string) *dialinEntry {
	if id == "" {
		return nil
	}
	// Array entries of the separate store have no id, so only objects match.
	for _, d := range slices.Concat(e.pinless, e.pin, e.separate) {
		if d.id == id {
			return d
		}
	}
	return nil
}

// removeObject deletes a config object from where it is stored.
func (e *Emulator) removeObject(d *dialinEntry) {
	del := func(x *dialinEntry) bool { return x == d }
	if e.opts.DialinStore == DialinStoreShared {
		*e.array(d.typ) = slices.DeleteFunc(*e.array(d.typ), del)
		return
	}
	e.separate = slices.DeleteFunc(e.separate, del)
}

// holder describes the dial-in config that routes number, other than skip,
// or returns "" when there is none (caller holds the lock).
func (e *Emulator) holder(number string, skip *dialinEntry) string {
	for _, d := range slices.Concat(e.pinless, e.pin, e.separate) {
		if d == skip || d.fields["phone_number"] != number {
			continue
		}
		if d.id != "" {
			return fmt.Sprintf("dial-in config %s (%s)", d.id, d.typ)
		}
		return "the " + d.typ + " array"
	}
	return ""
}

// objectBody renders a config object as the per-object API answers it: a
// pinless object without a number shows "phone_number": null [doc].
func objectBody(d *dialinEntry) map[string]any {
	config := maps.Clone(d.fields)
	if _, ok := config["phone_number"]; !ok && d.typ == PinlessDialin {
		config["phone_number"] = nil
	}
	return map[string]any{"id": d.id, "type": d.typ, "config": config}
}

func objectResp(d *dialinEntry) response {
	return jsonResp(http.StatusOK, objectBody(d))
}

// removeDialinEntries deletes every entry and object routing number (caller
// holds the lock): releasing a number deletes its dial-in config [daily-code].
func (e *Emulator) removeDialinEntries(number string) {
	routes := func(d *dialinEntry) bool { return d.fields["phone_number"] == number }
	e.pinless = slices.DeleteFunc(e.pinless, routes)
	e.pin = slices.DeleteFunc(e.pin, routes)
	e.separate = slices.DeleteFunc(e.separate, routes)
}
