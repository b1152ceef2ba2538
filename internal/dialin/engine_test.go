package dialin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// fakeDaily keeps the dial-in arrays like Daily does: whole-array writes, an
// hmac minted for every entry written without one.
type fakeDaily struct {
	mu     sync.Mutex
	arrays map[string][]json.RawMessage
	gets   int
	posts  int
	minted int
	// beforePost may fail a write before it is applied; afterPost runs once it
	// is applied and may fail the response (a lost answer).
	beforePost func(n int, arrays map[string][]json.RawMessage) error
	afterPost  func(n int) error
}

func newFakeDaily(pinless ...string) *fakeDaily {
	f := &fakeDaily{arrays: map[string][]json.RawMessage{}}
	for _, e := range pinless {
		f.arrays[client.PinlessDialin] = append(f.arrays[client.PinlessDialin], json.RawMessage(e))
	}
	return f
}

func (f *fakeDaily) domain() *client.Domain {
	cfg := map[string]json.RawMessage{}
	for _, a := range Arrays {
		raws := f.arrays[a]
		if raws == nil {
			raws = []json.RawMessage{}
		}
		b, _ := json.Marshal(raws)
		cfg[a] = b
	}
	return &client.Domain{DomainName: "fake", Config: cfg}
}

func (f *fakeDaily) GetDomain(context.Context) (*client.Domain, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets++
	return f.domain(), nil
}

func (f *fakeDaily) SetDialinArrays(_ context.Context, arrays map[string][]json.RawMessage) (*client.Domain, error) {
	f.mu.Lock()
	f.posts++
	n := f.posts
	if f.beforePost != nil {
		if err := f.beforePost(n, arrays); err != nil {
			f.mu.Unlock()
			return nil, err
		}
	}
	for name, raws := range arrays {
		stored := make([]json.RawMessage, len(raws))
		for i, raw := range raws {
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				f.mu.Unlock()
				return nil, &client.APIError{StatusCode: 400, Type: "json-parsing-error"}
			}
			if _, ok := m["hmac"]; !ok {
				f.minted++
				m["hmac"] = fmt.Sprintf("minted-%d", f.minted)
			}
			stored[i], _ = json.Marshal(m)
		}
		f.arrays[name] = stored
	}
	dom := f.domain()
	after := f.afterPost
	f.mu.Unlock()
	if after != nil {
		if err := after(n); err != nil {
			return nil, err
		}
	}
	return dom, nil
}

func (f *fakeDaily) counts() (gets, posts int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.gets, f.posts
}

func (f *fakeDaily) has(array, key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, raw := range f.arrays[array] {
		if en, _ := parseEntry(raw); en.Key() == key {
			return true
		}
	}
	return false
}

func (f *fakeDaily) raw(array string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, _ := json.Marshal(f.arrays[array])
	return string(b)
}

var pinlessFields = []string{"phone_number", "room_creation_api", "name_prefix", "hmac"}

func routeSpec(number, webhook string) RouteSpec {
	set := map[string]json.RawMessage{
		"phone_number":      jsonString(number),
		"room_creation_api": jsonString(webhook),
	}
	return RouteSpec{Key: number, Set: set, Managed: pinlessFields, Preserve: []string{"hmac"}}
}

