package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// keptWhenResent are the sip_uri readings under which an entry sent again
// unchanged keeps its sip_uri.
var keptWhenResent = []SipURIMinting{SipURIStable, SipURIOnChange}

// resend POSTs the arrays as GET / shows them, as a client that changes
// nothing would, and fails unless Daily's answer and state are unchanged.
func resend(t *testing.T, e *Emulator) {
	t.Helper()
	_, before := call(t, e, "GET", "/v1/", "")
	var d struct {
		Config map[string]json.RawMessage `json:"config"`
	}
	if err := json.Unmarshal(before, &d); err != nil {
		t.Fatal(err)
	}
	status, body := post(t, e, fmt.Sprintf(`{"pinless_dialin":%s,"pin_dialin":%s}`, d.Config[PinlessDialin], d.Config[PinDialin]))
	if status != 200 {
		t.Fatalf("re-sending the arrays: %d %s", status, body)
	}
	if _, after := call(t, e, "GET", "/v1/", ""); !bytes.Equal(before, after) {
		i := 0
		for i < min(len(before), len(after)) && before[i] == after[i] {
			i++
		}
		t.Fatalf("re-sending the arrays changed them, from byte %d:\n%.200s\n%.200s", i, before[i:], after[i:])
	}
}

func TestSeedDialinArrayStoresAsGiven(t *testing.T) {
	eachStore(t, func(t *testing.T, store DialinStore) {
		e := New(Options{DialinStore: store})
		entries := []json.RawMessage{
			json.RawMessage(`{"phone_number":"+12125550123","room_creation_api":"not a url","weight":1.50}`), // neither bought nor valid
			json.RawMessage(`{"room_creation_api":"https://h.example/s","sip_uri":"abc--1@daily-abc-pinless-sip.dapp.signalwire.com"}`),
		}
		if err := e.SeedDialinArray(PinlessDialin, entries); err != nil {
			t.Fatal(err)
		}
		got := e.DialinArray(PinlessDialin)
		for i, want := range []string{
			`{"phone_number":"+12125550123","room_creation_api":"not a url","weight":1.50}`,
			`{"room_creation_api":"https://h.example/s","sip_uri":"abc--1@daily-abc-pinless-sip.dapp.signalwire.com"}`,
		} {
			if string(got[i]) != want {
				t.Errorf("entry %d: %s, want %s", i, got[i], want)
			}
		}
		if objects := len(e.DialinConfigs()); objects != map[DialinStore]int{DialinStoreShared: 2, DialinStoreSeparate: 0}[store] {
			t.Errorf("%d objects", objects)
		}
		for _, bad := range [][]json.RawMessage{{json.RawMessage(`[]`)}, {json.RawMessage(`{`)}} {
			if err := e.SeedDialinArray(PinDialin, bad); err == nil {
				t.Errorf("%s seeded", bad)
			}
		}
		if err := e.SeedDialinArray("other", nil); err == nil {
			t.Error("unknown array seeded")
		}
		id, err := e.SeedDialinConfig(PinDialin, json.RawMessage(`{"phone_number":"+12125550123","x":null}`))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := e.DialinConfig(id)
		if !strings.Contains(string(raw), `"config":{"phone_number":"+12125550123","x":null}`) {
			t.Errorf("seeded object %s", raw)
		}
		if _, err := e.SeedDialinConfig("other", json.RawMessage(`{}`)); err == nil {
			t.Error("unknown type seeded")
		}
	})
}

func TestDailybotsAccepted(t *testing.T) {
	e := New(Options{})
	n := buy(t, e, 3)
	status, body := post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[0], "dailybots", "")+`]}`)
	if status != 200 || array(t, e, PinlessDialin)[0]["room_creation_api"] != "dailybots" {
		t.Fatalf("%d %s", status, body)
	}
	create(t, e, `{"type":"pinless_dialin","phone_number":"`+n[1]+`","room_creation_api":"dailybots"}`)
	for _, other := range []string{"DailyBots", "dailybots/", "bots"} {
		status, body := post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[2], other, "")+`]}`)
		wantError(t, status, body, 400, "invalid-request-error")
	}
}

