package dialin

import (
	"context"
	"fmt"
	"slices"
)

// ExistsError refuses to create a route whose key is already in the array.
type ExistsError struct {
	Array, Key string
}

func (e *ExistsError) Error() string {
	return fmt.Sprintf("%s already has an entry for %s; import it instead of creating it", e.Array, e.Key)
}

// Create adds a route and fails with *ExistsError if its key is taken by an
// entry that differs from spec. An entry that already matches spec is taken
// as it is (hmac and all): typically one an earlier, failed apply wrote but
// could not confirm, and taking it over changes nothing.
func (e *Engine) Create(ctx context.Context, array string, spec RouteSpec) (Entry, error) {
	return e.put(ctx, array, spec, true)
}

// Put creates the route or updates it in place.
func (e *Engine) Put(ctx context.Context, array string, spec RouteSpec) (Entry, error) {
	return e.put(ctx, array, spec, false)
}

func (e *Engine) put(ctx context.Context, array string, spec RouteSpec, mustBeNew bool) (Entry, error) {
	entries, err := e.submit(&change{
		ctx:   ctx,
		array: array,
		mutate: func(current []Entry, mayBeApplied bool) ([]Entry, error) {
			i := indexOf(current, spec.Key)
			if i < 0 {
				if removed, ok := e.history.removed[arrayKey{array, spec.Key}]; ok {
					return append(slices.Clip(current), spec.apply(&removed)), nil
				}
				return append(slices.Clip(current), spec.apply(nil)), nil
			}
			// After an ambiguous failure the entry found may be our own.
			if mustBeNew && !mayBeApplied && !spec.satisfiedBy(current[i]) {
				return nil, &ExistsError{Array: array, Key: spec.Key}
			}
			next := slices.Clone(current)
			next[i] = spec.apply(&current[i])
			return next, nil
		},
		confirmed: func(entries []Entry) bool {
			i := indexOf(entries, spec.Key)
			return i >= 0 && spec.satisfiedBy(entries[i])
		},
		succeeded: func() { e.history.claimed[arrayKey{array, spec.Key}] = true },
	})
	if err != nil {
		return Entry{}, err
	}
	return entries[indexOf(entries, spec.Key)], nil
}

// Delete removes the route with key; a route already gone is not an error,
// and neither is one that a Create or Put of this engine has claimed since
// (see keyHistory): that one is left in place.
func (e *Engine) Delete(ctx context.Context, array, key string) error {
	_, err := e.submit(&change{
		ctx:      ctx,
		array:    array,
		isDelete: true,
		mutate: func(current []Entry, _ bool) ([]Entry, error) {
			i := indexOf(current, key)
			if i < 0 || e.history.claimed[arrayKey{array, key}] {
				return current, nil
			}
			e.history.removed[arrayKey{array, key}] = current[i]
			return slices.Delete(slices.Clone(current), i, i+1), nil
		},
		confirmed: func(entries []Entry) bool {
			return e.history.claimed[arrayKey{array, key}] || indexOf(entries, key) < 0
		},
	})
	return err
}

// ReplaceAll makes the array hold exactly specs. Entries that stay keep their
// place, their unmanaged fields and, unless a spec sets one, their hmac.
func (e *Engine) ReplaceAll(ctx context.Context, array string, specs []RouteSpec) ([]Entry, error) {
	return e.submit(&change{
		ctx:       ctx,
		array:     array,
		exclusive: true,
		mutate: func(current []Entry, _ bool) ([]Entry, error) {
			wanted := make(map[string]bool, len(specs))
			for _, s := range specs {
				wanted[s.Key] = true
			}
			next := make([]Entry, 0, len(specs))
			at := make(map[string]int, len(specs)) // key → index in next
			for _, en := range current {
				if wanted[en.Key()] {
					at[en.Key()] = len(next)
					next = append(next, en)
				}
			}
			for _, s := range specs {
				if i, ok := at[s.Key]; ok {
					next[i] = s.apply(&next[i])
				} else {
					next = append(next, s.apply(nil))
				}
			}
			return next, nil
		},
		confirmed: func(entries []Entry) bool {
			if len(entries) != len(specs) {
				return false
			}
			byKey := make(map[string]Entry, len(entries))
			for _, en := range entries {
				byKey[en.Key()] = en
			}
			for _, s := range specs {
				if en, ok := byKey[s.Key]; !ok || !s.satisfiedBy(en) {
					return false
				}
			}
			return true
		},
	})
}

// change is one caller's modification of one array.
type change struct {
	ctx   context.Context
	array string
	// mutate returns the array with the change made. mayBeApplied is true
	// once a write carrying this change may have reached Daily.
	mutate    func(current []Entry, mayBeApplied bool) ([]Entry, error)
	confirmed func(entries []Entry) bool
	// succeeded, if set, runs under the rmw lock when the change is confirmed.
	succeeded func()
	// exclusive changes own the whole array: they would overwrite any other
	// writer anyway, so Daily's answer to the write confirms them, without
	// the confirming re-read that guards changes living beside other writers.
	exclusive bool
	// isDelete changes go first in their batch, so that a route removed at
	// one address and created at another in the same batch keeps its entry.
	isDelete     bool
	mayBeApplied bool
	// reapplies counts how often a later read found the change undone.
	reapplies int
	done      chan outcome
}

type outcome struct {
	entries []Entry
	err     error
}

func (c *change) finish(entries []Entry, err error) {
	c.done <- outcome{entries: entries, err: err}
}

// succeed finishes a change that entries, the array as Daily holds it, confirm.
func (c *change) succeed(entries []Entry) {
	if c.succeeded != nil {
		c.succeeded()
	}
	c.finish(entries, nil)
}

// submit runs c, batched with concurrent changes unless batching is off, and
// returns the array as Daily holds it once c is confirmed.
func (e *Engine) submit(c *change) ([]Entry, error) {
	c.done = make(chan outcome, 1)
	if e.batches == nil {
		e.runBatch([]*change{c})
	} else {
		e.batches.add(c)
	}
	select {
	case out := <-c.done:
		return out.entries, out.err
	case <-c.ctx.Done():
		if e.batches != nil && e.batches.withdraw(c) {
			return nil, c.ctx.Err()
		}
		// Already in a write: wait, so the caller learns what happened.
		out := <-c.done
		return out.entries, out.err
	}
}
