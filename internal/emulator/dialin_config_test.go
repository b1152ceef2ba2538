package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// eachStore runs f once under each store reading.
func eachStore(t *testing.T, f func(t *testing.T, store DialinStore)) {
	t.Helper()
	for _, store := range AllDialinStores {
		t.Run(string(store), func(t *testing.T) { f(t, store) })
	}
}

// configObject is an answer of the per-object API.
type configObject struct {
	ID     string         `json:"id"`
	Type   string         `json:"type"`
	Config map[string]any `json:"config"`
}

func decodeObject(t *testing.T, body []byte) configObject {
	t.Helper()
	var o configObject
	if err := json.Unmarshal(body, &o); err != nil || o.ID == "" || o.Config == nil {
		t.Fatalf("not a config object: %s (%v)", body, err)
	}
	return o
}

// create POSTs a config and returns the answer, failing the test unless 200.
func create(t *testing.T, e *Emulator, body string) configObject {
	t.Helper()
	status, b := call(t, e, "POST", "/v1/domain-dialin-config", body)
	if status != 200 {
		t.Fatalf("create %s: %d %s", body, status, b)
	}
	return decodeObject(t, b)
}

func put(t *testing.T, e *Emulator, id, body string) configObject {
	t.Helper()
	status, b := call(t, e, "PUT", "/v1/domain-dialin-config/"+id, body)
	if status != 200 {
		t.Fatalf("PUT %s: %d %s", body, status, b)
	}
	return decodeObject(t, b)
}

type configList struct {
	TotalCount int            `json:"total_count"`
	Data       []configObject `json:"data"`
}

func list(t *testing.T, e *Emulator, query string) configList {
	t.Helper()
	status, b := call(t, e, "GET", "/v1/domain-dialin-config?"+query, "")
	if status != 200 {
		t.Fatalf("list %s: %d %s", query, status, b)
	}
	var l configList
	if err := json.Unmarshal(b, &l); err != nil || l.Data == nil {
		t.Fatalf("list %s: %s (%v)", query, b, err)
	}
	return l
}

var sipURIForm = regexp.MustCompile(`^[0-9a-f]{16}--[0-9]{13}@daily-[0-9a-f]{16}-pinless-sip\.dapp\.signalwire\.com$`)

