package dialin

import (
	"context"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

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

// Finish waits for a round that writes again what its confirming read
// found undone, though nothing is owed while that write is under way.
func TestFinishWaitsForARoundWritingAgain(t *testing.T) {
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
