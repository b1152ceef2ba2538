package dialin

import (
	"slices"
	"time"
)

// A change that lives beside other writers is confirmed twice. Daily's answer
// to the write confirms it to its caller, who goes back to Terraform at once.
// A read of the domain at least VerifyDelay after that answer confirms it
// again: a writer that read the array before our write and wrote after it
// has usually written by then, and whatever it undid is written again. That
// read is the GET of a later round when one starts late enough, and otherwise
// a GET of its own when the delay is up; either way no caller waits for it.
// Engine.Finish waits for the last confirmations when the provider stops.

// pendingConfirmation is a change waiting for its confirming read.
type pendingConfirmation struct {
	change   *change
	answered time.Time // when Daily answered the write
	tries    int       // confirming reads that failed, and re-applies
}

// awaitConfirmation records c as written at answered. Called under rmw.
func (e *Engine) awaitConfirmation(c *change, answered time.Time) {
	e.unconfirmed = append(e.unconfirmed, pendingConfirmation{change: c, answered: answered, tries: c.reapplies})
	e.armConfirm()
}

// recheck settles the confirmations that a read started at readAt can
// give, and returns the changes it finds undone, to be written again by the
// caller's round. Called under rmw.
func (e *Engine) recheck(snap snapshot, readAt time.Time) []*change {
	var again []*change
	e.unconfirmed = slices.DeleteFunc(e.unconfirmed, func(o pendingConfirmation) bool {
		switch {
		case readAt.Sub(o.answered) < e.opts.VerifyDelay:
			return false // too early to tell
		case o.change.confirmed(snap.arrays[o.change.array]):
			return true
		case o.tries+1 >= e.opts.MaxAttempts:
			return true // another writer keeps undoing it: the next plan shows the drift
		}
		again = append(again, o.change.reapply(o.tries+1))
		return true
	})
	return again
}

// reapply is c again, with no caller waiting for it.
func (c *change) reapply(tries int) *change {
	again := *c
	again.done = make(chan outcome, 1)
	again.mayBeApplied = true
	again.reapplies = tries
	return &again
}

// armConfirm makes sure a confirming read happens when the oldest owed
// confirmation is due, unless a round reads before. Called under rmw.
func (e *Engine) armConfirm() {
	if len(e.unconfirmed) == 0 || e.confirmTimer != nil {
		return
	}
	due := time.Until(e.unconfirmed[0].answered.Add(e.opts.VerifyDelay))
	e.confirmTimer = time.AfterFunc(max(due, 0), e.confirmDue)
}

// confirmDue reads the domain for the confirmations that are due, if no
// round did meanwhile. A failed read counts against each of them; changes
// found undone are written again.
func (e *Engine) confirmDue() {
	e.rmw.Lock()
	defer e.rmw.Unlock()
	e.confirmTimer = nil
	if len(e.unconfirmed) > 0 && time.Since(e.unconfirmed[0].answered) >= e.opts.VerifyDelay {
		// No caller waits: its context may be gone already.
		ctx := e.opts.LogContext
		remaining, _, err := e.round(ctx, nil)
		if err != nil && len(remaining) == 0 {
			e.countFailedRead()
		}
		if len(remaining) > 0 {
			e.applyBatch(ctx, remaining)
		}
	}
	e.armConfirm()
}

// countFailedRead counts a failed confirming read against every confirmation
// due, and drops those that have had MaxAttempts. Called under rmw.
func (e *Engine) countFailedRead() {
	for i := range e.unconfirmed {
		if time.Since(e.unconfirmed[i].answered) >= e.opts.VerifyDelay {
			e.unconfirmed[i].tries++
		}
	}
	e.unconfirmed = slices.DeleteFunc(e.unconfirmed, func(o pendingConfirmation) bool { return o.tries >= e.opts.MaxAttempts })
}