func jsonString(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

func testOptions() Options {
	return Options{BatchWindow: 20 * time.Millisecond, VerifyDelay: -1, RetryBackoff: time.Millisecond}
}

const unmanaged = `{"hmac":"c2VjcmV0","phone_number":"+15550000001","room_creation_api":"https://other.example/hook","sip_uri":"sip:x@fake.sip.daily.co","x_future":{"a":1}}`

func createConcurrently(t *testing.T, eng *Engine, n int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			_, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec(fmt.Sprintf("+1555100%04d", i), "https://hook.example/in"))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

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
	if got.String("hmac") != "c2VjcmV0" || got.String("sip_uri") != "sip:x@fake.sip.daily.co" || string(got.Fields["x_future"]) != `{"a":1}` {
		t.Errorf("put lost fields: %s", got.Raw)
	}
	if got.String("room_creation_api") != "https://new.example/hook" {
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

func TestRejectedBatchFailsOnlyTheBadChange(t *testing.T) {
	f := newFakeDaily()
	f.beforePost = func(_ int, arrays map[string][]json.RawMessage) error {
		for _, raw := range arrays[client.PinlessDialin] {
			if strings.Contains(string(raw), "+15550009999") {
				return &client.APIError{StatusCode: 400, Type: "invalid-request-error", Info: "+15550009999 is not associated with domain fake"}
			}
		}
		return nil
	}
	eng := New(f, testOptions())

	var wg sync.WaitGroup
	results := map[string]error{}
	var mu sync.Mutex
	for _, n := range []string{"+15550000010", "+15550009999", "+15550000011"} {
		wg.Go(func() {
			_, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec(n, "https://hook.example"))
			mu.Lock()
			results[n] = err
			mu.Unlock()
		})
	}
	wg.Wait()

	var apiErr *client.APIError
	if !errors.As(results["+15550009999"], &apiErr) || apiErr.Type != "invalid-request-error" {
		t.Errorf("bad number: got %v, want Daily's invalid-request-error", results["+15550009999"])
	}
	for _, n := range []string{"+15550000010", "+15550000011"} {
		if results[n] != nil {
			t.Errorf("%s failed with the other change's error: %v", n, results[n])
		}
		if !f.has(client.PinlessDialin, n) {
			t.Errorf("%s missing", n)
		}
	}
}

func TestLostResponseAfterCommitIsRetriedWithoutRotatingTheHMAC(t *testing.T) {
	f := newFakeDaily()
	f.afterPost = func(n int) error {
		if n == 1 {
			return io.ErrUnexpectedEOF
		}
		return nil
	}
	eng := New(f, testOptions())
	got, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000020", "https://hook.example"))
	if err != nil {
		t.Fatalf("create after a lost answer: %v", err)
	}
	if got.String("hmac") != "minted-1" {
		t.Errorf("hmac = %q, want the one minted by the first, committed write", got.String("hmac"))
	}
}

func TestServerErrorsAreRetriedThenReported(t *testing.T) {
	f := newFakeDaily()
	fail := &client.APIError{StatusCode: 503, Type: "server-error"}
	f.beforePost = func(n int, _ map[string][]json.RawMessage) error {
		if n <= 2 {
			return fail
		}
		return nil
	}
	eng := New(f, testOptions())
	if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000030", "https://hook.example")); err != nil {
		t.Fatalf("two 503s then success: %v", err)
	}

	f.beforePost = func(int, map[string][]json.RawMessage) error { return fail }
	_, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000031", "https://hook.example"))
	if !errors.As(err, new(*client.APIError)) || !strings.Contains(err.Error(), "8 attempts") {
		t.Errorf("endless 503s: got %v, want Daily's error after 8 attempts", err)
	}
}

func TestEntryDroppedByAnotherWriterIsWrittenAgain(t *testing.T) {
	f := newFakeDaily()
	// Another client that read the empty array before our first write and
	// wrote it back after: our entry vanishes.
	f.afterPost = func(n int) error {
		if n == 1 {
			f.mu.Lock()
			f.arrays[client.PinlessDialin] = nil
			f.mu.Unlock()
		}
		return nil
	}
	eng := New(f, testOptions())
	if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000040", "https://hook.example")); err != nil {
		t.Fatal(err)
	}
	// Daily's answer showed the entry, so the caller has returned; the
	// confirming read finds it gone and writes it again.
	eng.Finish(context.Background())
	if !f.has(client.PinlessDialin, "+15550000040") {
		t.Fatal("entry dropped by the other writer was not written again")
	}
	if _, posts := f.counts(); posts != 2 {
		t.Errorf("%d POSTs, want 2 (the write and its re-apply)", posts)
	}
}

// FinishAll waits for a round that writes again what its confirming read
// found undone, though nothing is owed while that write is under way.
func TestFinishAllWaitsForARoundWritingAgain(t *testing.T) {
	f := newFakeDaily()
	reapplying, release := make(chan struct{}), make(chan struct{})
	f.afterPost = func(n int) error {
		switch n {
		case 1: // another writer drops our entry
			f.mu.Lock()
			f.arrays[client.PinlessDialin] = nil
			f.mu.Unlock()
		case 2: // the re-apply is on its way to Daily
			close(reapplying)
			<-release
		}
		return nil
	}
	eng := New(f, testOptions())
	if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000042", "https://hook.example")); err != nil {
		t.Fatal(err)
	}
	<-reapplying
	finished := make(chan struct{})
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		FinishAll(ctx)
		close(finished)
	}()
	select {
	case <-finished:
		t.Fatal("FinishAll returned while the re-apply was still being written")
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	<-finished
	if !f.has(client.PinlessDialin, "+15550000042") {
		t.Fatal("the re-applied entry is missing")
	}
}

