package dialin

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// terraformSlots plays Terraform's -parallelism: each of slots goroutines
// creates perSlot routes one after the other, pausing pause(slot) between
// its calls (Terraform's own work between resources). It returns when
// every create has returned, failing t on any error, and records when each
// call was made.
func terraformSlots(t *testing.T, eng *Engine, slots, perSlot int, pause func(slot int) time.Duration) (calls []time.Time) {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for slot := range slots {
		wg.Go(func() {
			for i := range perSlot {
				mu.Lock()
				calls = append(calls, time.Now())
				mu.Unlock()
				number := fmt.Sprintf("+1555%03d%04d", slot, i)
				if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec(number, "https://hook.example")); err != nil {
					t.Error(err)
					return
				}
				time.Sleep(pause(slot))
			}
		})
	}
	wg.Wait()
	slices.SortFunc(calls, func(a, b time.Time) int { return a.Compare(b) })
	return calls
}

// A wave's calls arrive spread out over Terraform's work between waves; the
// batch's read goes out before the last of them comes, so that it overlaps
// that work, and the wave is still one write.
func TestBatchReadIsSentBeforeItsLastCallComes(t *testing.T) {
	f := newFakeDaily()
	f.latency = 20 * time.Millisecond
	opts := testOptions()
	opts.BatchWindow = 100 * time.Millisecond
	opts.VerifyDelay = 50 * time.Millisecond
	eng := New(f, opts)
	const slots, waves = 4, 6
	calls := terraformSlots(t, eng, slots, waves, func(slot int) time.Duration { return time.Duration(slot) * 15 * time.Millisecond })
	eng.Finish(context.Background())

	f.mu.Lock()
	requests := slices.Clone(f.requests)
	f.mu.Unlock()
	posts, early := 0, 0
	for i, r := range requests {
		if r.method != "POST" || i == 0 || requests[i-1].method != "GET" {
			continue
		}
		posts++
		read := requests[i-1].sent
		if slices.ContainsFunc(calls, func(c time.Time) bool { return c.After(read) && c.Before(r.sent) }) {
			early++ // a call of this batch came after its read was sent
		}
	}
	if posts > waves+2 {
		t.Errorf("%d creates in %d waves took %d POSTs, want at most %d", slots*waves, waves, posts, waves+2)
	}
	if early == 0 {
		t.Errorf("no batch's read was sent before its last call came; requests: %v", requests)
	}

	for slot := range slots {
		for i := range waves {
			if number := fmt.Sprintf("+1555%03d%04d", slot, i); !f.has(client.PinlessDialin, number) {
				t.Errorf("%s missing", number)
			}
		}
	}
}

