package dialin

import (
	"context"
	"slices"
	"sync"
	"time"
)

// A change that lives beside other writers is confirmed twice. Daily's answer
// to the write confirms it to its caller, who goes back to Terraform at once.
// A read of the domain at least VerifyDelay after that answer confirms it
// again: a writer that read the array before our write and wrote after it
// has usually written by then, and whatever it undid is written again. That
// read is the GET of a later round when one starts late enough, and otherwise
// a GET of its own when the delay is up; either way no caller waits for it.
// Finish waits for the last confirmations when the provider stops.

// owing holds the engines of this process that may owe confirmations, for
// FinishAll. An engine leaves it only under its write lock with nothing owed,
// so never while a round writes again what it found undone.
var owing sync.Map // *Engine → struct{}

// FinishAll waits until every engine of this process has confirmed its
// writes, or ctx is done (see Engine.Finish).
func FinishAll(ctx context.Context) {
	owing.Range(func(e, _ any) bool {
		e.(*Engine).Finish(ctx) //nolint:forcetypeassert // only engines are stored
		return true
	})
}

// owed is a change waiting for its confirming read.
type owed struct {
	change   *change
	answered time.Time // when Daily answered the write
	tries    int       // confirming reads that failed, and re-applies
}

// owe records c as written at answered, and the engine as one FinishAll
// waits for. Called under writeMu.
func (e *Engine) owe(c *change, answered time.Time) {
	e.owed = append(e.owed, owed{change: c, answered: answered, tries: c.reapplies})
	owing.Store(e, struct{}{})
	e.armConfirm()
}

// recheck settles the confirmations that a read started at readAt can
// give, and returns the changes it finds undone, to be written again by the
// caller's round. Called under writeMu.
func (e *Engine) recheck(snap snapshot, readAt time.Time) []*change {
	var again []*change
	e.owed = slices.DeleteFunc(e.owed, func(o owed) bool {
		switch {
		case readAt.Sub(o.answered) < e.opts.VerifyDelay:
			return false // too early to tell
		case o.change.confirmed(snap[o.change.array]):
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
// confirmation is due, unless a round reads before. Called under writeMu.
func (e *Engine) armConfirm() {
	if len(e.owed) == 0 || e.confirmTimer != nil {
		return
	}
	due := time.Until(e.owed[0].answered.Add(e.opts.VerifyDelay))
	e.confirmTimer = time.AfterFunc(max(due, 0), e.confirmDue)
}

// confirmDue reads the domain for the confirmations that are due, if no
// round did meanwhile. A failed read counts against each of them; changes
// found undone are written again.
func (e *Engine) confirmDue() {
	e.writeMu.Lock()
	defer e.writeMu.Unlock()
	e.confirmTimer = nil
	if len(e.owed) > 0 && time.Since(e.owed[0].answered) >= e.opts.VerifyDelay {
		// No caller waits: its context may be gone already.
		ctx := e.opts.LogContext
		remaining, _, err := e.round(ctx, nil)
		if err != nil && len(remaining) == 0 {
			e.countFailedRead()
		}
		if len(remaining) > 0 {
			e.write(ctx, remaining)
		}
	}
	e.armConfirm()
	if len(e.owed) == 0 {
		owing.Delete(e)
	}
}

// countFailedRead counts a failed confirming read against every confirmation
// due, and drops those that have had MaxAttempts. Called under writeMu.
func (e *Engine) countFailedRead() {
	for i := range e.owed {
		if time.Since(e.owed[i].answered) >= e.opts.VerifyDelay {
			e.owed[i].tries++
		}
	}
	e.owed = slices.DeleteFunc(e.owed, func(o owed) bool { return o.tries >= e.opts.MaxAttempts })
}

// Finish waits until every write is confirmed by a later read, or ctx is
// done. A provider calls it when Terraform stops it, right after the last
// change of an apply.
func (e *Engine) Finish(ctx context.Context) {
	for !e.settled() {
		select {
		case <-ctx.Done():
			return
		case <-time.After(max(e.opts.VerifyDelay/4, time.Millisecond)):
		}
	}
}

// settled reports whether no confirmation is owed and no round is running,
// which could be writing again what it found undone; a settled engine leaves
// the ones FinishAll waits for. It never waits for the lock: a round may hang
// on Daily for longer than Finish may wait.
func (e *Engine) settled() bool {
	if !e.writeMu.TryLock() {
		return false
	}
	defer e.writeMu.Unlock()
	if len(e.owed) > 0 {
		return false
	}
	owing.Delete(e)
	return true
}
