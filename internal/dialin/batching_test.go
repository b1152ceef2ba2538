package dialin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

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
	eng.batches.mu.Lock()
	defer eng.batches.mu.Unlock()
	if len(eng.batches.queue) != 0 {
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