func TestConfigCreateAndRead(t *testing.T) {
	eachStore(t, func(t *testing.T, store DialinStore) {
		e := New(Options{DialinStore: store})
		n := buy(t, e, 2)
		pinless := create(t, e, `{"type":"pinless_dialin","phone_number":"`+n[0]+`","name_prefix":"Customer1",
			"room_creation_api":"https://your-app.example.com/api/dial","hold_music_url":"https://example.com/ringtone.mp3",
			"timeout_config":{"message":"No agent is available right now"},"x_future":{"a":1.50}}`)
		c := pinless.Config
		if pinless.Type != PinlessDialin || len(pinless.ID) != 36 || c["phone_number"] != n[0] || c["name_prefix"] != "Customer1" ||
			c["timeout_config"].(map[string]any)["message"] != "No agent is available right now" {
			t.Fatalf("created %+v", pinless)
		}
		if h, _ := c["hmac"].(string); len(h) != 44 {
			t.Errorf("hmac not minted: %v", c["hmac"])
		}
		if uri, _ := c["sip_uri"].(string); !sipURIForm.MatchString(uri) {
			t.Errorf("sip_uri %v", c["sip_uri"])
		}
		status, got := call(t, e, "GET", "/v1/domain-dialin-config/"+pinless.ID, "")
		if raw, _ := e.DialinConfig(pinless.ID); status != 200 || !bytes.Equal(got, raw) || !bytes.Contains(got, []byte(`"x_future":{"a":1.50}`)) {
			t.Fatalf("GET: %d %s\nhook: %s", status, got, raw)
		}

		// A SIP-only object: phone_number answered as null; a sent sip_uri is ignored.
		sip := create(t, e, `{"type":"pinless_dialin","phone_number":null,"name_prefix":"pbx","room_creation_api":"https://h.example/sip","sip_uri":"mine","hmac":"c2VjcmV0"}`)
		if v, ok := sip.Config["phone_number"]; !ok || v != nil || sip.Config["hmac"] != "c2VjcmV0" || sip.Config["sip_uri"] == "mine" {
			t.Fatalf("SIP-only %+v", sip.Config)
		}
		pin := create(t, e, `{"type":"pin_dialin","phone_number":"`+n[1]+`","ivr_greeting":{"message":"Enter your PIN"}}`)
		if _, ok := pin.Config["hmac"]; ok || pin.Type != PinDialin || pin.Config["sip_uri"] != nil {
			t.Fatalf("pin %+v", pin)
		}

		l := list(t, e, "")
		if l.TotalCount != 3 || l.Data[0].ID != pin.ID || l.Data[1].ID != sip.ID || l.Data[2].ID != pinless.ID {
			t.Fatalf("list not newest first: %+v", l)
		}
		arrays := map[string]int{PinlessDialin: len(array(t, e, PinlessDialin)), PinDialin: len(array(t, e, PinDialin))}
		if want := map[DialinStore]int{DialinStoreShared: 2, DialinStoreSeparate: 0}[store]; arrays[PinlessDialin] != want || arrays[PinDialin] != want/2 {
			t.Fatalf("arrays hold %v", arrays)
		}
		if store == DialinStoreShared {
			// The array shows the object as an entry: no id, no null number.
			entry := array(t, e, PinlessDialin)[1]
			if _, ok := entry["id"]; ok || entry["sip_uri"] != sip.Config["sip_uri"] {
				t.Fatalf("entry %v", entry)
			}
			if _, ok := entry["phone_number"]; ok {
				t.Fatalf("SIP-only entry shows a phone_number: %v", entry)
			}
		}
		if e.Count("POST /domain-dialin-config") != 3 || e.Count("GET /domain-dialin-config/:id") != 1 || e.Count("GET /domain-dialin-config") != 1 {
			t.Errorf("counts %v", e.Counts())
		}
	})
}

func TestConfigCreateRefusals(t *testing.T) {
	eachStore(t, func(t *testing.T, store DialinStore) {
		e := New(Options{DialinStore: store})
		n := buy(t, e, 3)
		held := create(t, e, `{"type":"pinless_dialin","phone_number":"`+n[0]+`","room_creation_api":"https://h.example/a"}`)
		if _, body := post(t, e, `{"pin_dialin":[{"phone_number":"`+n[1]+`"}]}`); !bytes.Contains(body, []byte(n[1])) {
			t.Fatalf("array write: %s", body)
		}
		for _, tc := range []struct{ body, status, typ, info string }{
			{`{"phone_number":"` + n[2] + `","room_creation_api":"https://h.example/a"}`, "400", "invalid-request-error", "type"},
			{`{"type":"dialin","phone_number":"` + n[2] + `"}`, "400", "invalid-request-error", "type"},
			{`{"type":"pinless_dialin","phone_number":"+12125550123","room_creation_api":"https://h.example/a"}`, "400", "invalid-request-error", "not associated with domain"},
			{`{"type":"pinless_dialin","phone_number":"` + n[2] + `","room_creation_api":"ftp://h.example/a"}`, "400", "invalid-request-error", "room_creation_api"},
			{`{"type":"pinless_dialin","phone_number":"` + n[2] + `"}`, "400", "invalid-request-error", "room_creation_api is required"},
			{`{"type":"pin_dialin","name_prefix":"x"}`, "400", "invalid-request-error", "phone_number is required"},
			{`{"type":"pinless_dialin","phone_number":"` + n[2] + `","room_creation_api":"https://h.example/a","hmac":"not base64!"}`, "400", "invalid-request-error", "hmac"},
			// One config per number, whatever holds it.
			{`{"type":"pin_dialin","phone_number":"` + n[0] + `"}`, "400", "invalid-request-error", n[0] + " is used by more than one dial-in entry: dial-in config " + held.ID},
			{`{"type":"pinless_dialin","phone_number":"` + n[1] + `","room_creation_api":"https://h.example/a"}`, "400", "invalid-request-error", n[1] + " is used by more than one dial-in entry"},
			{`{"type":"pin_dialin",`, "400", "json-parsing-error", "invalid JSON"},
			{`[]`, "400", "json-parsing-error", "invalid JSON"},
			{`null`, "400", "invalid-request-error", "JSON object"},
		} {
			status, body := call(t, e, "POST", "/v1/domain-dialin-config", tc.body)
			m := wantError(t, status, body, 400, tc.typ)
			if !strings.Contains(m["info"].(string), tc.info) {
				t.Errorf("%s: info %q lacks %q", tc.body, m["info"], tc.info)
			}
		}
		if l := list(t, e, ""); l.TotalCount != map[DialinStore]int{DialinStoreShared: 2, DialinStoreSeparate: 1}[store] {
			t.Fatalf("refused creates changed the objects: %+v", l)
		}
	})
}

