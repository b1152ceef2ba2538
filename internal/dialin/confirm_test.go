package dialin

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// undoWrites makes the fake play another writer that read the arrays just
// before each of the next n writes and wrote its copy back right after
// Daily answered: each of those writes is undone.
func (f *fakeDaily) undoWrites(n int) {
	var before map[string][]json.RawMessage
	f.beforePost = func(int, map[string][]json.RawMessage) error { // under f.mu
		before = maps.Clone(f.arrays)
		return nil
	}
	f.afterPost = func(k int) error {
		if k <= n {
			f.mu.Lock()
			f.arrays = before
			f.mu.Unlock()
		}
		return nil
	}
}

// waitFor polls cond until it holds or a minute has passed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// The last caller of an apply is held until its change's confirming read:
// Terraform hears the change is done only once a later read shows it.
func TestLastCallerWaitsForTheConfirmingRead(t *testing.T) {
	f := newFakeDaily()
	opts := testOptions()
	opts.VerifyDelay = 50 * time.Millisecond
	eng := New(f, opts)
	if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000041", "https://hook.example")); err != nil {
		t.Fatal(err)
	}
	if gets, posts := f.counts(); gets != 2 || posts != 1 {
		t.Errorf("%d GETs and %d POSTs when the create returned, want 2 and 1: the write's read and the confirming read", gets, posts)
	}
}

// A caller with a successor returns on Daily's answer; the successor, now
// the last, waits for the confirming read.
func TestCallerWithASuccessorReturnsOnDailysAnswer(t *testing.T) {
	f := newFakeDaily()
	opts := testOptions()
	opts.VerifyDelay = time.Second
	eng := New(f, opts)
	first := make(chan int) // GETs when the first create returned
	go func() {
		_, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000043", "https://hook.example"))
		if err != nil {
			t.Error(err)
		}
		gets, _ := f.counts()
		first <- gets
	}()
	waitFor(t, "the first write", func() bool { _, posts := f.counts(); return posts == 1 })
	if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000044", "https://hook.example")); err != nil {
		t.Fatal(err)
	}
	if gets := <-first; gets > 2 {
		t.Errorf("the first create returned after %d GETs, want at most 2: its own write's and its successor's, before any confirming read", gets)
	}
	if gets, posts := f.counts(); gets < 3 || posts != 2 {
		t.Errorf("%d GETs and %d POSTs when the last create returned, want at least 3 (a confirming read) and 2", gets, posts)
	}
}

func TestEntryDroppedByAnotherWriterIsWrittenAgain(t *testing.T) {
	f := newFakeDaily()
	f.undoWrites(1)
	eng := New(f, testOptions())
	if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000040", "https://hook.example")); err != nil {
		t.Fatal(err)
	}
	// The caller, the last one, is held until a later read confirms its
	// change: that read found it gone, and it was written again first.
	if !f.has(client.PinlessDialin, "+15550000040") {
		t.Fatal("entry dropped by the other writer was not written again")
	}
	if _, posts := f.counts(); posts != 2 {
		t.Errorf("%d POSTs, want 2 (the write and its re-apply)", posts)
	}
}

// A repair sends the secret Daily minted for the first write: the caller
// reported that one to Terraform.
func TestRepairKeepsTheSecretDailyMinted(t *testing.T) {
	f := newFakeDaily()
	f.undoWrites(1)
	eng := New(f, testOptions())
	got, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000045", "https://hook.example"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Text("hmac") != "minted-1" || !strings.Contains(f.raw(client.PinlessDialin), `"hmac":"minted-1"`) || f.minted != 1 {
		t.Errorf("returned hmac %q, Daily holds %s after %d mints; want minted-1 in both, minted once", got.Text("hmac"), f.raw(client.PinlessDialin), f.minted)
	}
}

// A field the change removed is part of what it decided: found back, it is
// removed again.
func TestClearedFieldUndoneIsRemovedAgain(t *testing.T) {
	f := newFakeDaily(`{"hmac":"c2VjcmV0","phone_number":"+15550000046","room_creation_api":"https://hook.example","timeout_config":{"message":"old"}}`)
	f.undoWrites(1)
	eng := New(f, testOptions())
	spec := routeSpec("+15550000046", "https://hook.example")
	spec.Managed = append(spec.Managed, "timeout_config")
	if _, err := eng.Put(context.Background(), client.PinlessDialin, spec); err != nil {
		t.Fatal(err)
	}
	if raw := f.raw(client.PinlessDialin); strings.Contains(raw, "timeout_config") {
		t.Errorf("Daily holds %s: the cleared timeout_config is back", raw)
	}
	if _, posts := f.counts(); posts != 2 {
		t.Errorf("%d POSTs, want 2 (the write and its re-apply)", posts)
	}
}

