package dialin

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// numbersPerRead bounds the numbers one confirming listing asks for.
const numbersPerRead = 50

// ObjectGoneError fails a created or updated config object that a later
// read found deleted: another writer removed it (under the reading where
// objects are the arrays' entries, an array write that left it out). It is
// not made again: a new object would have an id the caller never heard of.
type ObjectGoneError struct {
	Change string
}

func (e *ObjectGoneError) Error() string {
	return "another writer deleted " + e.Change + " after this run wrote it"
}

// confirmObjects reads the config objects whose writes are due for their
// confirming read, settles them, and writes again those found undone.
// Called under rmw.
func (e *Engine) confirmObjects(ctx context.Context) {
	due := e.dueChanges(isObjectChange)
	if len(due) == 0 {
		return
	}
	readAt := time.Now()
	present, err := e.readObjects(ctx, due)
	if err != nil {
		e.countFailedRead(isObjectChange)
		return
	}
	for _, c := range e.recheckObjects(present, readAt) {
		obj, err := e.repairObject(ctx, c.obj, present[c.obj.id])
		if err != nil {
			e.fail(c, err)
			continue
		}
		e.objectAnswered(c, obj, time.Now())
	}
}

func isObjectChange(c *change) bool { return c.obj != nil }

// dueChanges are the pending confirmations of kind that are due.
func (e *Engine) dueChanges(kind func(*change) bool) []*change {
	e.mu.Lock()
	defer e.mu.Unlock()
	var due []*change
	for _, p := range e.unconfirmed {
		if kind(p.change) && !time.Now().Before(e.dueAt(p)) {
			due = append(due, p.change)
		}
	}
	return due
}

// readObjects returns, by id, the objects of changes that Daily holds:
// numbered ones listed by their numbers, a few at a time, and any other (a
// SIP-only object, or one no longer holding its number) by its id.
func (e *Engine) readObjects(ctx context.Context, changes []*change) (map[string]client.DialinConfig, error) {
	present := map[string]client.DialinConfig{}
	var numbers []string
	for _, c := range changes {
		if number, _ := SplitKey(c.obj.spec.Key); number != "" && !slices.Contains(numbers, number) {
			numbers = append(numbers, number)
		}
	}
	for chunk := range slices.Chunk(numbers, numbersPerRead) {
		found, err := e.backend.ListDialinConfigs(ctx, client.DialinConfigFilter{PhoneNumbers: chunk})
		if err != nil {
			return nil, err
		}
		for _, o := range found {
			present[o.ID] = o
		}
	}
	for _, c := range changes {
		if _, listed := present[c.obj.id]; listed {
			continue
		}
		o, err := e.backend.GetDialinConfig(ctx, c.obj.id)
		switch {
		case client.IsNotFound(err):
		case err != nil:
			return nil, err
		default:
			present[o.ID] = *o
		}
	}
	return present, nil
}

// recheckObjects settles the object confirmations that a read started at
// readAt, which found present, can give, and returns the changes to write
// again. Called under rmw.
func (e *Engine) recheckObjects(present map[string]client.DialinConfig, readAt time.Time) []*change {
	e.mu.Lock()
	defer e.mu.Unlock()
	var again []*change
	e.unconfirmed = slices.DeleteFunc(e.unconfirmed, func(p pendingConfirmation) bool {
		c := p.change
		if c.obj == nil || readAt.Before(e.dueAt(p)) {
			return false
		}
		o, exists := present[c.obj.id]
		switch {
		case c.obj.op == deleteObject && !exists:
			return true
		case c.obj.op != deleteObject && exists && c.obj.spec.satisfiedBy(entryOf(o)):
			c.obj.answer = o
			return true
		}
		e.contested = true
		switch {
		case c.obj.op != deleteObject && !exists:
			e.failLocked(c, &ObjectGoneError{Change: c.describe})
		case p.tries+1 >= e.opts.MaxAttempts:
			e.failLocked(c, &KeptUndoingError{Change: c.describe, Times: p.tries + 1})
		default:
			c.reapplies = p.tries + 1
			e.repairing[c] = true
			again = append(again, c)
		}
		return true
	})
	e.releaseHeld()
	return again
}

// repairObject writes oc again over the object as it was found (current).
func (e *Engine) repairObject(ctx context.Context, oc *objectChange, current client.DialinConfig) (client.DialinConfig, error) {
	if oc.op == deleteObject {
		if err := e.backend.DeleteDialinConfig(ctx, oc.id); err != nil && !client.IsNotFound(err) {
			return client.DialinConfig{}, fmt.Errorf("deleting %s again: %w", oc.describe(), err)
		}
		return client.DialinConfig{}, nil
	}
	return e.putObject(ctx, oc, current)
}
