package emulator

import (
	"net/http"
	"time"
)

// StaleWriter plays another writer of the domain's dial-in config, such as a
// dashboard tab that read the arrays before a client's write and saves its
// copy after it: after a client's write it takes the arrays that write
// touched as they were just before it, and Delay later writes that copy back
// under the rules of POST / (hmacs included, so nothing rotates; sip_uri left
// out, as a writer must that Daily may refuse it from), undoing the write.
type StaleWriter struct {
	Delay time.Duration // wall time from the client's write to the copy written back
	// Copies is how many client writes in a row it undoes, one copy each;
	// then it stops. 0 turns it off.
	Copies int
	// Objects makes writes of config objects (POST, PUT and DELETE
	// /domain-dialin-config) trigger it too, copying the array of the
	// object's type: under DialinStoreShared the copy undoes the object
	// write; under DialinStoreSeparate it leaves objects alone.
	Objects bool
}

// StaleWriterStats is what the stale writer did so far.
type StaleWriterStats struct {
	Left      int         // client writes it will still undo
	Taken     int         // copies taken, one per client write undone
	Pending   int         // copies taken and not yet written back
	Written   int         // copies written back
	Refused   int         // copies the rules of POST / refused (why: in Errors)
	Abandoned int         // copies dropped by Close before their time
	Times     []time.Time // wall clock of each copy written back
	Errors    []string
}

// staleState is the stale writer's configuration, record and copies to
// write back, in the order taken (under e.mu).
type staleState struct {
	cfg     StaleWriter
	stats   StaleWriterStats
	queue   []staleCopy
	working bool // a goroutine is writing the queue back
}

type staleCopy struct {
	due   time.Time
	props map[string]any
}

// SetStaleWriter replaces the stale writer's configuration and sets the
// writes it will undo to w.Copies; the zero StaleWriter turns it off. Copies
// already taken are still written back when their time comes.
func (e *Emulator) SetStaleWriter(w StaleWriter) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stale.cfg = w
	e.stale.stats.Left = max(w.Copies, 0)
}

// StaleWriterStats returns what the stale writer did so far.
func (e *Emulator) StaleWriterStats() StaleWriterStats {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.stale.stats
	s.Times = append([]time.Time(nil), s.Times...)
	s.Errors = append([]string(nil), s.Errors...)
	return s
}

// staleCopy returns the named arrays as they are now, as POST / properties,
// when a client write of them is to be undone; nil otherwise (caller holds
// the lock). objectWrite says the write is one of a config object.
func (e *Emulator) staleCopy(objectWrite bool, arrays ...string) map[string]any {
	if e.stale.stats.Left <= 0 || (objectWrite && !e.stale.cfg.Objects) || len(arrays) == 0 {
		return nil
	}
	props := map[string]any{}
	for _, name := range arrays {
		// A copy through JSON: later edits of the stored entries must not reach it.
		var entries []map[string]any
		if err := decodeJSON(jsonResp(http.StatusOK, arrayFields(*e.array(name))).body, &entries); err != nil {
			panic("emulator: copying " + name + ": " + err.Error())
		}
		list := make([]any, len(entries))
		for i, entry := range entries {
			delete(entry, "sip_uri") // read-only: refused under SentSipURIRefuse
			list[i] = entry
		}
		props[name] = list
	}
	return props
}

// staleWriteBack queues props, a copy taken just before a client write that
// succeeded, to be written back Delay later (caller holds the lock). Copies
// are written in the order taken, so that two due at nearly the same time
// land in a fixed order.
func (e *Emulator) staleWriteBack(props map[string]any) {
	if props == nil {
		return
	}
	st := &e.stale
	st.stats.Left--
	st.stats.Taken++
	st.stats.Pending++
	st.queue = append(st.queue, staleCopy{time.Now().Add(st.cfg.Delay), props})
	if st.working {
		return
	}
	st.working = e.goBackground(e.writeStaleCopies)
	if !st.working {
		e.abandonStaleCopies()
	}
}

// writeStaleCopies writes each queued copy back when it is due, until the
// queue is empty or Close abandons the rest.
func (e *Emulator) writeStaleCopies() {
	st := &e.stale
	for {
		e.mu.Lock()
		if len(st.queue) == 0 {
			st.working = false
			e.mu.Unlock()
			return
		}
		due := st.queue[0].due
		e.mu.Unlock()

		timer := time.NewTimer(time.Until(due))
		select {
		case <-e.bgCtx.Done():
			timer.Stop()
			e.mu.Lock()
			e.abandonStaleCopies()
			st.working = false
			e.mu.Unlock()
			return
		case <-timer.C:
		}

		e.mu.Lock()
		next := st.queue[0]
		st.queue = st.queue[1:]
		st.stats.Pending--
		// Through the rules of POST /, but not a client write: it never
		// triggers the stale writer itself.
		if err := e.applyProperties(next.props); err != nil {
			st.stats.Refused++
			st.stats.Errors = append(st.stats.Errors, err.Error())
		} else {
			st.stats.Written++
			st.stats.Times = append(st.stats.Times, time.Now())
		}
		e.mu.Unlock()
	}
}

// abandonStaleCopies drops the queued copies (caller holds the lock).
func (e *Emulator) abandonStaleCopies() {
	st := &e.stale
	st.stats.Pending -= len(st.queue)
	st.stats.Abandoned += len(st.queue)
	st.queue = nil
}

// goBackground runs fn in a goroutine that Close waits for, unless Close has
// begun (caller holds the lock). It reports whether fn was started.
func (e *Emulator) goBackground(fn func()) bool {
	if e.closed {
		return false
	}
	e.bg.Go(fn)
	return true
}
