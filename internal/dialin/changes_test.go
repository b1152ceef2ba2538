package dialin

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

func TestConcurrentCreatesAreBatchedAndKeepOtherEntries(t *testing.T) {
	f := newFakeDaily(unmanaged)
	eng := New(f, testOptions())

	createConcurrently(t, eng, 30)
	eng.Finish(context.Background())

	gets, posts := f.counts()
	if posts != 1 || gets != 2 {
		t.Errorf("30 concurrent creates: %d GETs and %d POSTs, want 2 and 1", gets, posts)
	}
	entries, err := eng.Entries(context.Background(), client.PinlessDialin)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 31 {
		t.Fatalf("array has %d entries, want 31", len(entries))
	}
	if string(entries[0].Raw) != unmanaged {
		t.Errorf("unmanaged entry changed:\n got %s\nwant %s", entries[0].Raw, unmanaged)
	}
}

func TestCreateRefusesAnExistingRoute(t *testing.T) {
	f := newFakeDaily(unmanaged)
	eng := New(f, testOptions())
	_, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000001", "https://mine.example"))
	var exists *ExistsError
	if !errors.As(err, &exists) {
		t.Fatalf("got %v, want ExistsError", err)
	}
	if _, posts := f.counts(); posts != 0 {
		t.Errorf("a refused create wrote %d times", posts)
	}
}

func TestCreateTakesOverAnEntryThatAlreadyMatches(t *testing.T) {
	f := newFakeDaily(unmanaged)
	eng := New(f, testOptions())
	got, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000001", "https://other.example/hook"))
	if err != nil {
		t.Fatalf("creating a route that is already there as specified: %v", err)
	}
	if string(got.Raw) != unmanaged {
		t.Errorf("the matching entry changed: %s", got.Raw)
	}
	if _, posts := f.counts(); posts != 0 {
		t.Errorf("taking over a matching entry wrote %d times", posts)
	}
}

