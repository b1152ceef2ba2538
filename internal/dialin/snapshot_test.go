package dialin

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// domainOf is a domain whose pinless_dialin array holds n routes, those
// from changedFrom on with another webhook.
func domainOf(n, changedFrom int) *client.Domain {
	raws := make([]json.RawMessage, n)
	for i := range raws {
		hook := "calls"
		if i >= changedFrom {
			hook = "changed"
		}
		raws[i] = json.RawMessage(fmt.Sprintf(`{"phone_number":"+1212555%04d","room_creation_api":"https://example.com/%s/%d","hmac":"c2VjcmV0c2VjcmV0c2VjcmV0","sip_uri":"sip:0123456789abcdef--1700000000000@daily-d-pinless-sip.dapp.signalwire.com"}`, i, hook, i))
	}
	array, _ := json.Marshal(raws)
	return &client.Domain{DomainID: "d", Config: map[string]json.RawMessage{client.PinlessDialin: array, client.PinDialin: json.RawMessage(`[]`)}}
}

// An answer parsed with the cache is the answer parsed afresh, whichever
// of its entries the last answer already held.
func TestEntryCacheParsesAsAfresh(t *testing.T) {
	var cache entryCache
	for _, dom := range []*client.Domain{domainOf(50, 50), domainOf(50, 40), domainOf(50, 40), domainOf(10, 0), domainOf(0, 0)} {
		got, err := cache.parse(dom)
		if err != nil {
			t.Fatal(err)
		}
		want, err := parseSnapshot(dom)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.arrays[client.PinlessDialin]) != len(want.arrays[client.PinlessDialin]) || got.domainID != want.domainID {
			t.Fatalf("cached parse has %d entries of %q, want %d of %q", len(got.arrays[client.PinlessDialin]), got.domainID, len(want.arrays[client.PinlessDialin]), want.domainID)
		}
		for i, en := range got.arrays[client.PinlessDialin] {
			w := want.arrays[client.PinlessDialin][i]
			if string(en.Raw) != string(w.Raw) || en.Key() != w.Key() || en.Text("room_creation_api") != w.Text("room_creation_api") || len(en.Fields) != len(w.Fields) {
				t.Errorf("entry %d: cached %s (key %s), afresh %s (key %s)", i, en.Raw, en.Key(), w.Raw, w.Key())
			}
		}
		if len(cache.byRaw) != len(want.arrays[client.PinlessDialin]) {
			t.Errorf("cache holds %d entries, want the last answer's %d", len(cache.byRaw), len(want.arrays[client.PinlessDialin]))
		}
	}
}

// A wave's answer differs from the last in ten entries of a thousand.
func BenchmarkParseAnswer(b *testing.B) {
	last, next := domainOf(1000, 1000), domainOf(1000, 990)
	b.Run("afresh", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := parseSnapshot(next); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			cache := entryCache{}
			b.StopTimer()
			if _, err := cache.parse(last); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := cache.parse(next); err != nil {
				b.Fatal(err)
			}
		}
	})
}
