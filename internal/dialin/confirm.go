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

// owing holds the engines of this process that owe confirmations, for FinishAll.
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
	reads    int       // confirming reads that failed, or re-applies
}

// owe records c as written at answered. Called under writeMu.
func (e *Engine) owe(ctx context.Context, c *change, answered time.Time) {
	e.owed = append(e.owed, owed{change: c, answered: answered, reads: c.reapplies})
	e.confirmCtx = context.WithoutCancel(ctx)
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
		case o.reads+1 >= e.opts.MaxAttempts:
			return true // another writer keeps undoing it: the next plan shows the drift
		}
		again = append(again, o.change.reapply(o.reads+1))
		return true
	})
	if len(e.owed) == 0 {
		owing.Delete(e)
	}
	return again
}

// reapply is c again, with no caller waiting for it.
func (c *change) reapply(reads int) *change {
	again := *c
	again.done = make(chan outcome, 1)
	again.mayBeApplied = true
	again.reapplies = reads
	return &again
}

// armConfirm makes sure a confirming read happens when the oldest owed
// confirmation is due, unless a round reads before. Called under writeMu.
func (e *Engine) armConfirm() {
	if len(e.owed) == 0 {
		owing.Delete(e)
		return
	}
	if e.confirmTimer != nil {
		return
	}
	due := time.Until(e.owed[0].answered.Add(e.opts.VerifyDelay))
	e.confirmTimer = time.AfterFunc(max(due, 0), e.confirmDue)
}

// confirmDue reads the domain for the confirmations that are due, if no
// round did meanwhile.
func (e *Engine) confirmDue() {
	e.writeMu.Lock()
	defer e.writeMu.Unlock()
	e.confirmTimer = nil
	if len(e.owed) > 0 && time.Since(e.owed[0].answered) >= e.opts.VerifyDelay {
		e.write(e.confirmCtx, nil)
		for i := range e.owed {
			if time.Since(e.owed[i].answered) >= e.opts.VerifyDelay {
				e.owed[i].reads++ // the read failed, or wrote the change again
			}
		}
		e.owed = slices.DeleteFunc(e.owed, func(o owed) bool { return o.reads >= e.opts.MaxAttempts })
	}
	e.armConfirm()
}

// Finish waits until every write is confirmed by a later read, or ctx is
// done. A provider calls it when Terraform stops it, right after the last
// change of an apply.
func (e *Engine) Finish(ctx context.Context) {
	for {
		e.writeMu.Lock()
		pending := len(e.owed)
		e.writeMu.Unlock()
		if pending == 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(e.opts.VerifyDelay / 4):
		}
	}
}