// Under the shared reading the objects are the array entries.
func TestConfigSharedStoreIsTheArrays(t *testing.T) {
	e := New(Options{DialinStore: DialinStoreShared})
	n := buy(t, e, 3)
	a := create(t, e, `{"type":"pinless_dialin","phone_number":"`+n[0]+`","room_creation_api":"https://h.example/a"}`)
	b := create(t, e, `{"type":"pinless_dialin","phone_number":"`+n[1]+`","room_creation_api":"https://h.example/b"}`)
	entries := e.DialinArray(PinlessDialin)
	if len(entries) != 2 {
		t.Fatalf("array %s", entries)
	}
	// Sent again with a changed webhook for a, b left out, and a new entry.
	changed := strings.Replace(string(entries[0]), "https://h.example/a", "https://h.example/a2", 1)
	status, body := post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[2], "https://h.example/c", "")+`,`+changed+`]}`)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	l := list(t, e, "")
	if l.TotalCount != 2 || l.Data[1].ID != a.ID || l.Data[1].Config["room_creation_api"] != "https://h.example/a2" ||
		l.Data[1].Config["sip_uri"] != a.Config["sip_uri"] || l.Data[1].Config["hmac"] != a.Config["hmac"] {
		t.Fatalf("a did not keep its object: %+v", l)
	}
	if l.Data[0].ID == b.ID || l.Data[0].Config["phone_number"] != n[2] {
		t.Fatalf("the new entry is not a new object: %+v", l.Data[0])
	}
	if status, _ := call(t, e, "GET", "/v1/domain-dialin-config/"+b.ID, ""); status != 404 {
		t.Fatalf("b, left out of the array, still answers %d", status)
	}
	// A PUT shows in the array; a DELETE removes the entry.
	put(t, e, a.ID, `{"room_creation_api":"https://h.example/a3"}`)
	if got := array(t, e, PinlessDialin)[1]; got["room_creation_api"] != "https://h.example/a3" {
		t.Fatalf("PUT not in the array: %v", got)
	}
	if status, _ := call(t, e, "DELETE", "/v1/domain-dialin-config/"+a.ID, ""); status != 200 {
		t.Fatal(status)
	}
	if got := array(t, e, PinlessDialin); len(got) != 1 || got[0]["phone_number"] != n[2] {
		t.Fatalf("DELETE not in the array: %v", got)
	}
	post(t, e, `{"pinless_dialin":[]}`)
	if l := list(t, e, ""); l.TotalCount != 0 {
		t.Fatalf("clearing the array left objects: %+v", l)
	}
}

