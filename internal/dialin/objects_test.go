package dialin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

func objectSpec(key, webhook string) RouteSpec {
	spec := RouteSpec{Key: key, Set: KeyFields(key), Managed: []string{"phone_number", "name_prefix", "room_creation_api", "timeout_config", "hmac"}, Preserve: []string{"hmac"}}
	spec.Set["room_creation_api"] = jsonString(webhook)
	return spec
}

func (f *fakeDaily) object(t *testing.T, id string) client.DialinConfig {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.objectStore()[id]
	if !ok {
		t.Fatalf("Daily has no object %s", id)
	}
	return o
}

func (f *fakeDaily) calls(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.objectCalls[name]
}

// A lone create returns once a later read of the object confirms it.
func TestCreateObjectIsConfirmedByALaterRead(t *testing.T) {
	f := newFakeDaily()
	eng := New(f, testOptions())
	o, err := eng.CreateObject(context.Background(), client.PinlessDialin, objectSpec("+15550000060", "https://hook.example"))
	if err != nil {
		t.Fatal(err)
	}
	if o.ID == "" || f.calls("create") != 1 || f.calls("list")+f.calls("get") == 0 {
		t.Errorf("object %q after %d creates and %d reads, want one create confirmed by a read", o.ID, f.calls("create"), f.calls("list")+f.calls("get"))
	}
	if gets, posts := f.counts(); gets != 0 || posts != 0 {
		t.Errorf("%d GET / and %d POST /: an object write touched the domain", gets, posts)
	}
}

// A create whose answer is lost is found by its number, not made twice.
func TestCreateObjectWhoseAnswerIsLostIsFoundNotMadeTwice(t *testing.T) {
	f := newFakeDaily()
	f.objectFaults.loseCreates = 1
	eng := New(f, testOptions())
	o, err := eng.CreateObject(context.Background(), client.PinlessDialin, objectSpec("+15550000061", "https://hook.example"))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.objects); n != 1 || f.calls("create") != 1 {
		t.Fatalf("%d objects after %d creates, want 1 after 1", n, f.calls("create"))
	}
	if got := f.object(t, o.ID); got.PhoneNumber() != "+15550000061" {
		t.Errorf("returned %s, which Daily holds as %v", o.ID, got.Config)
	}
}

// A SIP-only create whose answer is lost is told from the objects that
// held its name_prefix before.
func TestSIPOnlyCreateWhoseAnswerIsLostIsFoundNotMadeTwice(t *testing.T) {
	f := newFakeDaily()
	eng := New(f, testOptions())
	other, err := eng.CreateObject(context.Background(), client.PinlessDialin, objectSpec("sip:trunk", "https://hook.example"))
	if err != nil {
		t.Fatal(err)
	}
	f.objectFaults.loseCreates = 1
	ours, err := eng.CreateObject(context.Background(), client.PinlessDialin, objectSpec("sip:trunk", "https://hook.example"))
	if err != nil {
		t.Fatal(err)
	}
	if ours.ID == other.ID || len(f.objects) != 2 || f.calls("create") != 2 {
		t.Errorf("got %s beside %s, %d objects after %d creates; want a second object, made once", ours.ID, other.ID, len(f.objects), f.calls("create"))
	}
}

