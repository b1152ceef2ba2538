package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

// buy purchases n numbers through the API and returns them.
func buy(t *testing.T, e *Emulator, n int) []string {
	t.Helper()
	var out []string
	for range n {
		status, body := call(t, e, "POST", "/v1/buy-phone-number", "")
		if status != 200 {
			t.Fatalf("buy: %d %s", status, body)
		}
		out = append(out, decode(t, body)["number"].(string))
	}
	return out
}

// post sends {"properties": props} and returns the status and body.
func post(t *testing.T, e *Emulator, props string) (int, []byte) {
	t.Helper()
	return call(t, e, "POST", "/v1/", `{"properties":`+props+`}`)
}

// array returns a dial-in array from GET / as generic entries.
func array(t *testing.T, e *Emulator, name string) []map[string]any {
	t.Helper()
	status, body := call(t, e, "GET", "/v1/", "")
	if status != 200 {
		t.Fatalf("GET /: %d %s", status, body)
	}
	var raw struct {
		Config map[string]json.RawMessage `json:"config"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	var entries []map[string]any
	if err := json.Unmarshal(raw.Config[name], &entries); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return entries
}

func pinlessEntry(number, hook string, extra string) string {
	return fmt.Sprintf(`{"phone_number":%q,"room_creation_api":%q%s}`, number, hook, extra)
}

func TestGetDomainDefaults(t *testing.T) {
	e := New(Options{Seed: 7})
	status, body := call(t, e, "GET", "/v1/", "")
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	d := decode(t, body)
	if d["domain_name"] != "emulator-domain" || d["domain_id"] != e.DomainID() || len(e.DomainID()) != 36 {
		t.Fatalf("domain: %s", body)
	}
	cfg := d["config"].(map[string]any)
	for _, k := range []string{"enable_prejoin_ui", "lang", "hide_daily_branding", "redirect_on_meeting_exit", "recordings_bucket"} {
		if _, ok := cfg[k]; !ok {
			t.Errorf("config lacks %s", k)
		}
	}
	if !bytes.Contains(body, []byte(`"pinless_dialin":[]`)) || !bytes.Contains(body, []byte(`"pin_dialin":[]`)) {
		t.Fatalf("dial-in arrays not empty arrays: %s", body)
	}
	if New(Options{Seed: 7}).DomainID() != e.DomainID() {
		t.Fatal("domain id not deterministic")
	}
}

func TestPostProperties(t *testing.T) {
	e := New(Options{})
	status, body := post(t, e, `{"lang":"fr","redirect_on_meeting_exit":"https://example.com/bye"}`)
	cfg := decode(t, body)["config"].(map[string]any)
	if status != 200 || cfg["lang"] != "fr" || cfg["enable_prejoin_ui"] != true {
		t.Fatalf("%d %s", status, body)
	}
	// Properties not sent keep their value.
	_, body = post(t, e, `{"hide_daily_branding":true}`)
	cfg = decode(t, body)["config"].(map[string]any)
	if cfg["lang"] != "fr" || cfg["hide_daily_branding"] != true || cfg["redirect_on_meeting_exit"] != "https://example.com/bye" {
		t.Fatalf("unsent properties changed: %s", body)
	}
	for _, bad := range []string{`{"no_such_setting":1}`, `{"lang":true}`, `{"enable_prejoin_ui":"yes"}`, `{"lang":"de","bogus":true}`} {
		status, body := post(t, e, bad)
		wantError(t, status, body, 400, "invalid-request-error")
	}
	status, body = call(t, e, "POST", "/v1/", `{"lang":"de"}`)
	wantError(t, status, body, 400, "invalid-request-error")
	if _, body := call(t, e, "GET", "/v1/", ""); decode(t, body)["config"].(map[string]any)["lang"] != "fr" {
		t.Fatal("refused POST changed lang")
	}
}

func TestWholeArrayReplacement(t *testing.T) {
	e := New(Options{})
	n := buy(t, e, 3)
	status, body := post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[0], "https://a.example/hook", "")+`,`+pinlessEntry(n[1], "https://b.example/hook", "")+`]}`)
	if status != 200 || len(array(t, e, PinlessDialin)) != 2 {
		t.Fatalf("%d %s", status, body)
	}
	post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[2], "https://c.example/hook", "")+`]}`)
	got := array(t, e, PinlessDialin)
	if len(got) != 1 || got[0]["phone_number"] != n[2] {
		t.Fatalf("not replaced: %v", got)
	}
	// Setting another property leaves the array alone.
	post(t, e, `{"lang":"de"}`)
	if len(array(t, e, PinlessDialin)) != 1 {
		t.Fatal("unsent array changed")
	}
	post(t, e, `{"pinless_dialin":[]}`)
	if len(array(t, e, PinlessDialin)) != 0 {
		t.Fatal("not cleared")
	}
	status, body = post(t, e, `{"pinless_dialin":null}`)
	wantError(t, status, body, 400, "invalid-request-error")
}

func TestHMAC(t *testing.T) {
	e := New(Options{})
	n := buy(t, e, 2)
	secret := "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ="
	entries := `{"pinless_dialin":[` + pinlessEntry(n[0], "https://a.example/hook", "") + `,` +
		pinlessEntry(n[1], "https://b.example/hook", `,"hmac":"`+secret+`"`) + `]}`
	post(t, e, entries)
	first := array(t, e, PinlessDialin)
	post(t, e, entries)
	second := array(t, e, PinlessDialin)
	a1, a2 := first[0]["hmac"].(string), second[0]["hmac"].(string)
	if a1 == a2 || a1 == "" || a2 == "" {
		t.Fatalf("hmac not minted anew on every POST: %q %q", a1, a2)
	}
	for _, s := range []string{a1, a2} {
		if len(s) != 44 {
			t.Fatalf("minted hmac %q is not 32 base64 bytes", s)
		}
	}
	if first[1]["hmac"] != secret || second[1]["hmac"] != secret {
		t.Fatalf("sent hmac not kept: %v %v", first[1]["hmac"], second[1]["hmac"])
	}
	for _, bad := range []string{`"not base64!"`, `""`, `null`, `42`} {
		status, body := post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[0], "https://a.example/hook", `,"hmac":`+bad)+`]}`)
		wantError(t, status, body, 400, "invalid-request-error")
	}
}

func TestSipURI(t *testing.T) {
	e := New(Options{})
	n := buy(t, e, 2)
	post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[0], "https://a.example/hook", `,"sip_uri":"sip:mine@x"`)+
		`,{"name_prefix":"trunk","room_creation_api":"https://s.example/hook"}]}`)
	first := array(t, e, PinlessDialin)
	uri, sipOnly := first[0]["sip_uri"].(string), first[1]["sip_uri"].(string)
	form := regexp.MustCompile(`^([0-9a-f]{16})--[0-9]{13}@daily-([0-9a-f]{16})-pinless-sip\.dapp\.signalwire\.com$`)
	for _, u := range []string{uri, sipOnly} {
		if m := form.FindStringSubmatch(u); m == nil || m[1] != m[2] {
			t.Fatalf("sip_uri %q not in the form of Daily's examples", u)
		}
	}
	if uri == sipOnly {
		t.Fatalf("one sip_uri for two entries: %q", uri)
	}
	// Re-POSTed in another order with another number added: stable per key.
	post(t, e, `{"pinless_dialin":[{"name_prefix":"trunk","room_creation_api":"https://s.example/hook"},`+
		pinlessEntry(n[1], "https://b.example/hook", "")+`,`+pinlessEntry(n[0], "https://a.example/other", "")+`]}`)
	second := array(t, e, PinlessDialin)
	if second[0]["sip_uri"] != sipOnly || second[2]["sip_uri"] != uri || second[1]["sip_uri"] == uri {
		t.Fatalf("sip_uri not stable: %v", second)
	}
}

func TestSipURIReadings(t *testing.T) {
	e := New(Options{SipURI: SipURIOnChange, Start: time.Date(2025, 6, 12, 6, 12, 55, 591_000_000, time.UTC)})
	n := buy(t, e, 2)
	first := pinlessEntry(n[0], "https://a.example/hook", `,"hmac":"c2VjcmV0"`)
	post(t, e, `{"pinless_dialin":[`+first+`,`+pinlessEntry(n[1], "https://b.example/hook", `,"hmac":"c2VjcmV0"`)+`]}`)
	before := array(t, e, PinlessDialin)
	if want := "--1749708775591@"; !strings.Contains(before[0]["sip_uri"].(string), want) {
		t.Fatalf("sip_uri %v lacks the minting time %s", before[0]["sip_uri"], want)
	}
	// The first entry is sent unchanged, the second with a new webhook.
	post(t, e, `{"pinless_dialin":[`+first+`,`+pinlessEntry(n[1], "https://b.example/v2", `,"hmac":"c2VjcmV0"`)+`]}`)
	after := array(t, e, PinlessDialin)
	if after[0]["sip_uri"] != before[0]["sip_uri"] {
		t.Errorf("unchanged entry got a new sip_uri: %v → %v", before[0]["sip_uri"], after[0]["sip_uri"])
	}
	if after[1]["sip_uri"] == before[1]["sip_uri"] {
		t.Errorf("changed entry kept its sip_uri %v", after[1]["sip_uri"])
	}
	// Under every-write, sending it again unchanged mints a new one.
	every := New(Options{SipURI: SipURIEveryWrite})
	m := buy(t, every, 1)
	post(t, every, `{"pinless_dialin":[`+pinlessEntry(m[0], "https://a.example/hook", `,"hmac":"c2VjcmV0"`)+`]}`)
	was := array(t, every, PinlessDialin)[0]["sip_uri"]
	post(t, every, `{"pinless_dialin":[`+pinlessEntry(m[0], "https://a.example/hook", `,"hmac":"c2VjcmV0"`)+`]}`)
	if now := array(t, every, PinlessDialin)[0]["sip_uri"]; now == was {
		t.Errorf("every-write reading kept %v", was)
	}
	// Under the default reading the change keeps it.
	stable := New(Options{})
	m = buy(t, stable, 1)
	post(t, stable, `{"pinless_dialin":[`+pinlessEntry(m[0], "https://a.example/hook", "")+`]}`)
	was = array(t, stable, PinlessDialin)[0]["sip_uri"]
	post(t, stable, `{"pinless_dialin":[`+pinlessEntry(m[0], "https://a.example/v2", "")+`]}`)
	if now := array(t, stable, PinlessDialin)[0]["sip_uri"]; now != was {
		t.Errorf("stable reading: %v → %v", was, now)
	}
}

func TestUnknownEntryFieldsKept(t *testing.T) {
	e := New(Options{})
	n := buy(t, e, 1)
	extra := `,"future_flag":true,"weight":1.50,"nested":{"b":[1,2],"a":null},"timeout_config":{"message":"bye","voice":"x"}`
	status, body := post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[0], "https://a.example/hook", extra)+`]}`)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	raw := string(e.DialinArray(PinlessDialin)[0])
	for _, want := range []string{`"future_flag":true`, `"weight":1.50`, `"nested":{"a":null,"b":[1,2]}`, `"timeout_config":{"message":"bye","voice":"x"}`} {
		if !strings.Contains(raw, want) {
			t.Fatalf("entry %s lacks %s", raw, want)
		}
	}
}

func TestGetIsByteIdentical(t *testing.T) {
	e := New(Options{})
	n := buy(t, e, 2)
	post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[0], "https://a.example/hook", `,"name_prefix":"x","z":1,"a":2`)+
		`],"pin_dialin":[{"phone_number":"`+n[1]+`","ivr_greeting":{"message":"hi"}}]}`)
	_, b1 := call(t, e, "GET", "/v1/", "")
	_, b2 := call(t, e, "GET", "/v1/", "")
	if !bytes.Equal(b1, b2) {
		t.Fatalf("GETs differ:\n%s\n%s", b1, b2)
	}
	if !bytes.Contains(b1, e.DialinArray(PinlessDialin)[0]) || !bytes.Contains(b1, e.DialinArray(PinDialin)[0]) {
		t.Fatal("DialinArray differs from GET")
	}
}

func TestDialinValidationIsAtomic(t *testing.T) {
	e := New(Options{})
	n := buy(t, e, 2)
	post(t, e, `{"pin_dialin":[{"phone_number":"`+n[0]+`"}]}`)
	_, before := call(t, e, "GET", "/v1/", "")

	status, body := post(t, e, `{"lang":"de","pinless_dialin":[`+pinlessEntry("+12125550123", "https://a.example/hook", "")+`]}`)
	m := wantError(t, status, body, 400, "invalid-request-error")
	if !strings.Contains(m["info"].(string), "+12125550123 is not associated with domain emulator-domain") {
		t.Fatalf("info: %v", m["info"])
	}
	bad := []string{
		// a number in both arrays
		`{"pinless_dialin":[` + pinlessEntry(n[0], "https://a.example/hook", "") + `]}`,
		// twice in one array
		`{"pinless_dialin":[` + pinlessEntry(n[1], "https://a.example/hook", "") + `,` + pinlessEntry(n[1], "https://b.example/hook", "") + `]}`,
		`{"pin_dialin":[{"phone_number":"` + n[1] + `"},{"phone_number":"` + n[1] + `"}]}`,
		// both arrays in one POST
		`{"pin_dialin":[{"phone_number":"` + n[1] + `"}],"pinless_dialin":[` + pinlessEntry(n[1], "https://a.example/hook", "") + `]}`,
		`{"pinless_dialin":[{"phone_number":"` + n[1] + `"}]}`,
		`{"pinless_dialin":[` + pinlessEntry(n[1], "ftp://a.example/hook", "") + `]}`,
		`{"pinless_dialin":[` + pinlessEntry(n[1], "not a url", "") + `]}`,
		`{"pinless_dialin":[` + pinlessEntry("12125550123", "https://a.example/hook", "") + `]}`,
		`{"pinless_dialin":[` + pinlessEntry(n[1], "https://a.example/hook", `,"hold_music_url":"nope"`) + `]}`,
		`{"pinless_dialin":[` + pinlessEntry(n[1], "https://a.example/hook", `,"timeout_config":"bye"`) + `]}`,
		`{"pinless_dialin":[` + pinlessEntry(n[1], "https://a.example/hook", `,"name_prefix":7`) + `]}`,
		`{"pinless_dialin":["x"]}`,
		`{"pin_dialin":[{"name_prefix":"no number"}]}`,
		`{"pin_dialin":[{"phone_number":"` + n[1] + `","ivr_greeting":{"message":3}}]}`,
	}
	for _, props := range bad {
		status, body := post(t, e, `{"lang":"de",`+props[1:])
		wantError(t, status, body, 400, "invalid-request-error")
	}
	if _, after := call(t, e, "GET", "/v1/", ""); !bytes.Equal(before, after) {
		t.Fatalf("refused POSTs changed the domain:\n%s\n%s", before, after)
	}
	// Moving a number from one array to the other in one POST is fine.
	status, body = post(t, e, `{"pin_dialin":[],"pinless_dialin":[`+pinlessEntry(n[0], "https://a.example/hook", "")+`]}`)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
}

func TestOutOfBandDialin(t *testing.T) {
	e := New(Options{})
	n := buy(t, e, 2)
	err := e.SetDialinArray(PinlessDialin, []json.RawMessage{
		json.RawMessage(pinlessEntry(n[0], "https://a.example/hook", "")),
		json.RawMessage(`{"name_prefix":"trunk","room_creation_api":"https://s.example/hook"}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	got := array(t, e, PinlessDialin)
	if got[0]["hmac"] == nil || got[0]["sip_uri"] == nil {
		t.Fatalf("no hmac/sip_uri: %v", got)
	}
	if err := e.SetDialinArray(PinDialin, []json.RawMessage{json.RawMessage(`{"phone_number":"+12125550123"}`)}); err == nil ||
		!strings.Contains(err.Error(), "not associated") {
		t.Fatalf("unpurchased accepted: %v", err)
	}
	if err := e.SetDialinArray("other", nil); err == nil {
		t.Fatal("unknown array accepted")
	}

	hmacBefore := got[0]["hmac"]
	if !e.MutateDialinEntry(PinlessDialin, n[0], func(m map[string]any) { m["room_creation_api"] = "drifted"; delete(m, "name_prefix") }) {
		t.Fatal("entry not found")
	}
	if !e.MutateDialinEntry(PinlessDialin, "sip:trunk", func(m map[string]any) { m["hold_music_url"] = "https://m.example/a.mp3" }) {
		t.Fatal("SIP entry not found")
	}
	if e.MutateDialinEntry(PinlessDialin, n[1], func(map[string]any) {}) || e.MutateDialinEntry(PinDialin, n[0], func(map[string]any) {}) {
		t.Fatal("found a missing entry")
	}
	got = array(t, e, PinlessDialin)
	if got[0]["room_creation_api"] != "drifted" || got[0]["hmac"] != hmacBefore || got[1]["hold_music_url"] != "https://m.example/a.mp3" {
		t.Fatalf("drift not visible: %v", got)
	}
}

