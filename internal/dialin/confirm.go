package dialin

import (
	"fmt"
	"slices"
	"time"
)

// A write is confirmed twice: by Daily's answer, and by a read of the domain
// at least VerifyDelay after that answer, which checks everything the change
// decided (values set, fields removed, the secret it kept). That read is the
// GET of a later round when one starts late enough, and otherwise a GET of
// its own once the delay is up and no batch is queued, being written or
// just written (confirmDue): while Terraform keeps sending waves, a write is
// confirmed by the read of a round one or two waves later, at no request's
// cost. Whatever it finds undone is written again, and confirmed again. Who
// waits for it: see callers.go.

// pendingConfirmation is a change waiting for its confirming read.
type pendingConfirmation struct {
	change   *change
	answered time.Time // when Daily answered the write
	tries    int       // confirming reads that failed, and re-applies
}

// dueAt is when a read can confirm p: VerifyDelay after the last write that
// carried its change. Every write of an array carries every entry, so a
// later write of the same array by this engine re-opens the window in which
// a copy read just before it can land; and if an earlier copy had undone
// the change just before that write read the array, the write restores it
// for a while only. Called under mu.
func (e *Engine) dueAt(p pendingConfirmation) time.Time {
	last := p.answered
	if w := e.lastWrite[p.change.array]; isArrayChange(p.change) && w.After(last) {
		last = w
	}
	return last.Add(e.opts.VerifyDelay)
}

// recheck settles the confirmations that a read started at readAt can
// give, and returns the changes it finds undone, to be written again by the
// caller's round. Called under rmw.
func (e *Engine) recheck(snap snapshot, readAt time.Time) []*change {
	e.mu.Lock()
	defer e.mu.Unlock()
	var again []*change
	e.unconfirmed = slices.DeleteFunc(e.unconfirmed, func(p pendingConfirmation) bool {
		c := p.change
		switch {
		case isObjectChange(c):
			return false // see recheckObjects
		case readAt.Before(e.dueAt(p)):
			return false // too early to tell
		case c.confirmed(snap.arrays[c.array]):
			c.answer = snap.arrays[c.array]
			return true
		}
		e.contested = true
		if p.tries+1 >= e.opts.MaxAttempts {
			e.failLocked(c, &KeptUndoingError{Change: c.describe, Times: p.tries + 1})
			return true
		}
		c.reapplies, c.mayBeApplied = p.tries+1, true
		e.repairing[c] = true
		again = append(again, c)
		return true
	})
	e.releaseHeld()
	return again
}

// KeptUndoingError fails a change that a later read found undone again and
// again: another writer keeps writing the array as it was.
type KeptUndoingError struct {
	Change string
	Times  int
}

func (e *KeptUndoingError) Error() string {
	return fmt.Sprintf("another writer keeps undoing %s: it was written, and a later read found it undone, %d times in a row", e.Change, e.Times)
}

// armConfirm makes sure a confirming read happens when the oldest pending
// confirmation is due, unless a round reads before. Called under mu.
func (e *Engine) armConfirm() {
	if len(e.unconfirmed) == 0 || e.confirmTimer != nil {
		return
	}
	first := e.dueAt(e.unconfirmed[0])
	for _, p := range e.unconfirmed[1:] {
		if at := e.dueAt(p); at.Before(first) {
			first = at
		}
	}
	due := time.Until(first)
	e.confirmTimer = time.AfterFunc(max(due, 0), e.confirmDue)
}

// confirmDue reads what the confirmations that are due need, if no round
// did meanwhile: the objects for object changes, and the domain for array
// changes unless a round is coming, whose read confirms them (see
// roundComing). A failed read counts against each of them; changes found
// undone are written again.
func (e *Engine) confirmDue() {
	// confirmTimer stays set until the end, so that writes answered
	// meanwhile arm no second confirmDue: two at once would read the same
	// due objects, one by one, each (at 1000 deletes, hundreds at once
	// against Daily's 20 requests/s).
	// No caller's context: the callers may have returned already.
	ctx := e.opts.LogContext
	if len(e.dueChanges(isObjectChange)) > 0 {
		// Object reads and repairs are object writes: beside each other,
		// never during a round.
		e.rmw.RLock()
		e.confirmObjects(ctx)
		e.rmw.RUnlock()
	}
	if len(e.dueChanges(isArrayChange)) > 0 {
		if e.roundComing() {
			// Its read confirms them: no GET of our own, and no wait for the
			// rmw lock that would hold that round back. Look again later, for
			// when the batcher has nothing left to write.
			e.mu.Lock()
			e.confirmTimer = time.AfterFunc(max(e.opts.VerifyDelay/4, time.Millisecond), e.confirmDue)
			e.mu.Unlock()
			return
		}
		e.rmw.Lock()
		remaining, _, err := e.round(ctx, nil, nil)
		if err != nil && len(remaining) == 0 {
			e.countFailedRead(isArrayChange)
		}
		if len(remaining) > 0 {
			e.applyBatch(ctx, remaining, nil)
		}
		e.rmw.Unlock()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.confirmTimer = nil
	e.armConfirm()
}

func isArrayChange(c *change) bool { return c.obj == nil }

// roundComing reports whether a batch is queued or being written, so that
// a round's read comes soon (within maxGatherWindows): it then confirms the
// writes due, as the next round's read always does. Not once the engine is
// contested: then callers wait for their own confirming reads, which are not
// put off.
func (e *Engine) roundComing() bool {
	return e.uncontested() && e.batches != nil && e.batches.busy()
}

// uncontested reports whether no read has found a change of this engine
// undone. Only then are confirming reads put off to later rounds and
// batches read early: once another writer is at work, callers wait for
// their own confirming reads, which nothing holds back.
func (e *Engine) uncontested() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return !e.contested
}

// countFailedRead counts a failed confirming read against every confirmation
// of kind due, and gives up on those that have had MaxAttempts: nothing
// shows them undone, so their callers return as if confirmed. Called under rmw.
func (e *Engine) countFailedRead(kind func(*change) bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, p := range e.unconfirmed {
		if kind(p.change) && !time.Now().Before(e.dueAt(p)) {
			e.unconfirmed[i].tries++
		}
	}
	e.unconfirmed = slices.DeleteFunc(e.unconfirmed, func(p pendingConfirmation) bool { return p.tries >= e.opts.MaxAttempts })
	e.releaseHeld()
}