// An update is one PUT: values set, a cleared field cleared, the secret and
// the fields it does not manage kept.
func TestUpdateObjectSendsEveryFieldAndTheSecret(t *testing.T) {
	f := newFakeDaily()
	eng := New(f, testOptions())
	spec := objectSpec("+15550000062", "https://old.example")
	spec.Set["timeout_config"] = json.RawMessage(`{"message":"wait"}`)
	o, err := eng.CreateObject(context.Background(), client.PinlessDialin, spec)
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.objects[o.ID].Config["x_future"] = json.RawMessage(`1`)
	f.mu.Unlock()
	secret := string(f.object(t, o.ID).Config["hmac"])
	updated, err := eng.UpdateObject(context.Background(), client.PinlessDialin, o.ID, objectSpec("+15550000062", "https://new.example"))
	if err != nil {
		t.Fatal(err)
	}
	got := f.object(t, o.ID).Config
	if _, ok := got["timeout_config"]; ok || string(got["hmac"]) != secret || string(got["x_future"]) != "1" || string(got["room_creation_api"]) != `"https://new.example"` {
		t.Errorf("Daily holds %s", mustMarshal(got))
	}
	if f.calls("put") != 1 || updated.ID != o.ID {
		t.Errorf("%d PUTs, id %s; want 1 PUT of %s", f.calls("put"), updated.ID, o.ID)
	}
}

// An update another writer undoes is written again, secret and all.
func TestObjectUndoneIsWrittenAgain(t *testing.T) {
	f := newFakeDaily()
	eng := New(f, testOptions())
	o, err := eng.CreateObject(context.Background(), client.PinlessDialin, objectSpec("+15550000063", "https://old.example"))
	if err != nil {
		t.Fatal(err)
	}
	before := maps.Clone(f.object(t, o.ID).Config)
	f.objectFaults.afterWrite = func(n int, id string) {
		if n == 2 { // the update: another writer saves its old copy over it
			f.objects[id] = client.DialinConfig{ID: id, Type: client.PinlessDialin, Config: maps.Clone(before)}
		}
	}
	if _, err := eng.UpdateObject(context.Background(), client.PinlessDialin, o.ID, objectSpec("+15550000063", "https://new.example")); err != nil {
		t.Fatal(err)
	}
	if got := f.object(t, o.ID).Config; string(got["room_creation_api"]) != `"https://new.example"` || string(got["hmac"]) != string(before["hmac"]) {
		t.Errorf("Daily holds %s", mustMarshal(got))
	}
	if f.calls("put") != 2 {
		t.Errorf("%d PUTs, want 2 (the update and its repair)", f.calls("put"))
	}
}

// An object another writer deletes right after it was written is not made
// again; its caller hears of it.
func TestObjectDeletedByAnotherWriterFails(t *testing.T) {
	f := newFakeDaily()
	f.objectFaults.afterWrite = func(_ int, id string) { delete(f.objects, id) }
	eng := New(f, testOptions())
	_, err := eng.CreateObject(context.Background(), client.PinlessDialin, objectSpec("+15550000064", "https://hook.example"))
	if !errors.As(err, new(*ObjectGoneError)) {
		t.Fatalf("got %v, want an ObjectGoneError", err)
	}
	if f.calls("create") != 1 {
		t.Errorf("%d creates, want 1", f.calls("create"))
	}
}

// A create refused for a number an array entry holds says where it is held.
func TestCreateObjectOnAHeldNumberNamesTheHolder(t *testing.T) {
	f := newFakeDaily(unmanaged)
	eng := New(f, testOptions())
	_, err := eng.CreateObject(context.Background(), client.PinlessDialin, objectSpec("+15550000001", "https://hook.example"))
	var held *HeldError
	if !errors.As(err, &held) || !strings.Contains(err.Error(), "pinless_dialin array") {
		t.Fatalf("got %v, want a HeldError naming the pinless_dialin array", err)
	}
	if len(f.objects) != 0 {
		t.Errorf("%d objects made", len(f.objects))
	}
}