// The caller goes back to Terraform on Daily's answer; the confirming read
// comes later, without it.
func TestCallerDoesNotWaitForTheConfirmingRead(t *testing.T) {
	f := newFakeDaily()
	opts := testOptions()
	opts.VerifyDelay = time.Hour
	eng := New(f, opts)
	start := time.Now()
	if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000041", "https://hook.example")); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the create took %s: it waited for the confirming read", took)
	}
	if gets, posts := f.counts(); gets != 1 || posts != 1 {
		t.Errorf("%d GETs and %d POSTs, want 1 and 1 before the confirming read is due", gets, posts)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	eng.Finish(ctx)
	if ctx.Err() == nil {
		t.Error("Finish returned before the owed confirmation was read")
	}
}

func TestConcurrentReadsShareOneGET(t *testing.T) {
	f := newFakeDaily(unmanaged)
	eng := New(f, testOptions())
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := eng.Entries(context.Background(), client.PinlessDialin); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if gets, _ := f.counts(); gets != 1 {
		t.Errorf("20 concurrent reads made %d GETs, want 1", gets)
	}
}

func TestReplaceAllAdoptsMatchingEntriesWithoutChurn(t *testing.T) {
	f := newFakeDaily(unmanaged, `{"hmac":"b3RoZXI=","phone_number":"+15550000002","room_creation_api":"https://gone.example"}`)
	eng := New(f, testOptions())
	spec := routeSpec("+15550000001", "https://other.example/hook")
	spec.Managed = append(spec.Managed, "x_future") // owned fields not set are removed...
	spec.Preserve = []string{"hmac", "x_future"}    // ...unless preserved
	entries, err := eng.ReplaceAll(context.Background(), client.PinlessDialin, []RouteSpec{spec})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || string(entries[0].Raw) != unmanaged {
		t.Fatalf("got %d entries (%s), want the adopted entry byte-identical", len(entries), f.raw(client.PinlessDialin))
	}

	if gets, posts := f.counts(); gets != 1 || posts != 1 {
		t.Errorf("replacing the array: %d GETs and %d POSTs, want 1 and 1 (Daily's answer confirms an exclusive write)", gets, posts)
	}

	_, postsBefore := f.counts()
	if _, err := eng.ReplaceAll(context.Background(), client.PinlessDialin, []RouteSpec{spec}); err != nil {
		t.Fatal(err)
	}
	if _, posts := f.counts(); posts != postsBefore {
		t.Error("replacing an array with what it holds wrote")
	}
}

func TestWithoutBatchingEveryChangeWritesAlone(t *testing.T) {
	f := newFakeDaily()
	opts := testOptions()
	opts.BatchWindow = 0
	eng := New(f, opts)
	createConcurrently(t, eng, 5)
	eng.Finish(context.Background())
	// Each change reads and writes alone; a read confirms the writes before
	// it, and a read of its own confirms the last.
	if gets, posts := f.counts(); posts != 5 || gets < 6 || gets > 10 {
		t.Errorf("unbatched: %d GETs and %d POSTs, want 6 to 10 and 5", gets, posts)
	}
}

func TestChangesToBothArraysShareOneWrite(t *testing.T) {
	f := newFakeDaily()
	eng := New(f, testOptions())
	var wg sync.WaitGroup
	wg.Go(func() {
		if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000050", "https://hook.example")); err != nil {
			t.Error(err)
		}
	})
	wg.Go(func() {
		pin := RouteSpec{Key: "+15550000051", Set: map[string]json.RawMessage{"phone_number": jsonString("+15550000051")}, Managed: []string{"phone_number", "name_prefix"}}
		if _, err := eng.Create(context.Background(), client.PinDialin, pin); err != nil {
			t.Error(err)
		}
	})
	wg.Wait()
	if _, posts := f.counts(); posts != 1 {
		t.Errorf("%d POSTs, want 1", posts)
	}
}

func TestCanceledCallerIsWithdrawnBeforeItsWrite(t *testing.T) {
	f := newFakeDaily()
	opts := testOptions()
	opts.BatchWindow = time.Hour
	eng := New(f, opts)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := eng.Create(ctx, client.PinlessDialin, routeSpec("+15550000060", "https://hook.example")); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	eng.writes.mu.Lock()
	defer eng.writes.mu.Unlock()
	if len(eng.writes.queue) != 0 {
		t.Error("canceled change still queued")
	}
}

