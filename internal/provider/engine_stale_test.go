package provider

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// Minimal reproductions of two dial-in engine bugs that the stale-writer
// walks found (issue 20 §1), each driving one engine against the emulator
// and its stale writer; both fixed in the engine (confirm.go dueAt, and the
// confirmation owed to a change a lost write may have carried).

// staleRig is an engine on an emulator's domain, reached through a handler
// that can act before each POST / is served (hold it, lose its answer).
type staleRig struct {
	emu    *emulator.Emulator
	engine *dialin.Engine

	mu         sync.Mutex
	posts      int
	beforePost func(n int) // runs before POST n (from 1) is served
	answered   chan int    // POST n was served
}

func newStaleRig(t *testing.T, entries ...string) *staleRig {
	t.Helper()
	emu := emulator.New(emulator.Options{})
	t.Cleanup(emu.Close)
	rig := &staleRig{emu: emu, answered: make(chan int, 16)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			emu.ServeHTTP(w, r)
			return
		}
		rig.mu.Lock()
		rig.posts++
		n, before := rig.posts, rig.beforePost
		rig.mu.Unlock()
		if before != nil {
			before(n)
		}
		emu.ServeHTTP(w, r)
		rig.answered <- n
	}))
	t.Cleanup(srv.Close)
	seedNumbers(emu, 2)
	var raws []json.RawMessage
	for _, e := range entries {
		raws = append(raws, json.RawMessage(e))
	}
	if err := setArray(emu, client.PinlessDialin, raws); err != nil {
		t.Fatal(err)
	}
	c, err := client.New(client.Config{BaseURL: srv.URL + "/v1", APIKey: emu.APIKey()})
	if err != nil {
		t.Fatal(err)
	}
	// Batching off: each change is one round, at once; defaults otherwise
	// (VerifyDelay 200 ms).
	rig.engine = dialin.New(c, dialin.Options{})
	return rig
}

// webhookSpec sets the webhook of the pinless route of number, keeping its secret.
func webhookSpec(number, webhook string) dialin.RouteSpec {
	q := func(s string) json.RawMessage { b, _ := json.Marshal(s); return b }
	return dialin.RouteSpec{
		Key:      number,
		Set:      map[string]json.RawMessage{"phone_number": q(number), "room_creation_api": q(webhook)},
		Managed:  []string{"phone_number", "room_creation_api", "name_prefix", "hold_music_url", "timeout_config", "hmac"},
		Preserve: []string{"hmac"},
	}
}

// settle lets the engine's confirmations and the stale copies finish, and
// returns the webhook Daily then holds for number.
func (rig *staleRig) settle(t *testing.T, number string) any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	rig.engine.Finish(ctx)
	for rig.emu.StaleWriterStats().Pending > 0 {
		time.Sleep(10 * time.Millisecond)
	}
	entry, _ := entryOf(rig.emu, client.PinlessDialin, number)
	return entry["room_creation_api"]
}

// A write whose answer is lost may have been applied, and a writer that
// read just before it may undo it: it is owed a confirming read VerifyDelay
// after it, like any other. The engine owed none when the read that follows
// the lost answer found the change in place ("Daily holds them already;
// nothing was written, so nothing is owed"), and that read comes
// at once when the lost write was a repair made by a confirming read of its
// own (confirmDue calls applyBatch, whose first round does not wait). Here:
// the first write is undone 50 ms after it; the confirming read writes it
// again, and that answer is lost; the read right after finds the change and
// settles it; the copy taken before the repair lands 50 ms later, and Put
// has reported success over the old webhook.
func TestEngine_lostAnswerOfARepairIsConfirmed(t *testing.T) {
	number := "+14155550000"
	rig := newStaleRig(t, `{"phone_number":"`+number+`","room_creation_api":"https://hooks.example/old","hmac":"c2VjcmV0"}`)
	rig.beforePost = func(n int) {
		if n == 2 { // the repair: applied, its answer lost
			rig.emu.SetFaults(emulator.Faults{DropRate: 1, Routes: []string{"POST /"}})
		} else {
			rig.emu.SetFaults(emulator.Faults{})
		}
	}
	rig.emu.SetStaleWriter(emulator.StaleWriter{Delay: 50 * time.Millisecond, Copies: 2})
	_, err := rig.engine.Put(context.Background(), client.PinlessDialin, webhookSpec(number, "https://hooks.example/new"))
	got := rig.settle(t, number)
	if stats := rig.emu.StaleWriterStats(); stats.Written != 2 {
		t.Fatalf("the stale writer wrote %d copies, want 2: this run tested nothing", stats.Written)
	}
	if err == nil && got != "https://hooks.example/new" {
		t.Fatalf("Put reported success, and Daily holds the webhook %v: the repair whose answer was lost was undone, and never confirmed", got)
	}
}

// A write of the engine carries every entry of the array, the pending
// changes of earlier writes included, and a writer that read just before it
// may write back what it read. If an earlier stale copy had undone a pending
// change just before that read, the copy of this write undoes the change
// again, after a confirming read that this write's restoring it would fool.
// Here: Put A is written and undone 100 ms later; Put B's round read A's
// change before that and writes after it (its POST takes 100 ms), restoring
// A's change; the copy taken before B's write lands at 250 ms, with A's old
// webhook. A read at 200 ms would find A's change and confirm it; the engine
// confirms a change no earlier than VerifyDelay after the last write of its
// array, so the read that confirms A comes after that copy, finds A's change
// undone and writes it again.
func TestEngine_aLaterWriteCarryingAChangeDelaysItsConfirmation(t *testing.T) {
	a, b := "+14155550000", "+14155550001"
	rig := newStaleRig(t,
		`{"phone_number":"`+a+`","room_creation_api":"https://hooks.example/a-old","hmac":"c2VjcmV0"}`,
		`{"phone_number":"`+b+`","room_creation_api":"https://hooks.example/b-old","hmac":"c2VjcmV0"}`)
	rig.beforePost = func(n int) {
		if n == 2 { // B's write: read before A's copy landed, written after
			time.Sleep(100 * time.Millisecond)
		}
	}
	rig.emu.SetStaleWriter(emulator.StaleWriter{Delay: 100 * time.Millisecond, Copies: 2})
	var wg sync.WaitGroup
	var errA, errB error
	wg.Go(func() {
		_, errA = rig.engine.Put(context.Background(), client.PinlessDialin, webhookSpec(a, "https://hooks.example/a-new"))
	})
	if n := <-rig.answered; n != 1 {
		t.Fatalf("POST %d answered first", n)
	}
	time.Sleep(50 * time.Millisecond)
	wg.Go(func() {
		_, errB = rig.engine.Put(context.Background(), client.PinlessDialin, webhookSpec(b, "https://hooks.example/b-new"))
	})
	wg.Wait()
	gotA, gotB := rig.settle(t, a), rig.settle(t, b)
	if stats := rig.emu.StaleWriterStats(); stats.Written != 2 {
		t.Fatalf("the stale writer wrote %d copies, want 2: this run tested nothing", stats.Written)
	}
	if errB == nil && gotB != "https://hooks.example/b-new" {
		t.Fatalf("Put B reported success, and Daily holds %v", gotB)
	}
	if errA == nil && gotA != "https://hooks.example/a-new" {
		t.Fatalf("Put A reported success, and Daily holds the webhook %v: the copy taken before B's write undid it after its confirming read", gotA)
	}
}
