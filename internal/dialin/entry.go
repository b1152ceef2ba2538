package dialin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Entry is one dial-in route. Raw is the entry exactly as Daily returned it (or
// as we will send it); Fields is the same object split by key.
type Entry struct {
	Raw    json.RawMessage
	Fields map[string]json.RawMessage
	key    string // Key, worked out once when the entry is parsed or made
}

// SIPKeyPrefix marks the key of an entry without a phone number (a SIP
// interconnect route), which is identified by its name_prefix instead.
const SIPKeyPrefix = "sip:"

func parseEntry(raw json.RawMessage) (Entry, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return Entry{}, fmt.Errorf("dial-in entry is not a JSON object: %w", err)
	}
	e := Entry{Raw: raw, Fields: fields}
	e.key = e.Key()
	return e, nil
}

func newEntry(fields map[string]json.RawMessage) Entry {
	raw, err := json.Marshal(fields)
	if err != nil {
		// Every value is already valid JSON, so marshalling cannot fail.
		panic(err)
	}
	e := Entry{Raw: raw, Fields: fields}
	e.key = e.Key()
	return e
}

// readOnlyFields are minted by Daily and never sent back: whether Daily
// ignores or refuses one sent is not documented.
var readOnlyFields = []string{"sip_uri"}

// Sendable is the entry as a write sends it: exactly as Daily holds it, less
// the read-only fields.
func (e Entry) Sendable() json.RawMessage {
	if !slices.ContainsFunc(readOnlyFields, func(f string) bool { _, ok := e.Fields[f]; return ok }) {
		return e.Raw
	}
	fields := maps.Clone(e.Fields)
	for _, f := range readOnlyFields {
		delete(fields, f)
	}
	return newEntry(fields).Raw
}

// Text returns a string field, or "" when it is absent or not a string.
func (e Entry) Text(field string) string {
	var s string
	if raw, ok := e.Fields[field]; ok {
		_ = json.Unmarshal(raw, &s)
	}
	return s
}

// Key identifies the entry within its array: its phone number, or for a
// SIP-only entry SIPKeyPrefix followed by its name_prefix.
func (e Entry) Key() string {
	if e.key != "" {
		return e.key
	}
	return RouteKey(e.Text("phone_number"), e.Text("name_prefix"))
}

// RouteKey is the key of the route with this phone number or, for a SIP-only
// route (no number), this name_prefix: SIPKeyPrefix followed by it.
func RouteKey(phoneNumber, namePrefix string) string {
	if phoneNumber != "" {
		return phoneNumber
	}
	return SIPKeyPrefix + namePrefix
}

// SplitKey is RouteKey undone: the phone number of a key, or for a SIP key
// its name_prefix; the other is "".
func SplitKey(key string) (phoneNumber, namePrefix string) {
	if prefix, ok := strings.CutPrefix(key, SIPKeyPrefix); ok {
		return "", prefix
	}
	return key, ""
}

// KeyFields returns the fields an entry with key must hold: its phone_number,
// or for a SIP key its name_prefix.
func KeyFields(key string) map[string]json.RawMessage {
	field, value := "phone_number", key
	if number, prefix := SplitKey(key); number == "" {
		field, value = "name_prefix", prefix
	}
	raw, _ := json.Marshal(value) // a string always marshals
	return map[string]json.RawMessage{field: raw}
}

// RouteSpec is the desired content of one entry.
type RouteSpec struct {
	Key string
	// Set holds the managed fields that have a value, as JSON.
	Set map[string]json.RawMessage
	// Managed lists every field the caller owns; an owned field missing from
	// Set is removed, unless it is listed in Preserve.
	Managed []string
	// Preserve lists owned fields whose current value is kept when Set has
	// none: the hmac, which Daily would otherwise mint anew on every write.
	Preserve []string
}