// SIP-only entries sharing a name_prefix, or without one, are accepted, and
// each keeps its own sip_uri when the array is sent again in its order.
func TestSIPEntriesWithoutAKeyOfTheirOwn(t *testing.T) {
	for _, minting := range keptWhenResent {
		t.Run(string(minting), func(t *testing.T) {
			eachStore(t, func(t *testing.T, store DialinStore) {
				e := New(Options{DialinStore: store, SipURI: minting})
				entries := `{"pinless_dialin":[{"name_prefix":"t","room_creation_api":"https://s.example/1","hmac":"c2VjcmV0"},` +
					`{"name_prefix":"t","room_creation_api":"https://s.example/2","hmac":"c2VjcmV0"},` +
					`{"room_creation_api":"https://s.example/3","hmac":"c2VjcmV0"},{"room_creation_api":"https://s.example/4","hmac":"c2VjcmV0"}]}`
				if status, body := post(t, e, entries); status != 200 {
					t.Fatalf("%d %s", status, body)
				}
				first := array(t, e, PinlessDialin)
				uris := map[any]bool{}
				for _, entry := range first {
					uris[entry["sip_uri"]] = true
				}
				if len(uris) != 4 {
					t.Fatalf("sip_uris not distinct: %v", first)
				}
				resend(t, e)
			})
		})
	}
}

func TestMessyAccount(t *testing.T) {
	for _, minting := range keptWhenResent {
		t.Run(string(minting), func(t *testing.T) {
			eachStore(t, func(t *testing.T, store DialinStore) {
				e := New(Options{DialinStore: store, SipURI: minting})
				a := e.SeedMessyAccount()
				if len(a.Numbers) != 130 || len(e.Purchased()) != 130 || len(a.Pinless) != 100 || len(a.Dailybots) != 2 ||
					len(a.Pin) != 12 || len(a.SIP) != 3 || a.NoPrefix != 1 || a.SharedPrefix == "" || len(a.Configs) != 4 ||
					len(a.ConfigNumbers) != 3 || len(a.Unrouted) != 15 {
					t.Fatalf("account %+v", a)
				}
				routed := map[string]bool{}
				for _, n := range append(append(append([]string{}, a.Pinless...), a.Pin...), a.ConfigNumbers...) {
					if routed[n] {
						t.Fatalf("%s routed twice", n)
					}
					routed[n] = true
				}
				for _, n := range a.Unrouted {
					if routed[n] {
						t.Fatalf("unrouted %s is routed", n)
					}
				}
				pinless, pin := array(t, e, PinlessDialin), array(t, e, PinDialin)
				wantPinless, wantPin, wantObjects := 106, 12, 4
				if store == DialinStoreShared {
					wantPinless, wantPin, wantObjects = 109, 13, 122
				}
				if len(pinless) != wantPinless || len(pin) != wantPin || len(e.DialinConfigs()) != wantObjects {
					t.Fatalf("%d pinless, %d pin entries, %d objects", len(pinless), len(pin), len(e.DialinConfigs()))
				}
				for _, entry := range pinless {
					if uri, _ := entry["sip_uri"].(string); !sipURIForm.MatchString(uri) || entry["hmac"] == nil {
						t.Fatalf("entry %v", entry)
					}
				}
				if l := list(t, e, "phone_number="+url.QueryEscape(a.Dailybots[0])); store == DialinStoreShared &&
					(l.TotalCount != 1 || l.Data[0].Config["room_creation_api"] != "dailybots") {
					t.Fatalf("dailybots object %+v", l)
				}
				// A client that re-sends what it read changes nothing, odd entries included.
				resend(t, e)
				// Two accounts seeded alike are alike.
				if b := New(Options{DialinStore: store, SipURI: minting}).SeedMessyAccount(); fmt.Sprint(b.Numbers) != fmt.Sprint(a.Numbers) {
					t.Fatal("not deterministic")
				}
			})
		})
	}
}
