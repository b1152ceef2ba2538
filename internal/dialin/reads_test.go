package dialin

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

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