func TestSendTestRequests(t *testing.T) {
	bodies := make(chan string, 4)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies <- string(b)
		w.WriteHeader(http.StatusInternalServerError) // the config is saved anyway
	}))
	defer hook.Close()
	e := New(Options{SendTestRequests: true})
	defer e.Close()
	n := buy(t, e, 1)
	if status, body := post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[0], hook.URL, "")+`]}`); status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	select {
	case b := <-bodies:
		if b != `{"Test":"test"}` {
			t.Fatalf("test body %s", b)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no test request")
	}
	// Without the option nothing is sent.
	quiet := New(Options{})
	m := buy(t, quiet, 1)
	post(t, quiet, `{"pinless_dialin":[`+pinlessEntry(m[0], hook.URL, "")+`]}`)
	quiet.Close()
	select {
	case b := <-bodies:
		t.Fatalf("unexpected test request %s", b)
	case <-time.After(50 * time.Millisecond):
	}
}

func TestSentSipURIReadings(t *testing.T) {
	for _, reading := range AllSentSipURIs {
		e := New(Options{SentSipURI: reading})
		n := buy(t, e, 2)
		entry := pinlessEntry(n[0], "https://a.example/hook", `,"sip_uri":"abc--1@daily-abc-pinless-sip.dapp.signalwire.com"`)
		status, body := post(t, e, `{"pinless_dialin":[`+entry+`]}`)
		createStatus, createBody := call(t, e, "POST", "/v1/domain-dialin-config",
			`{"type":"pinless_dialin","phone_number":"`+n[1]+`","room_creation_api":"https://a.example/hook","sip_uri":"x"}`)
		switch reading {
		case SentSipURIIgnore:
			if status != 200 || createStatus != 200 || array(t, e, PinlessDialin)[0]["sip_uri"] == "abc--1@daily-abc-pinless-sip.dapp.signalwire.com" {
				t.Fatalf("ignore: %d %s / %d %s", status, body, createStatus, createBody)
			}
		case SentSipURIRefuse:
			wantError(t, status, body, 400, "invalid-request-error")
			wantError(t, createStatus, createBody, 400, "invalid-request-error")
		}
	}
}

// Drift is what Daily holds: under the on-change reading, an entry edited
// out of band and sent back unchanged keeps its sip_uri.
func TestSipURIOnChangeAfterDrift(t *testing.T) {
	e := New(Options{SipURI: SipURIOnChange})
	n := buy(t, e, 1)
	post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[0], "https://a.example/hook", `,"hmac":"c2VjcmV0"`)+`]}`)
	e.MutateDialinEntry(PinlessDialin, n[0], func(m map[string]any) { m["room_creation_api"] = "https://drift.example/" })
	held := e.DialinArray(PinlessDialin)
	post(t, e, `{"pinless_dialin":[`+string(held[0])+`]}`)
	if now := e.DialinArray(PinlessDialin); string(now[0]) != string(held[0]) {
		t.Fatalf("drifted entry sent back changed:\n%s\n%s", held[0], now[0])
	}
}