// Under the separate reading arrays and objects are two stores, one config per number across both.
func TestConfigSeparateStore(t *testing.T) {
	e := New(Options{DialinStore: DialinStoreSeparate})
	n := buy(t, e, 2)
	a := create(t, e, `{"type":"pinless_dialin","phone_number":"`+n[0]+`","room_creation_api":"https://h.example/a"}`)
	post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[1], "https://h.example/b", "")+`]}`)
	status, body := post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[1], "https://h.example/b", "")+`,`+pinlessEntry(n[0], "https://h.example/x", "")+`]}`)
	m := wantError(t, status, body, 400, "invalid-request-error")
	if !strings.Contains(m["info"].(string), n[0]+" is used by more than one dial-in entry: dial-in config "+a.ID) {
		t.Fatalf("info %v", m["info"])
	}
	status, body = post(t, e, `{"pin_dialin":[{"phone_number":"`+n[0]+`"}]}`)
	wantError(t, status, body, 400, "invalid-request-error")
	// Clearing the arrays leaves the object.
	post(t, e, `{"pinless_dialin":[],"pin_dialin":[]}`)
	if l := list(t, e, ""); l.TotalCount != 1 || l.Data[0].ID != a.ID {
		t.Fatalf("objects %+v", l)
	}
	// A SIP-only entry and a SIP-only object may share a name_prefix, each with its own sip_uri.
	post(t, e, `{"pinless_dialin":[{"name_prefix":"pbx","room_creation_api":"https://h.example/s"}]}`)
	obj := create(t, e, `{"type":"pinless_dialin","name_prefix":"pbx","room_creation_api":"https://h.example/s"}`)
	if array(t, e, PinlessDialin)[0]["sip_uri"] == obj.Config["sip_uri"] {
		t.Fatal("an entry and an object share a sip_uri")
	}
}

// The provider's update: every field (null for a cleared one) and the
// secret. It must do the same under every PUT reading.
func TestConfigPutAsTheProviderSendsIt(t *testing.T) {
	for _, semantics := range AllPutSemantics {
		for _, omitted := range AllPutOmittedHMACs {
			t.Run(string(semantics)+"-"+string(omitted), func(t *testing.T) {
				eachStore(t, func(t *testing.T, store DialinStore) {
					e := New(Options{DialinStore: store, PutSemantics: semantics, PutOmittedHMAC: omitted})
					n := buy(t, e, 1)
					o := create(t, e, `{"type":"pinless_dialin","phone_number":"`+n[0]+`","name_prefix":"p","room_creation_api":"https://h.example/a",
					"hold_music_url":"https://h.example/m.mp3","timeout_config":{"message":"bye"}}`)
					secret := o.Config["hmac"].(string)
					got := put(t, e, o.ID, `{"phone_number":"`+n[0]+`","name_prefix":null,"room_creation_api":"https://h.example/b",
					"hold_music_url":"https://h.example/m.mp3","timeout_config":null,"hmac":"`+secret+`"}`)
					want := map[string]any{"phone_number": n[0], "room_creation_api": "https://h.example/b", "hold_music_url": "https://h.example/m.mp3",
						"hmac": secret, "sip_uri": o.Config["sip_uri"]}
					if !mapsEqual(got.Config, want) || got.ID != o.ID || got.Type != PinlessDialin {
						t.Fatalf("%s/%s: got %v\nwant %v", semantics, omitted, got.Config, want)
					}
					if raw, _ := e.DialinConfig(o.ID); !mapsEqual(decodeObject(t, raw).Config, want) {
						t.Fatalf("stored %s", raw)
					}
				})
			})
		}
	}
}

