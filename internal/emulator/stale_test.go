package emulator

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strings"
	"testing"
	"time"
)

// waitStale waits until the stale writer has nothing pending.
func waitStale(t *testing.T, e *Emulator) StaleWriterStats {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := e.StaleWriterStats()
		if s.Pending == 0 {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("stale copies still pending: %+v", s)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func rawArray(e *Emulator, name string) string {
	var b bytes.Buffer
	for _, raw := range e.DialinArray(name) {
		b.Write(raw)
		b.WriteByte('\n')
	}
	return b.String()
}

func TestStaleWriterUndoesAWrite(t *testing.T) {
	e := New(Options{})
	defer e.Close()
	n := buy(t, e, 3)
	post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[0], "https://h.example/a", "")+`],"pin_dialin":[{"phone_number":"`+n[2]+`"}]}`)
	before, pinBefore := rawArray(e, PinlessDialin), rawArray(e, PinDialin)

	e.SetStaleWriter(StaleWriter{Delay: 30 * time.Millisecond, Copies: 1})
	start := time.Now()
	// The client's write keeps the first route's secret and adds a second route.
	entries := e.DialinArray(PinlessDialin)
	status, body := post(t, e, `{"pinless_dialin":[`+string(entries[0])+`,`+pinlessEntry(n[1], "https://h.example/b", "")+`]}`)
	if status != 200 || len(array(t, e, PinlessDialin)) != 2 {
		t.Fatalf("%d %s", status, body)
	}
	s := waitStale(t, e)
	if s.Taken != 1 || s.Written != 1 || s.Left != 0 || len(s.Times) != 1 || s.Times[0].Sub(start) < 30*time.Millisecond {
		t.Fatalf("stats %+v", s)
	}
	// Byte for byte what it was: hmacs and sip_uris included, the other array untouched.
	if got := rawArray(e, PinlessDialin); got != before {
		t.Fatalf("not undone:\n got %s\nwant %s", got, before)
	}
	if rawArray(e, PinDialin) != pinBefore {
		t.Fatal("an array the write did not carry changed")
	}

	// Spent: the next write stays.
	post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[1], "https://h.example/b", "")+`]}`)
	time.Sleep(60 * time.Millisecond)
	if s := waitStale(t, e); s.Written != 1 || len(array(t, e, PinlessDialin)) != 1 {
		t.Fatalf("a spent stale writer wrote: %+v", s)
	}
	if e.Count("POST /") != 3 {
		t.Errorf("stale copies counted as requests: %v", e.Counts())
	}
}

// A copy leaves sip_uri out, as another writer must when Daily refuses it
// (SentSipURIRefuse): it is written back, not refused.
func TestStaleWriterCopyWithoutSipURI(t *testing.T) {
	e := New(Options{SentSipURI: SentSipURIRefuse})
	defer e.Close()
	n := buy(t, e, 2)
	post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[0], "https://h.example/a", "")+`]}`)
	before := rawArray(e, PinlessDialin)

	e.SetStaleWriter(StaleWriter{Delay: 10 * time.Millisecond, Copies: 1})
	post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[1], "https://h.example/b", "")+`]}`)
	if s := waitStale(t, e); s.Written != 1 || s.Refused != 0 {
		t.Fatalf("stats %+v", s)
	}
	if got := rawArray(e, PinlessDialin); got != before {
		t.Fatalf("not undone:\n got %s\nwant %s", got, before)
	}
}

// Four writes in a row are undone, each by a copy of the arrays just before
// it; its own copies never trigger it.
func TestStaleWriterCopiesInARow(t *testing.T) {
	e := New(Options{})
	defer e.Close()
	n := buy(t, e, 5)
	// Long enough that the five writes are all made before the first copy lands.
	e.SetStaleWriter(StaleWriter{Delay: 300 * time.Millisecond, Copies: 4})
	var states []string
	for i := range 5 {
		states = append(states, rawArray(e, PinlessDialin))
		if status, body := post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[i], "https://h.example/x", `,"hmac":"c2VjcmV0"`)+`]}`); status != 200 {
			t.Fatalf("%d %s", status, body)
		}
	}
	waitStale(t, e)
	time.Sleep(100 * time.Millisecond) // a copy that triggered another would show now
	s := waitStale(t, e)
	if s.Taken != 4 || s.Written != 4 || s.Refused != 0 || s.Left != 0 {
		t.Fatalf("stats %+v", s)
	}
	// The last copy is the arrays as they were before the fourth write.
	if got := rawArray(e, PinlessDialin); got != states[3] {
		t.Fatalf("got %s, want the state before the fourth write %s", got, states[3])
	}
}

func TestStaleWriterIgnoresWhatItShould(t *testing.T) {
	e := New(Options{})
	defer e.Close()
	n := buy(t, e, 1)
	e.SetStaleWriter(StaleWriter{Delay: time.Millisecond, Copies: 1})
	// A refused write, a write of other settings, object writes, and hooks do not trigger it.
	post(t, e, `{"pinless_dialin":[{"phone_number":"+12125550123","room_creation_api":"https://h.example/a"}]}`)
	post(t, e, `{"lang":"fr"}`)
	create(t, e, `{"type":"pin_dialin","phone_number":"`+n[0]+`"}`)
	if err := e.SetDialinArray(PinDialin, nil); err != nil {
		t.Fatal(err)
	}
	if s := e.StaleWriterStats(); s.Taken != 0 || s.Left != 1 {
		t.Fatalf("stats %+v", s)
	}
	e.SetStaleWriter(StaleWriter{})
	post(t, e, `{"pin_dialin":[]}`)
	if s := e.StaleWriterStats(); s.Taken != 0 {
		t.Fatalf("off, yet it took a copy: %+v", s)
	}
}