// Reads of objects arriving together share one listing.
func TestObjectReadsShareOneListing(t *testing.T) {
	f := newFakeDaily()
	setup := New(f, testOptions())
	var ids []string
	for _, n := range []string{"+15550000065", "+15550000066", "+15550000067"} {
		o, err := setup.CreateObject(context.Background(), client.PinDialin, objectSpec(n, "https://hook.example"))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	eng := New(f, testOptions())
	listsBefore := f.calls("list")
	var wg sync.WaitGroup
	for range 10 {
		for _, id := range ids {
			wg.Go(func() {
				if _, found, err := eng.Object(context.Background(), id); err != nil || !found {
					t.Errorf("reading %s: found %v, %v", id, found, err)
				}
			})
		}
	}
	wg.Wait()
	if lists := f.calls("list") - listsBefore; lists != 1 || f.calls("get") != 0 {
		t.Errorf("%d listings and %d GETs for 30 reads, want 1 and 0", lists, f.calls("get"))
	}
}

// Reads of objects arriving one after another, as Terraform's waves of a
// refresh do, are answered from the first listing while it is recent.
func TestObjectReadsInTurnShareOneListing(t *testing.T) {
	f := newFakeDaily()
	setup := New(f, testOptions())
	var ids []string
	for _, n := range []string{"+15550000068", "+15550000069"} {
		o, err := setup.CreateObject(context.Background(), client.PinDialin, objectSpec(n, "https://hook.example"))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	eng := New(f, testOptions())
	listsBefore := f.calls("list")
	for range 3 {
		for _, id := range ids {
			if _, found, err := eng.Object(context.Background(), id); err != nil || !found {
				t.Fatalf("reading %s: found %v, %v", id, found, err)
			}
		}
	}
	if lists := f.calls("list") - listsBefore; lists != 1 || f.calls("get") != 0 {
		t.Errorf("%d listings and %d GETs for 6 reads in turn, want 1 and 0", lists, f.calls("get"))
	}
}

// Deletes answered while a confirming read is under way wait for the next
// one: each deleted object is read back once, not once per confirmation
// running at the time.
func TestObjectConfirmationsDoNotOverlap(t *testing.T) {
	f := newFakeDaily()
	setup := New(f, testOptions())
	specs := map[string]RouteSpec{} // by id
	for i := range 30 {
		spec := objectSpec(fmt.Sprintf("+1555300%04d", i), "https://hook.example")
		o, err := setup.CreateObject(context.Background(), client.PinDialin, spec)
		if err != nil {
			t.Fatal(err)
		}
		specs[o.ID] = spec
	}
	f.latency = 5 * time.Millisecond // GETs by id: a confirmation takes a while
	eng := New(f, testOptions())
	getsBefore := f.calls("get")
	var wg sync.WaitGroup
	for id, spec := range specs {
		wg.Go(func() {
			if err := eng.DeleteObject(context.Background(), client.PinDialin, id, spec); err != nil {
				t.Error(err)
			}
		})
		time.Sleep(time.Millisecond) // answered one after another
	}
	wg.Wait()
	eng.Finish(context.Background())
	// At most one each: a listing taken after a delete may confirm it
	// without its own GET, which a busy machine's timing sometimes allows.
	if gets := f.calls("get") - getsBefore; gets > len(specs) {
		t.Errorf("%d GETs by id to confirm %d deletes, want at most one each", gets, len(specs))
	}
}

// A route moved from the array to an object in one apply: the object's
// create, refused while the array entry holds the number, waits for this
// engine's Delete of that entry and is made once it is done.
func TestObjectCreateWaitsForTheDeleteOfItsNumbersArrayEntry(t *testing.T) {
	f := newFakeDaily(unmanaged)
	opts := testOptions()
	opts.BatchWindow = 200 * time.Millisecond // the delete waits in its batch, the create goes first
	eng := New(f, opts)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := eng.Delete(context.Background(), client.PinlessDialin, "+15550000001"); err != nil {
			t.Error(err)
		}
	})
	time.Sleep(20 * time.Millisecond)
	if _, err := eng.CreateObject(context.Background(), client.PinlessDialin, objectSpec("+15550000001", "https://hook.example")); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if f.has(client.PinlessDialin, "+15550000001") || len(f.objects) != 1 {
		t.Errorf("Daily holds %s and %d objects, want the number moved to one object", f.raw(client.PinlessDialin), len(f.objects))
	}
}
