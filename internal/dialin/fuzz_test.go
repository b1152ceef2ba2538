package dialin

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// FuzzParseEntry: any entry Daily may send is parsed or refused without a
// panic; applying a route spec to a parsed entry yields valid JSON that
// satisfies the spec and keeps every field the spec does not own byte for byte.
func FuzzParseEntry(f *testing.F) {
	for _, seed := range []string{
		`{"phone_number":"+14155550100","room_creation_api":"https://h.example/call","hmac":"c2VjcmV0","sip_uri":"sip:a@d.sip.daily.co","x_added_by_support":{"ticket":1}}`,
		`{"name_prefix":"lobby","room_creation_api":"https://h.example/sip"}`,
		`{"phone_number":"+14155550101","name_prefix":"p","ivr_greeting":{"message":"hi"}}`,
		`{"phone_number":5,"name_prefix":null}`,
		`{"phone_number":"+1","phone_number":"+2"}`,
		`[]`, `null`, `"x"`, `{`,
	} {
		f.Add([]byte(seed), "https://hooks.example/new", "")
	}
	f.Fuzz(func(t *testing.T, raw []byte, webhook, hmac string) {
		en, err := parseEntry(raw)
		if err != nil {
			return
		}
		key := en.Key()
		set := KeyFields(key)
		set["room_creation_api"] = jsonString(webhook)
		if hmac != "" {
			set["hmac"] = jsonString(hmac)
		}
		spec := RouteSpec{Key: key, Set: set, Managed: []string{"phone_number", "room_creation_api", "name_prefix", "hmac"}, Preserve: []string{"hmac"}}
		out := spec.apply(&en)
		if !json.Valid(out.Raw) {
			t.Fatalf("apply produced invalid JSON %s", out.Raw)
		}
		if !spec.satisfiedBy(out) {
			t.Fatalf("apply result %s does not satisfy its spec", out.Raw)
		}
		if out.Key() != key {
			t.Fatalf("apply moved the entry from key %q to %q", key, out.Key())
		}
		for k, v := range en.Fields {
			owned := false
			for _, m := range spec.Managed {
				owned = owned || m == k
			}
			if !owned && !bytes.Equal(out.Fields[k], v) {
				t.Fatalf("unmanaged field %s changed: %s -> %s", k, v, out.Fields[k])
			}
		}
		if hmac == "" && en.Fields["hmac"] != nil && !bytes.Equal(out.Fields["hmac"], en.Fields["hmac"]) {
			t.Fatalf("the hmac was not preserved: %s -> %s", en.Fields["hmac"], out.Fields["hmac"])
		}
	})
}

// FuzzSnapshot: whatever the dial-in arrays of a domain answer hold, reading
// them gives entries or a DecodeError, never a panic.
func FuzzSnapshot(f *testing.F) {
	f.Add([]byte(`[{"phone_number":"+14155550100","hmac":"c2VjcmV0"}]`), []byte(`[]`))
	f.Add([]byte(`null`), []byte(`[{"phone_number":"+14155550101","ivr_greeting":{"message":"hi"}}]`))
	f.Add([]byte(`{"a":1}`), []byte(`[1,2]`))
	f.Fuzz(func(t *testing.T, pinless, pin []byte) {
		dom := &client.Domain{DomainName: "d", Config: map[string]json.RawMessage{client.PinlessDialin: pinless, client.PinDialin: pin}}
		snap, err := parseSnapshot(dom)
		if err != nil {
			return
		}
		for array, entries := range snap.arrays {
			for _, e := range entries {
				if !json.Valid(e.Raw) || e.Fields == nil && string(e.Raw) != "null" {
					t.Fatalf("%s: bad entry %s", array, e.Raw)
				}
				_ = e.Key()
			}
		}
	})
}