func TestStaleWriterAndObjects(t *testing.T) {
	eachStore(t, func(t *testing.T, store DialinStore) {
		e := New(Options{DialinStore: store})
		defer e.Close()
		n := buy(t, e, 2)
		post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[0], "https://h.example/a", "")+`]}`)
		e.SetStaleWriter(StaleWriter{Delay: 20 * time.Millisecond, Copies: 1, Objects: true})
		o := create(t, e, `{"type":"pinless_dialin","phone_number":"`+n[1]+`","room_creation_api":"https://h.example/b"}`)
		s := waitStale(t, e)
		_, alive := e.DialinConfig(o.ID)
		switch {
		case s.Written != 1:
			t.Fatalf("stats %+v", s)
		case store == DialinStoreShared && alive:
			t.Fatal("shared store: the stale array copy left the new object")
		case store == DialinStoreSeparate && !alive:
			t.Fatal("separate store: the stale array copy deleted an object")
		}
		if got := array(t, e, PinlessDialin); len(got) != 1 || got[0]["phone_number"] != n[0] {
			t.Fatalf("array %v", got)
		}
	})
}

// Under the separate store a stale array copy can carry a number that an
// object took meanwhile: Daily's rules refuse it, and the stats say why.
func TestStaleWriterCopyRefused(t *testing.T) {
	e := New(Options{DialinStore: DialinStoreSeparate})
	defer e.Close()
	n := buy(t, e, 1)
	post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[0], "https://h.example/a", "")+`]}`)
	e.SetStaleWriter(StaleWriter{Delay: 300 * time.Millisecond, Copies: 1})
	// Moving the route from the array to an object, before the copy lands.
	post(t, e, `{"pinless_dialin":[]}`)
	o := create(t, e, `{"type":"pinless_dialin","phone_number":"`+n[0]+`","room_creation_api":"https://h.example/a"}`)
	s := waitStale(t, e)
	if s.Refused != 1 || s.Written != 0 || len(s.Errors) != 1 || !strings.Contains(s.Errors[0], n[0]) {
		t.Fatalf("stats %+v", s)
	}
	if _, ok := e.DialinConfig(o.ID); !ok || len(array(t, e, PinlessDialin)) != 0 {
		t.Fatal("a refused copy changed something")
	}
}

// Close abandons copies not yet due, waits for their goroutines, and returns promptly.
func TestStaleWriterClose(t *testing.T) {
	goroutines := runtime.NumGoroutine()
	e := New(Options{})
	n := buy(t, e, 1)
	e.SetStaleWriter(StaleWriter{Delay: time.Hour, Copies: 3})
	for range 3 {
		post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[0], "https://h.example/a", "")+`]}`)
	}
	if s := e.StaleWriterStats(); s.Pending != 3 {
		t.Fatalf("stats %+v", s)
	}
	start := time.Now()
	e.Close()
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("Close took %s", took)
	}
	if s := e.StaleWriterStats(); s.Pending != 0 || s.Abandoned != 3 || s.Written != 0 {
		t.Fatalf("stats %+v", s)
	}
	// After Close a write takes a copy that is abandoned at once.
	e.SetStaleWriter(StaleWriter{Delay: time.Millisecond, Copies: 1})
	post(t, e, `{"pinless_dialin":[]}`)
	if s := e.StaleWriterStats(); s.Pending != 0 || s.Abandoned != 4 {
		t.Fatalf("after Close: %+v", s)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutines && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > goroutines {
		t.Errorf("%d goroutines after Close, %d before", g, goroutines)
	}
}

// Client writes and stale copies interleave from many goroutines.
func TestStaleWriterConcurrent(t *testing.T) {
	e := New(Options{})
	n := buy(t, e, 4)
	e.SetStaleWriter(StaleWriter{Delay: time.Millisecond, Copies: 50, Objects: true})
	done := make(chan struct{})
	for w := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 20 {
				entry := pinlessEntry(n[w], "https://h.example/"+string(rune('a'+i)), "")
				post(t, e, `{"pinless_dialin":[`+entry+`]}`)
				e.StaleWriterStats()
				e.DialinArray(PinlessDialin)
			}
		}()
	}
	for range 4 {
		<-done
	}
	waitStale(t, e)
	e.Close()
	s := e.StaleWriterStats()
	if s.Taken != 50 || s.Written+s.Refused+s.Abandoned != 50 {
		t.Fatalf("stats %+v", s)
	}
	var entries []json.RawMessage
	entries = append(entries, e.DialinArray(PinlessDialin)...)
	for _, raw := range entries {
		if !json.Valid(raw) {
			t.Fatalf("invalid entry %s", raw)
		}
	}
}