func TestBurstArrivingSpreadOutStaysInOneBatch(t *testing.T) {
	f := newFakeDaily()
	opts := testOptions()
	opts.BatchWindow = 100 * time.Millisecond // the first burst stays whole under -race on a busy machine
	eng := New(f, opts)
	createConcurrently(t, eng, 4)
	_, postsBefore := f.counts()

	// As on a busy machine: the next burst of four arrives with gaps longer
	// than the batch window, yet it matches the last batch, so it is one write.
	var wg sync.WaitGroup
	for i := range 4 {
		time.Sleep(eng.opts.BatchWindow * 3 / 2)
		wg.Go(func() {
			if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec(fmt.Sprintf("+1555200%04d", i), "https://hook.example")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if _, posts := f.counts(); posts-postsBefore != 1 {
		t.Errorf("a spread-out burst of 4 took %d writes, want 1", posts-postsBefore)
	}
}

// A renamed for_each key destroys a route at one address and creates it at
// another in the same walk, in either order or in one batch: the route stays,
// with its hmac, sip_uri and unknown fields.
func TestRenamedRouteKeepsItsEntryInEveryOrder(t *testing.T) {
	const key = "+15550000001"
	spec := routeSpec(key, "https://other.example/hook") // as unmanaged holds it
	for _, order := range []string{"create first", "delete first", "one batch"} {
		t.Run(order, func(t *testing.T) {
			f := newFakeDaily(unmanaged)
			eng := New(f, testOptions())
			ctx := context.Background()
			var createErr, deleteErr error
			switch order {
			case "create first":
				_, createErr = eng.Create(ctx, client.PinlessDialin, spec)
				deleteErr = eng.Delete(ctx, client.PinlessDialin, key)
			case "delete first":
				deleteErr = eng.Delete(ctx, client.PinlessDialin, key)
				_, createErr = eng.Create(ctx, client.PinlessDialin, spec)
			case "one batch":
				var wg sync.WaitGroup
				wg.Go(func() { _, createErr = eng.Create(ctx, client.PinlessDialin, spec) })
				wg.Go(func() { deleteErr = eng.Delete(ctx, client.PinlessDialin, key) })
				wg.Wait()
			}
			if createErr != nil || deleteErr != nil {
				t.Fatalf("create: %v, delete: %v", createErr, deleteErr)
			}
			if got := f.raw(client.PinlessDialin); got != "["+unmanaged+"]" {
				t.Errorf("array is %s, want the entry unchanged: [%s]", got, unmanaged)
			}
		})
	}
}

// A rename whose delete and create share a batch writes nothing when the
// entry already matches, and settles in that one round.
func TestRenameInOneBatchSettlesInOneRound(t *testing.T) {
	f := newFakeDaily(unmanaged)
	opts := testOptions()
	opts.BatchWindow = 200 * time.Millisecond // both calls surely join the first batch
	eng := New(f, opts)
	ctx := context.Background()
	var wg sync.WaitGroup
	var createErr, deleteErr error
	wg.Go(func() {
		_, createErr = eng.Create(ctx, client.PinlessDialin, routeSpec("+15550000001", "https://other.example/hook"))
	})
	wg.Go(func() { deleteErr = eng.Delete(ctx, client.PinlessDialin, "+15550000001") })
	wg.Wait()
	if createErr != nil || deleteErr != nil {
		t.Fatalf("create: %v, delete: %v", createErr, deleteErr)
	}
	if gets, posts := f.counts(); gets != 1 || posts != 0 {
		t.Errorf("%d GETs and %d POSTs, want 1 and 0", gets, posts)
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

// One walk's reads share Daily's last answer: a refresh reads the domain once,
// and a read after a write sees the write without reading again.
func TestReadsShareDailysLastAnswer(t *testing.T) {
	f := newFakeDaily(unmanaged)
	eng := New(f, testOptions())
	ctx := context.Background()
	for wave := range 5 {
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				if _, err := eng.Entries(ctx, client.PinlessDialin); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if gets, _ := f.counts(); gets != 1 {
			t.Fatalf("after %d waves of reads: %d GETs, want 1", wave+1, gets)
		}
	}
	if _, err := eng.Create(ctx, client.PinlessDialin, routeSpec("+15550000070", "https://hook.example")); err != nil {
		t.Fatal(err)
	}
	eng.Finish(ctx)
	getsBefore, _ := f.counts()
	entries, err := eng.Entries(ctx, client.PinlessDialin)
	if err != nil {
		t.Fatal(err)
	}
	if _, found := Find(entries, "+15550000070"); !found {
		t.Error("a read after a write does not see it")
	}
	if gets, _ := f.counts(); gets != getsBefore {
		t.Errorf("a read after a write made %d GETs, want none", gets-getsBefore)
	}
}

// An answer older than ReadMaxAge is read again.
func TestReadsOlderThanMaxAgeReadAgain(t *testing.T) {
	f := newFakeDaily(unmanaged)
	opts := testOptions()
	opts.ReadMaxAge = 30 * time.Millisecond
	eng := New(f, opts)
	for range 2 {
		if _, err := eng.Entries(context.Background(), client.PinlessDialin); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * opts.ReadMaxAge)
	}
	if gets, _ := f.counts(); gets != 2 {
		t.Errorf("%d GETs, want 2", gets)
	}
}