func TestPutKeepsHMACSipURIAndUnknownFields(t *testing.T) {
	f := newFakeDaily(unmanaged)
	eng := New(f, testOptions())

	got, err := eng.Put(context.Background(), client.PinlessDialin, routeSpec("+15550000001", "https://new.example/hook"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Text("hmac") != "c2VjcmV0" || got.Text("sip_uri") != "sip:x@fake.sip.daily.co" || string(got.Fields["x_future"]) != `{"a":1}` {
		t.Errorf("put lost fields: %s", got.Raw)
	}
	if got.Text("room_creation_api") != "https://new.example/hook" {
		t.Errorf("put did not change the webhook: %s", got.Raw)
	}

	// The same spec again changes nothing, so nothing is written.
	_, postsBefore := f.counts()
	if _, err := eng.Put(context.Background(), client.PinlessDialin, routeSpec("+15550000001", "https://new.example/hook")); err != nil {
		t.Fatal(err)
	}
	if _, posts := f.counts(); posts != postsBefore {
		t.Errorf("a no-op put wrote")
	}
}

func TestPutRemovesManagedFieldsNoLongerSet(t *testing.T) {
	f := newFakeDaily(`{"hmac":"aA==","name_prefix":"old","phone_number":"+15550000001","room_creation_api":"https://a.example"}`)
	eng := New(f, testOptions())
	got, err := eng.Put(context.Background(), client.PinlessDialin, routeSpec("+15550000001", "https://a.example"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got.Fields["name_prefix"]; ok {
		t.Errorf("name_prefix should be gone: %s", got.Raw)
	}
}

func TestDeleteOfAbsentRouteWritesNothing(t *testing.T) {
	f := newFakeDaily(unmanaged)
	eng := New(f, testOptions())
	if err := eng.Delete(context.Background(), client.PinlessDialin, "+15559999999"); err != nil {
		t.Fatal(err)
	}
	if _, posts := f.counts(); posts != 0 {
		t.Errorf("deleting an absent route wrote %d times", posts)
	}
}

func TestReplaceAllAdoptsMatchingEntriesWithoutChurn(t *testing.T) {
	f := newFakeDaily(unmanaged, `{"hmac":"b3RoZXI=","phone_number":"+15550000002","room_creation_api":"https://gone.example"}`)
	eng := New(f, testOptions())
	spec := routeSpec("+15550000001", "https://other.example/hook")
	spec.Managed = append(spec.Managed, "x_future") // owned fields not set are removed...
	spec.Preserve = []string{"hmac", "x_future"}    // ...unless preserved
	entries, err := eng.ReplaceAll(context.Background(), client.PinlessDialin, []RouteSpec{spec}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || string(entries[0].Raw) != unmanaged {
		t.Fatalf("got %d entries (%s), want the adopted entry byte-identical", len(entries), f.raw(client.PinlessDialin))
	}

	if gets, posts := f.counts(); gets != 2 || posts != 1 {
		t.Errorf("replacing the array: %d GETs and %d POSTs, want 2 (the write's read and the confirming read) and 1", gets, posts)
	}

	_, postsBefore := f.counts()
	if _, err := eng.ReplaceAll(context.Background(), client.PinlessDialin, []RouteSpec{spec}, nil); err != nil {
		t.Fatal(err)
	}
	if _, posts := f.counts(); posts != postsBefore {
		t.Error("replacing an array with what it holds wrote")
	}
}

// Only a key claimed in this engine's lifetime is protected from a delete.
func TestDeleteRemovesAnUnclaimedRoute(t *testing.T) {
	f := newFakeDaily(unmanaged)
	eng := New(f, testOptions())
	if err := eng.Delete(context.Background(), client.PinlessDialin, "+15550000001"); err != nil {
		t.Fatal(err)
	}
	if f.has(client.PinlessDialin, "+15550000001") {
		t.Error("the route is still there")
	}
}

// Entries the engine cannot tell apart are kept as they are, and changes
// to them (or to the whole array) are refused.
func TestAmbiguousEntriesAreKeptAndNotChanged(t *testing.T) {
	noPrefix := `{"hmac":"YQ==","room_creation_api":"https://a.example"}`
	twin1 := `{"hmac":"Yg==","name_prefix":"trunk","room_creation_api":"https://b.example"}`
	twin2 := `{"hmac":"Yw==","name_prefix":"trunk","room_creation_api":"https://c.example"}`
	f := newFakeDaily(unmanaged, noPrefix, twin1, twin2)
	eng := New(f, testOptions())
	if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000070", "https://hook.example")); err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{noPrefix, twin1, twin2} {
		if !strings.Contains(f.raw(client.PinlessDialin), raw) {
			t.Errorf("%s was not kept byte for byte", raw)
		}
	}
	var amb *AmbiguousKeyError
	if err := eng.Delete(context.Background(), client.PinlessDialin, "sip:trunk"); !errors.As(err, &amb) {
		t.Errorf("deleting sip:trunk: %v, want an AmbiguousKeyError", err)
	}
	if _, err := eng.ReplaceAll(context.Background(), client.PinlessDialin, nil, nil); !errors.As(err, &amb) || !slices.Equal(amb.Keys, []string{"sip:", "sip:trunk"}) {
		t.Errorf("replacing the array: %v, want an AmbiguousKeyError for sip: and sip:trunk", err)
	}
}

// ReplaceAll's refuse sees the array the write's read found and fails the
// change before anything is written, with refuse's own error.
func TestReplaceAllRefusedFromItsRead(t *testing.T) {
	f := newFakeDaily(unmanaged)
	eng := New(f, testOptions())
	refusal := errors.New("refused")
	var seen []Entry
	_, err := eng.ReplaceAll(context.Background(), client.PinlessDialin, []RouteSpec{routeSpec("+15550000071", "https://hook.example")},
		func(current []Entry) error { seen = current; return refusal })
	if !errors.Is(err, refusal) {
		t.Errorf("got %v, want refuse's error", err)
	}
	if len(seen) != 1 || seen[0].Key() != "+15550000001" {
		t.Errorf("refuse saw %v, want the array as Daily holds it", seen)
	}
	if gets, posts := f.counts(); gets != 1 || posts != 0 {
		t.Errorf("%d GETs and %d POSTs, want the one read and no write", gets, posts)
	}
}

// A write never sends sip_uri, which Daily mints: whether Daily ignores or
// refuses one sent back is not documented.
func TestWritesNeverSendSipURI(t *testing.T) {
	f := newFakeDaily(unmanaged)
	var sent []string
	f.beforePost = func(_ int, arrays map[string][]json.RawMessage) error {
		for _, raws := range arrays {
			for _, raw := range raws {
				sent = append(sent, string(raw))
			}
		}
		return nil
	}
	eng := New(f, testOptions())
	if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000071", "https://hook.example")); err != nil {
		t.Fatal(err)
	}
	if len(sent) != 2 {
		t.Fatalf("sent %d entries, want 2", len(sent))
	}
	for _, raw := range sent {
		if strings.Contains(raw, "sip_uri") {
			t.Errorf("sent %s", raw)
		}
	}
	if !strings.Contains(sent[0], `"x_future":{"a":1}`) || !strings.Contains(sent[0], `"hmac":"c2VjcmV0"`) {
		t.Errorf("the untouched entry went out as %s, want its fields but sip_uri", sent[0])
	}
}