// firstBatchOfTwo writes two routes, waits for their confirmation, and
// sets the engine to expect batches of two whose read goes out with their
// first call.
func firstBatchOfTwo(t *testing.T, eng *Engine) {
	t.Helper()
	var wg sync.WaitGroup
	for _, number := range []string{"+15550000081", "+15550000082"} {
		wg.Go(func() {
			if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec(number, "https://hook.example")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	eng.Finish(context.Background())
	eng.batches.mu.Lock()
	defer eng.batches.mu.Unlock()
	eng.batches.largestBatch = 2 // as it is when both joined one batch; set, for a busy machine
	eng.batches.lead = 1
}

// requestsSince returns the methods of the requests sent from t on.
func (f *fakeDaily) requestsSince(t time.Time) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var methods []string
	for _, r := range f.requests {
		if !r.sent.Before(t) {
			methods = append(methods, r.method)
		}
	}
	return methods
}

// A batch whose calls come while its early read is on its way writes on
// that read: one GET, one POST.
func TestEarlyReadIsTheRoundsRead(t *testing.T) {
	f := newFakeDaily()
	f.latency = 100 * time.Millisecond
	opts := testOptions()
	opts.BatchWindow = 400 * time.Millisecond // an early read serves for 200 ms, even on a busy machine
	eng := New(f, opts)
	firstBatchOfTwo(t, eng)

	start := time.Now()
	var wg sync.WaitGroup
	for i, number := range []string{"+15550000083", "+15550000084"} {
		wg.Go(func() {
			time.Sleep(time.Duration(i) * 10 * time.Millisecond) // the second comes during the read
			if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec(number, "https://hook.example")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got := f.requestsSince(start)
	if len(got) < 2 || got[0] != "GET" || got[1] != "POST" {
		t.Errorf("requests %v, want GET then POST (then the confirming read)", got)
	}
	for _, number := range []string{"+15550000083", "+15550000084"} {
		if !f.has(client.PinlessDialin, number) {
			t.Errorf("%s missing", number)
		}
	}
}

// A batch that closes long after its early read was answered reads again
// before writing: a change another writer made meanwhile is kept.
func TestEarlyReadTooOldIsReadAgain(t *testing.T) {
	f := newFakeDaily()
	f.latency = 5 * time.Millisecond
	opts := testOptions()
	opts.BatchWindow = 100 * time.Millisecond // a short batch closes after 300 ms quiet
	eng := New(f, opts)
	firstBatchOfTwo(t, eng)

	const other = `{"phone_number":"+15550000099","room_creation_api":"https://other.example"}`
	start := time.Now()
	created := make(chan error)
	go func() {
		_, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000085", "https://hook.example"))
		created <- err
	}()
	waitFor(t, "the early read", func() bool { return len(f.requestsSince(start)) == 1 })
	f.mu.Lock()
	f.arrays[client.PinlessDialin] = append(f.arrays[client.PinlessDialin], json.RawMessage(other))
	f.mu.Unlock()
	if err := <-created; err != nil {
		t.Fatal(err)
	}
	if got := f.requestsSince(start); len(got) < 3 || got[0] != "GET" || got[1] != "GET" || got[2] != "POST" {
		t.Errorf("requests %v, want GET (early), GET (again), POST", got)
	}
	if !f.has(client.PinlessDialin, "+15550000099") || !f.has(client.PinlessDialin, "+15550000085") {
		t.Errorf("Daily holds %s, want the other writer's route and ours", f.raw(client.PinlessDialin))
	}
}

// While batches keep coming, each write is confirmed by a later round's
// read, not by a GET of its own: a wave costs one GET and one POST.
func TestConfirmingReadsRideOnLaterRounds(t *testing.T) {
	f := newFakeDaily()
	f.latency = 5 * time.Millisecond
	opts := testOptions()
	opts.BatchWindow = 50 * time.Millisecond
	opts.VerifyDelay = 20 * time.Millisecond
	eng := New(f, opts)
	terraformSlots(t, eng, 4, 10, func(slot int) time.Duration { return time.Duration(1+slot) * time.Millisecond })
	eng.Finish(context.Background())
	gets, posts := f.counts()
	// One GET per write, the final confirming read, and a few reads again
	// or confirming reads in a pause between batches on a busy machine.
	if gets > posts+posts/4+1 {
		t.Errorf("%d GETs for %d POSTs, want about one each", gets, posts)
	}
	eng.mu.Lock()
	defer eng.mu.Unlock()
	if len(eng.unconfirmed) > 0 {
		t.Errorf("%d writes still unconfirmed", len(eng.unconfirmed))
	}
}

func TestReadLead(t *testing.T) {
	t0 := time.Now()
	var batch []*change
	for _, ms := range []int{0, 10, 20, 30, 40, 50, 60, 70, 80, 90} {
		batch = append(batch, &change{arrived: t0.Add(time.Duration(ms) * time.Millisecond)})
	}
	for latency, want := range map[time.Duration]int{0: 0, 5 * time.Millisecond: 0, 35 * time.Millisecond: 3, time.Second: 9} {
		if got := readLead(batch, latency); got != want {
			t.Errorf("readLead(latency %s) = %d, want %d", latency, got, want)
		}
	}
}

// Once another writer is at work, a batch's read is sent when the batch
// closes, and confirming reads are not put off.
func TestNoEarlyReadOnceContested(t *testing.T) {
	f := newFakeDaily()
	f.latency = 5 * time.Millisecond
	opts := testOptions()
	opts.BatchWindow = 100 * time.Millisecond
	eng := New(f, opts)
	firstBatchOfTwo(t, eng)
	_, posts := f.counts()
	f.undoWrites(posts + 1) // the next write
	if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000086", "https://hook.example")); err != nil {
		t.Fatal(err)
	}
	if eng.uncontested() {
		t.Fatal("the engine did not notice the undone write")
	}
	eng.batches.mu.Lock()
	eng.batches.lead = 1
	eng.batches.mu.Unlock()

	var wg sync.WaitGroup
	var second time.Time
	start := time.Now()
	for i, number := range []string{"+15550000087", "+15550000088"} {
		wg.Go(func() {
			if i == 1 {
				time.Sleep(30 * time.Millisecond)
				second = time.Now()
			}
			if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec(number, "https://hook.example")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.requests {
		if r.method == "GET" && r.sent.After(start) {
			if r.sent.Before(second) {
				t.Errorf("a GET was sent %s before the batch's second call", second.Sub(r.sent))
			}
			break
		}
	}
}