func mapsEqual(a, b map[string]any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestConfigPutReadings(t *testing.T) {
	const full = `{"type":"pinless_dialin","phone_number":"%s","name_prefix":"p","room_creation_api":"https://h.example/a","timeout_config":{"message":"bye"}}`
	setup := func(t *testing.T, opts Options) (*Emulator, configObject) {
		e := New(opts)
		n := buy(t, e, 1)
		return e, create(t, e, fmt.Sprintf(full, n[0]))
	}
	t.Run("merge", func(t *testing.T) {
		e, o := setup(t, Options{PutSemantics: PutMerge})
		got := put(t, e, o.ID, `{"room_creation_api":"https://h.example/b","name_prefix":null}`)
		if got.Config["timeout_config"] == nil || got.Config["name_prefix"] != nil || got.Config["hmac"] != o.Config["hmac"] ||
			got.Config["room_creation_api"] != "https://h.example/b" || got.Config["phone_number"] != o.Config["phone_number"] {
			t.Fatalf("merge: %v", got.Config)
		}
		if _, ok := got.Config["name_prefix"]; ok {
			t.Fatal("null did not clear name_prefix")
		}
	})
	t.Run("replace", func(t *testing.T) {
		e, o := setup(t, Options{PutSemantics: PutReplace})
		got := put(t, e, o.ID, `{"room_creation_api":"https://h.example/b","name_prefix":null}`)
		for _, gone := range []string{"timeout_config", "name_prefix", "phone_number"} {
			if _, ok := got.Config[gone]; ok && got.Config[gone] != nil {
				t.Fatalf("replace kept %s: %v", gone, got.Config)
			}
		}
		if got.Config["hmac"] != o.Config["hmac"] || got.Config["sip_uri"] == nil {
			t.Fatalf("replace: %v", got.Config)
		}
		// A pin object's PUT without its number is refused under this reading.
		n := buy(t, e, 1)
		pin := create(t, e, `{"type":"pin_dialin","phone_number":"`+n[0]+`"}`)
		status, body := call(t, e, "PUT", "/v1/domain-dialin-config/"+pin.ID, `{"name_prefix":"x"}`)
		wantError(t, status, body, 400, "invalid-request-error")
	})
	t.Run("keep", func(t *testing.T) {
		e, o := setup(t, Options{PutOmittedHMAC: PutOmittedHMACKeep})
		for _, body := range []string{`{"room_creation_api":"https://h.example/b"}`, `{"hmac":null}`} {
			if got := put(t, e, o.ID, body); got.Config["hmac"] != o.Config["hmac"] {
				t.Fatalf("%s rotated the secret", body)
			}
		}
	})
	t.Run("rotate", func(t *testing.T) {
		e, o := setup(t, Options{PutOmittedHMAC: PutOmittedHMACRotate})
		first := put(t, e, o.ID, `{"room_creation_api":"https://h.example/b"}`)
		second := put(t, e, o.ID, `{"hmac":null}`)
		kept := put(t, e, o.ID, `{"hmac":"c2VjcmV0"}`)
		if first.Config["hmac"] == o.Config["hmac"] || second.Config["hmac"] == first.Config["hmac"] || kept.Config["hmac"] != "c2VjcmV0" {
			t.Fatalf("rotate: %v %v %v %v", o.Config["hmac"], first.Config["hmac"], second.Config["hmac"], kept.Config["hmac"])
		}
	})
	t.Run("refusals", func(t *testing.T) {
		e, o := setup(t, Options{})
		n := buy(t, e, 1)
		other := create(t, e, `{"type":"pin_dialin","phone_number":"`+n[0]+`"}`)
		before, _ := e.DialinConfig(o.ID)
		for _, tc := range []struct {
			id, body string
			status   int
			typ      string
		}{
			{o.ID, `{"type":"pin_dialin"}`, 400, "invalid-request-error"},
			{o.ID, `{"phone_number":"` + n[0] + `"}`, 400, "invalid-request-error"},
			{o.ID, `{"room_creation_api":"nope"}`, 400, "invalid-request-error"},
			{o.ID, `{"room_creation_api":null}`, 400, "invalid-request-error"},
			{o.ID, `{"x":`, 400, "json-parsing-error"},
			{"no-such-id", `{}`, 404, "not-found"},
		} {
			status, body := call(t, e, "PUT", "/v1/domain-dialin-config/"+tc.id, tc.body)
			m := wantError(t, status, body, tc.status, tc.typ)
			if strings.Contains(tc.body, n[0]) && !strings.Contains(m["info"].(string), other.ID) {
				t.Errorf("conflict does not name the holder: %v", m["info"])
			}
		}
		if after, _ := e.DialinConfig(o.ID); !bytes.Equal(before, after) {
			t.Fatalf("refused PUTs changed the object:\n%s\n%s", before, after)
		}
		// The same type may be sent; the number may move to a free one.
		m := buy(t, e, 1)
		if got := put(t, e, o.ID, `{"type":"pinless_dialin","phone_number":"`+m[0]+`"}`); got.Config["phone_number"] != m[0] {
			t.Fatalf("number not moved: %v", got.Config)
		}
		if e.Count("PUT /domain-dialin-config") != 7 {
			t.Errorf("counts %v", e.Counts())
		}
	})
}

func TestConfigDelete(t *testing.T) {
	eachStore(t, func(t *testing.T, store DialinStore) {
		e := New(Options{DialinStore: store})
		n := buy(t, e, 1)
		o := create(t, e, `{"type":"pin_dialin","phone_number":"`+n[0]+`"}`)
		status, body := call(t, e, "DELETE", "/v1/domain-dialin-config/"+o.ID, "")
		if status != 200 || string(body) != `{"status":"ok"}` {
			t.Fatalf("%d %s", status, body)
		}
		for _, method := range []string{"GET", "DELETE", "PUT"} {
			status, body := call(t, e, method, "/v1/domain-dialin-config/"+o.ID, "{}")
			wantError(t, status, body, 404, "not-found")
		}
		// The number is free again.
		create(t, e, `{"type":"pin_dialin","phone_number":"`+n[0]+`"}`)
		if e.Count("DELETE /domain-dialin-config") != 2 {
			t.Errorf("counts %v", e.Counts())
		}
	})
}

func TestConfigReleaseDeletesConfigs(t *testing.T) {
	eachStore(t, func(t *testing.T, store DialinStore) {
		e := New(Options{DialinStore: store})
		n := buy(t, e, 2)
		o := create(t, e, `{"type":"pinless_dialin","phone_number":"`+n[0]+`","room_creation_api":"https://h.example/a"}`)
		create(t, e, `{"type":"pin_dialin","phone_number":"`+n[1]+`"}`)
		if !e.ReleaseOutOfBand(e.Purchased()[1].ID) { // n[0], the older
			t.Fatal("not released")
		}
		if _, ok := e.DialinConfig(o.ID); ok || list(t, e, "").TotalCount != 1 {
			t.Fatalf("release kept the config of %s", n[0])
		}
	})
}

func TestConfigListPagingAndFilters(t *testing.T) {
	eachStore(t, func(t *testing.T, store DialinStore) {
		e := New(Options{DialinStore: store})
		var numbers, ids []string // oldest first
		for i := range 250 {
			numbers = append(numbers, fmt.Sprintf("+1415555%04d", i))
			e.SeedPurchased(numbers[i], e.Now())
			typ, extra := "pinless_dialin", `,"room_creation_api":"https://h.example/`+fmt.Sprint(i)+`"`
			if i%10 == 0 {
				typ, extra = "pin_dialin", ""
			}
			o := create(t, e, fmt.Sprintf(`{"type":%q,"phone_number":%q,"name_prefix":"p%d"%s}`, typ, numbers[i], i%3, extra))
			ids = append(ids, o.ID)
		}
		newestFirst := slices.Clone(ids)
		slices.Reverse(newestFirst)

		// Paging by id, newest first.
		var got []string
		cursor := ""
		for pages := 0; ; pages++ {
			q := url.Values{"limit": {"100"}}
			if cursor != "" {
				q.Set("starting_after", cursor)
			}
			l := list(t, e, q.Encode())
			if l.TotalCount != 250 || pages > 3 {
				t.Fatalf("page %d: total %d", pages, l.TotalCount)
			}
			for _, o := range l.Data {
				got = append(got, o.ID)
			}
			if len(l.Data) < 100 {
				break
			}
			cursor = l.Data[len(l.Data)-1].ID
		}
		if !slices.Equal(got, newestFirst) {
			t.Fatalf("paged %d ids, not newest first", len(got))
		}
		if l := list(t, e, "limit=1000"); len(l.Data) != 100 {
			t.Errorf("limit not capped at 100: %d", len(l.Data))
		}
		if l := list(t, e, "limit=5&ending_before="+newestFirst[10]); len(l.Data) != 5 || l.Data[0].ID != newestFirst[5] || l.Data[4].ID != newestFirst[9] {
			t.Errorf("ending_before: %+v", l.Data)
		}
		for _, tc := range []struct {
			query string
			want  int
		}{
			{"phone_number=" + url.QueryEscape(numbers[7]), 1},
			{"phone_number=5550007", 0},
			{"phone_numbers=" + url.QueryEscape("5550007,"+numbers[8]+", 555011"), 1 + 1 + 10},
			{"name_prefix=p1", 83},
			{"type=pin_dialin", 25},
			{"type=pinless_dialin&name_prefix=p0", 84 - 9},
		} {
			if l := list(t, e, tc.query); l.TotalCount != tc.want {
				t.Errorf("%s: %d matches, want %d", tc.query, l.TotalCount, tc.want)
			}
		}
		o, _ := e.DialinConfig(ids[1])
		uri := decodeObject(t, o).Config["sip_uri"].(string)
		local, _, _ := strings.Cut(uri, "@")
		if l := list(t, e, "sip_username="+url.QueryEscape(local)); l.TotalCount != 1 || l.Data[0].ID != ids[1] {
			t.Errorf("sip_username %s: %+v", local, l)
		}
		for _, bad := range []string{"limit=0", "limit=x", "type=dialin", "starting_after=nope", "ending_before=nope",
			"starting_after=" + ids[0] + "&ending_before=" + ids[1]} {
			status, body := call(t, e, "GET", "/v1/domain-dialin-config?"+bad, "")
			wantError(t, status, body, 400, "invalid-request-error")
		}
		// A cursor outlives its object.
		e.DeleteDialinConfig(newestFirst[3])
		if l := list(t, e, "limit=2&starting_after="+newestFirst[3]); len(l.Data) != 2 || l.Data[0].ID != newestFirst[4] || l.TotalCount != 249 {
			t.Errorf("cursor of a deleted object: %+v", l)
		}
	})
}

func TestConfigRouteFaults(t *testing.T) {
	e := New(Options{})
	n := buy(t, e, 1)
	e.SetFaults(Faults{FailRate: 1, FailStatuses: []int{503}, Routes: []string{"POST /domain-dialin-config"}})
	status, body := call(t, e, "POST", "/v1/domain-dialin-config", `{"type":"pin_dialin","phone_number":"`+n[0]+`"}`)
	wantError(t, status, body, 503, "server-error")
	if l := list(t, e, ""); l.TotalCount != 0 {
		t.Fatal("a failed create made an object")
	}
	e.SetFaults(Faults{})
	create(t, e, `{"type":"pin_dialin","phone_number":"`+n[0]+`"}`)
}

func TestConfigHooks(t *testing.T) {
	eachStore(t, func(t *testing.T, store DialinStore) {
		e := New(Options{DialinStore: store})
		n := buy(t, e, 2)
		e.ResetCounts()
		id, err := e.CreateDialinConfig(PinlessDialin, json.RawMessage(`{"phone_number":"`+n[0]+`","room_creation_api":"https://h.example/a"}`))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.CreateDialinConfig(PinDialin, json.RawMessage(`{"phone_number":"`+n[0]+`"}`)); err == nil {
			t.Fatal("a second config on a number accepted")
		}
		if _, err := e.CreateDialinConfig("other", json.RawMessage(`{}`)); err == nil {
			t.Fatal("unknown type accepted")
		}
		if err := e.UpdateDialinConfig(id, json.RawMessage(`{"hold_music_url":"https://h.example/m.mp3"}`)); err != nil {
			t.Fatal(err)
		}
		if err := e.UpdateDialinConfig("nope", json.RawMessage(`{}`)); err == nil {
			t.Fatal("unknown id updated")
		}
		if !e.MutateDialinConfig(id, func(c map[string]any) { c["room_creation_api"] = "drifted" }) || e.MutateDialinConfig("nope", func(map[string]any) {}) {
			t.Fatal("MutateDialinConfig")
		}
		raw, ok := e.DialinConfig(id)
		o := decodeObject(t, raw)
		if !ok || o.Config["room_creation_api"] != "drifted" || o.Config["hold_music_url"] != "https://h.example/m.mp3" {
			t.Fatalf("hooks: %s", raw)
		}
		if all := e.DialinConfigs(); len(all) != 1 || !bytes.Equal(all[0], raw) {
			t.Fatalf("DialinConfigs %s", all)
		}
		if !e.DeleteDialinConfig(id) || e.DeleteDialinConfig(id) || len(e.DialinConfigs()) != 0 {
			t.Fatal("DeleteDialinConfig")
		}
		if len(e.Counts()) != 0 {
			t.Errorf("hooks counted as requests: %v", e.Counts())
		}
	})
}