// apply returns the entry the spec makes of current (nil when it is new).
// An unchanged entry keeps its raw bytes, so Daily gets back exactly what it sent.
func (s RouteSpec) apply(current *Entry) Entry {
	fields := map[string]json.RawMessage{}
	if current != nil {
		for k, v := range current.Fields {
			fields[k] = v
		}
	}
	for _, f := range s.Managed {
		if _, set := s.Set[f]; !set && !slices.Contains(s.Preserve, f) {
			delete(fields, f)
		}
	}
	for k, v := range s.Set {
		fields[k] = v
	}
	if current != nil && sameFields(current.Fields, fields) {
		return *current
	}
	return newEntry(fields)
}

// satisfiedBy reports whether e is what the spec decided: every value it
// sets, and none of the fields it removes.
func (s RouteSpec) satisfiedBy(e Entry) bool {
	if !s.holdsValues(e) {
		return false
	}
	for _, f := range s.Managed {
		if _, set := s.Set[f]; !set && !slices.Contains(s.Preserve, f) {
			if _, present := e.Fields[f]; present {
				return false
			}
		}
	}
	return true
}

// holdsValues reports whether e holds every value the spec sets.
func (s RouteSpec) holdsValues(e Entry) bool {
	for k, want := range s.Set {
		got, ok := e.Fields[k]
		if !ok || !jsonEqual(got, want) {
			return false
		}
	}
	return true
}

// pinned is the spec with the values it leaves to Daily (Preserve: a secret
// Daily minted or the route already had) set as e, Daily's answer, holds
// them. Once Daily has answered, those values are decided: the caller
// reports them to Terraform, so a later repair must send them and a later
// read must find them.
func (s RouteSpec) pinned(e Entry) RouteSpec {
	set := maps.Clone(s.Set)
	for _, f := range s.Preserve {
		if _, decided := set[f]; !decided {
			if v, ok := e.Fields[f]; ok {
				set[f] = v
			}
		}
	}
	s.Set = set
	return s
}

func sameFields(a, b map[string]json.RawMessage) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok || !bytes.Equal(va, vb) {
			return false
		}
	}
	return true
}

// jsonEqual compares two JSON values by meaning, not by formatting.
func jsonEqual(a, b json.RawMessage) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

// Find returns the entry with key.
func Find(entries []Entry, key string) (Entry, bool) {
	if i := indexOf(entries, key); i >= 0 {
		return entries[i], true
	}
	return Entry{}, false
}

func indexOf(entries []Entry, key string) int {
	return slices.IndexFunc(entries, func(e Entry) bool { return e.Key() == key })
}

// AmbiguousKeys returns, sorted, the keys that do not name one entry of
// entries: held by several (SIP-only entries sharing a name_prefix), or
// naming none at all (SIPKeyPrefix alone: a SIP-only entry without
// name_prefix). Real accounts hold such entries; the engine keeps them as
// they are and refuses to change them.
func AmbiguousKeys(entries []Entry) []string {
	seen := make(map[string]int, len(entries))
	for _, e := range entries {
		seen[e.Key()]++
	}
	var keys []string
	for key, n := range seen {
		if n > 1 || key == SIPKeyPrefix {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys)
	return keys
}

// AmbiguousKeyError refuses a change to an entry the engine cannot tell
// apart from others (see AmbiguousKeys).
type AmbiguousKeyError struct {
	Array string
	Keys  []string
}

func (e *AmbiguousKeyError) Error() string {
	return fmt.Sprintf("%s holds entries this provider cannot tell apart (%s: SIP-only entries without a name_prefix, or sharing one); "+
		"they are left as they are. Give each its own name_prefix (in Daily's dashboard) to manage them here", e.Array, strings.Join(e.Keys, ", "))
}

// ambiguous returns an AmbiguousKeyError if key does not name one entry of
// current, or, for an empty key, if any key of current does not.
func ambiguous(array string, current []Entry, key string) error {
	keys := AmbiguousKeys(current)
	if key != "" {
		keys = slices.DeleteFunc(keys, func(k string) bool { return k != key })
	}
	if len(keys) == 0 {
		return nil
	}
	return &AmbiguousKeyError{Array: array, Keys: keys}
}
