package dialin

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// When a caller gets its outcome.
//
// Daily's answer to a write holds the change, and a read at least
// VerifyDelay later confirms it again (confirm.go): a writer that read the
// array before our write and wrote its copy after has usually written by
// then, and whatever it undid is written again. Whoever is still waiting
// must hear of a change undone, so:
//
//   - A caller returns on Daily's answer, so that Terraform goes on with its
//     next resources, but never the last caller while confirmations are
//     due: that one (the sentinel) is held until they are done, or until a
//     new caller arrives to take its place. The last change of an apply is
//     thus confirmed before Terraform hears it is done.
//   - Once any read has found a change undone (the engine is contested:
//     another writer is at work), every caller waits for its own change's
//     confirming read.
//   - A change undone MaxAttempts times fails: its caller gets an error
//     naming it, or, if that caller has returned already, the next caller
//     to get an outcome does (normally the sentinel).
//
// A change's outcome, once known, is kept on it (answer or failure) and the
// caller is held until releaseHeld lets it go. All of it is guarded by
// Engine.mu.

// arrive counts a new caller, who takes the sentinel's place: a held caller
// that waits for no confirmation of its own (or, before any conflict, for
// none at all) returns now.
func (e *Engine) arrive() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.waiting++
	for _, c := range slices.Clone(e.held) {
		if c.failure != nil || !e.contested || !e.awaitsRead(c) {
			e.deliverLocked(c)
		}
	}
}

// withdrawn gives a caller that gave up before its change was written its
// context's error.
func (e *Engine) withdrawn(c *change) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c.failure = c.ctx.Err()
	e.deliverLocked(c)
}

// deliverLocked gives c's caller its outcome, once, with the failures of
// changes whose callers had returned (lost), if any.
func (e *Engine) deliverLocked(c *change) {
	if c.delivered {
		return
	}
	out := outcome{entries: c.answer, err: c.failure}
	if c.obj != nil {
		out.object = c.obj.answer
	}
	if out.err != nil {
		out.entries, out.object = nil, client.DialinConfig{}
	}
	if len(e.lost) > 0 {
		out.err = &UndoneError{Others: e.lost, Err: out.err}
		e.lost = nil
	}
	c.delivered = true
	e.waiting--
	e.held = slices.DeleteFunc(e.held, func(h *change) bool { return h == c })
	c.done <- out
}

// hold keeps c's caller until releaseHeld lets it go.
func (e *Engine) hold(c *change) {
	if !c.delivered && !slices.Contains(e.held, c) {
		e.held = append(e.held, c)
	}
}

// fail finishes c with err (see failLocked).
func (e *Engine) fail(c *change, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.failLocked(c, err)
	e.releaseHeld()
}

// failLocked records that c failed with err: for its caller, or, once that
// caller has returned, for the next caller to get an outcome.
func (e *Engine) failLocked(c *change, err error) {
	delete(e.repairing, c)
	if c.delivered {
		e.lost = append(e.lost, fmt.Sprintf("%s: %v", c.describe, err))
		return
	}
	c.failure = err
	e.hold(c)
}

// failAll fails every change of changes with err.
func (e *Engine) failAll(changes []*change, err error) {
	for _, c := range changes {
		e.fail(c, err)
	}
}

// answered settles changes against snap, which Daily answered at at to a
// write made for them (written), or which a read made at at showed already
// holding them. It returns the changes snap does not hold. The others are
// pinned, claimed, owed a confirming read if a write carrying them may have
// landed, and their callers held or let go (see above). Called under rmw.
func (e *Engine) answered(changes []*change, snap snapshot, at time.Time, written bool) (undone []*change) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, deletes := range []bool{false, true} { // deletes last: see keyHistory
		for _, c := range changes {
			entries := snap.arrays[c.array]
			switch {
			case c.isDelete != deletes:
			case !c.confirmed(entries):
				undone = append(undone, c)
			default:
				if c.pin != nil {
					c.pin(entries)
				}
				if c.succeeded != nil {
					c.succeeded()
				}
				c.answer = entries
				delete(e.repairing, c)
				if written || c.mayBeApplied {
					e.unconfirmed = append(e.unconfirmed, pendingConfirmation{change: c, answered: at, tries: c.reapplies})
				}
				e.hold(c)
			}
		}
	}
	e.releaseHeld()
	e.armConfirm()
	return undone
}

// awaitsRead reports whether c's confirming read is still to come.
func (e *Engine) awaitsRead(c *change) bool {
	return e.repairing[c] || slices.ContainsFunc(e.unconfirmed, func(p pendingConfirmation) bool { return p.change == c })
}

// confirming reports whether some write of this engine is not confirmed yet.
func (e *Engine) confirming() bool {
	return len(e.unconfirmed) > 0 || len(e.repairing) > 0
}

// releaseHeld lets go of the held callers that may return, keeping the
// sentinel while confirmations are due.
func (e *Engine) releaseHeld() {
	for _, c := range slices.Clone(e.held) {
		if c.failure == nil && e.contested && e.awaitsRead(c) {
			continue // waits for its own confirmation
		}
		if e.confirming() && e.waiting == 1 {
			continue // the sentinel
		}
		e.deliverLocked(c)
	}
}

// UndoneError reports changes of this run that failed after their callers
// had returned (another writer kept undoing them), to a caller returning
// later. Err is that caller's own failure, nil if its own change is done.
type UndoneError struct {
	Others []string
	Err    error
}

func (e *UndoneError) Error() string {
	msg := "changes made earlier in this run failed after they were reported done: " + strings.Join(e.Others, "; ")
	if e.Err == nil {
		return "this change is done, but " + msg
	}
	return e.Err.Error() + "; also, " + msg
}

func (e *UndoneError) Unwrap() error { return e.Err }