// The exclusive array is confirmed by a later read like any change.
func TestExclusiveWriteUndoneIsWrittenAgain(t *testing.T) {
	f := newFakeDaily(unmanaged)
	f.undoWrites(1)
	eng := New(f, testOptions())
	spec := routeSpec("+15550000047", "https://hook.example")
	if _, err := eng.ReplaceAll(context.Background(), client.PinlessDialin, []RouteSpec{spec}, nil); err != nil {
		t.Fatal(err)
	}
	if f.has(client.PinlessDialin, "+15550000001") || !f.has(client.PinlessDialin, "+15550000047") {
		t.Errorf("Daily holds %s, want only +15550000047", f.raw(client.PinlessDialin))
	}
}

// A change another writer undoes again and again fails, naming it.
func TestChangeUndoneAgainAndAgainFails(t *testing.T) {
	f := newFakeDaily()
	f.undoWrites(1000)
	opts := testOptions()
	opts.MaxAttempts = 3
	eng := New(f, opts)
	_, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000048", "https://hook.example"))
	var kept *KeptUndoingError
	if !errors.As(err, &kept) || !strings.Contains(err.Error(), "+15550000048") {
		t.Fatalf("got %v, want a KeptUndoingError naming +15550000048", err)
	}
	if _, posts := f.counts(); posts != 3 {
		t.Errorf("%d POSTs, want 3 (MaxAttempts)", posts)
	}
}

// After a conflict, every caller waits for its own change's confirming read.
func TestAfterAConflictEveryCallerWaitsForItsOwnRead(t *testing.T) {
	f := newFakeDaily()
	f.undoWrites(1)
	opts := testOptions()
	opts.VerifyDelay = 20 * time.Millisecond
	eng := New(f, opts)
	if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000049", "https://hook.example")); err != nil {
		t.Fatal(err)
	}
	getsBefore, _ := f.counts()
	var wg sync.WaitGroup
	for _, number := range []string{"+15550000050", "+15550000051"} {
		wg.Go(func() {
			if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec(number, "https://hook.example")); err != nil {
				t.Error(err)
			}
			if gets, _ := f.counts(); gets-getsBefore < 2 {
				t.Errorf("%s returned after %d GETs: before its confirming read", number, gets-getsBefore)
			}
		})
	}
	wg.Wait()
}

// Changes whose callers had returned, and which another writer then kept
// undoing, fail the last caller, which names them.
func TestFailuresAfterCallersReturnedReachTheLastCaller(t *testing.T) {
	f := newFakeDaily()
	f.undoWrites(1000)
	opts := testOptions()
	opts.MaxAttempts = 3
	eng := New(f, opts)
	numbers := []string{"+15550000052", "+15550000053", "+15550000054"}
	errs := make([]error, len(numbers))
	var wg sync.WaitGroup
	for i, number := range numbers {
		wg.Go(func() {
			_, errs[i] = eng.Create(context.Background(), client.PinlessDialin, routeSpec(number, "https://hook.example"))
		})
	}
	wg.Wait()
	var failures []string
	for _, err := range errs {
		if err != nil {
			failures = append(failures, err.Error())
		}
	}
	all := strings.Join(failures, "\n")
	for _, number := range numbers {
		if !strings.Contains(all, number) {
			t.Errorf("no caller heard that %s was undone; errors:\n%s", number, all)
		}
	}
}

// Finish waits for a round that writes again what its confirming read
// found undone.
func TestFinishWaitsForARoundWritingAgain(t *testing.T) {
	f := newFakeDaily()
	reapplying, release := make(chan struct{}), make(chan struct{})
	f.undoWrites(1)
	undo := f.afterPost
	f.afterPost = func(n int) error {
		if n == 2 { // the re-apply is on its way to Daily
			close(reapplying)
			<-release
		}
		return undo(n)
	}
	eng := New(f, testOptions())
	created := make(chan error)
	go func() {
		_, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000042", "https://hook.example"))
		created <- err
	}()
	<-reapplying
	finished := make(chan struct{})
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		eng.Finish(ctx)
		close(finished)
	}()
	select {
	case <-finished:
		t.Fatal("Finish returned while the re-apply was still being written")
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	<-finished
	if err := <-created; err != nil {
		t.Fatal(err)
	}
	if !f.has(client.PinlessDialin, "+15550000042") {
		t.Fatal("the re-applied entry is missing")
	}
}
