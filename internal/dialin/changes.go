package dialin

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// ExistsError refuses to create a route whose key is already in the array.
type ExistsError struct {
	Array, Key string
}

func (e *ExistsError) Error() string {
	return fmt.Sprintf("%s already has an entry for %s; import it instead of creating it", e.Array, e.Key)
}

// Create adds a route and fails with *ExistsError if its key is taken by an
// entry that differs from spec. An entry that already holds spec's values is
// taken as it is (hmac and all): typically one an earlier, failed apply
// wrote but could not confirm, and taking it over changes nothing.
func (e *Engine) Create(ctx context.Context, array string, spec RouteSpec) (Entry, error) {
	return e.put(ctx, array, spec, true)
}

// Put creates the route or updates it in place.
func (e *Engine) Put(ctx context.Context, array string, spec RouteSpec) (Entry, error) {
	return e.put(ctx, array, spec, false)
}

func (e *Engine) put(ctx context.Context, array string, spec RouteSpec, mustBeNew bool) (Entry, error) {
	key := spec.Key // spec itself is the change's from here on: pinned under rmw
	entries, err := e.submit(&change{
		ctx:      ctx,
		array:    array,
		describe: array + " " + key,
		mutate: func(current []Entry, mayBeApplied bool) ([]Entry, error) {
			if err := ambiguous(array, current, key); err != nil {
				return nil, err
			}
			i := indexOf(current, spec.Key)
			if i < 0 {
				if removed, ok := e.history.removedEntry(arrayKey{array, spec.Key}); ok {
					return append(slices.Clip(current), spec.apply(&removed)), nil
				}
				return append(slices.Clip(current), spec.apply(nil)), nil
			}
			// After an ambiguous failure the entry found may be our own.
			if mustBeNew && !mayBeApplied && !spec.holdsValues(current[i]) {
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
		pin: func(entries []Entry) {
			if i := indexOf(entries, spec.Key); i >= 0 {
				spec = spec.pinned(entries[i])
			}
		},
		succeeded: func() { e.history.claim(arrayKey{array, key}) },
	})
	if entries == nil {
		return Entry{}, err
	}
	// With an *UndoneError, the change is done but others were undone.
	return entries[indexOf(entries, key)], err
}

// Delete removes the route with key; a route already gone is not an error,
// and neither is one that a Create or Put of this engine has claimed since
// (see keyHistory): that one is left in place.
func (e *Engine) Delete(ctx context.Context, array, key string) error {
	defer e.history.startDelete(arrayKey{array, key})()
	_, err := e.submit(&change{
		ctx:      ctx,
		array:    array,
		describe: array + " " + key,
		isDelete: true,
		mutate: func(current []Entry, _ bool) ([]Entry, error) {
			if err := ambiguous(array, current, key); err != nil {
				return nil, err
			}
			i := indexOf(current, key)
			if i < 0 || e.history.isClaimed(arrayKey{array, key}) {
				return current, nil
			}
			e.history.remove(arrayKey{array, key}, current[i])
			return slices.Delete(slices.Clone(current), i, i+1), nil
		},
		confirmed: func(entries []Entry) bool {
			return e.keptBy(array, key) || indexOf(entries, key) < 0
		},
	})
	return err
}

// ReplaceAll makes the array hold exactly specs. Entries that stay keep their
// place, their unmanaged fields and, unless a spec sets one, their hmac. An
// error of refuse (nil: none), given the array as the write's read found it,
// fails the change before anything is written: so the caller need not read
// the array first to refuse it.
func (e *Engine) ReplaceAll(ctx context.Context, array string, specs []RouteSpec, refuse func(current []Entry) error) ([]Entry, error) {
	specs = slices.Clone(specs) // pinned below
	return e.submit(&change{
		ctx:      ctx,
		array:    array,
		describe: "the whole " + array + " array",
		mutate: func(current []Entry, _ bool) ([]Entry, error) {
			if refuse != nil {
				if err := refuse(current); err != nil {
					return nil, err
				}
			}
			if err := ambiguous(array, current, ""); err != nil {
				return nil, err
			}
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
				} else {
					e.history.remove(arrayKey{array, en.Key()}, en)
				}
			}
			for _, s := range specs {
				switch i, ok := at[s.Key]; {
				case ok:
					next[i] = s.apply(&next[i])
				default:
					// A route a Delete of this walk removed keeps its secret.
					removed, wasRemoved := e.history.removedEntry(arrayKey{array, s.Key})
					if wasRemoved {
						next = append(next, s.apply(&removed))
					} else {
						next = append(next, s.apply(nil))
					}
				}
			}
			return next, nil
		},
		confirmed: func(entries []Entry) bool {
			if len(entries) != len(specs) {
				return false
			}
			byKey := byKey(entries)
			for _, s := range specs {
				if en, ok := byKey[s.Key]; !ok || !s.satisfiedBy(en) {
					return false
				}
			}
			return true
		},
		pin: func(entries []Entry) {
			byKey := byKey(entries)
			for i, s := range specs {
				if en, ok := byKey[s.Key]; ok {
					specs[i] = s.pinned(en)
				}
			}
		},
		// A per-route Delete of this walk leaves the routes it declares: the
		// array changing from per-route resources to this one in one apply.
		succeeded: func() {
			for _, s := range specs {
				e.history.claim(arrayKey{array, s.Key})
			}
		},
	})
}

// RemoveAll empties the array, as destroying its exclusive resource does,
// but for the routes a Create or Put of this walk claimed (see keyHistory):
// the array changing from the exclusive resource to per-route resources in
// one apply, in whichever order Terraform runs the two. What it removes is
// remembered, so that a later Create of the key keeps the route's secret.
func (e *Engine) RemoveAll(ctx context.Context, array string) error {
	_, err := e.submit(&change{
		ctx:      ctx,
		array:    array,
		describe: "the whole " + array + " array",
		isDelete: true,
		mutate: func(current []Entry, _ bool) ([]Entry, error) {
			if err := ambiguous(array, current, ""); err != nil {
				return nil, err
			}
			return slices.DeleteFunc(slices.Clone(current), func(en Entry) bool {
				if e.keptBy(array, en.Key()) {
					return false
				}
				e.history.remove(arrayKey{array, en.Key()}, en)
				return true
			}), nil
		},
		confirmed: func(entries []Entry) bool {
			return !slices.ContainsFunc(entries, func(en Entry) bool { return !e.keptBy(array, en.Key()) })
		},
	})
	return err
}

// keptBy reports whether this walk wrote the route with key in array, as a
// route or (under the shared-store reading, where it shows in the array) as
// a config object.
func (e *Engine) keptBy(array, key string) bool {
	k := arrayKey{array, key}
	return e.history.isClaimed(k) || e.history.hasObject(k)
}

func byKey(entries []Entry) map[string]Entry {
	m := make(map[string]Entry, len(entries))
	for _, en := range entries {
		m[en.Key()] = en
	}
	return m
}

// change is one caller's modification of one array.
type change struct {
	ctx      context.Context
	array    string
	describe string // names the change in messages
	// mutate returns the array with the change made. mayBeApplied is true
	// once a write carrying this change may have reached Daily.
	mutate func(current []Entry, mayBeApplied bool) ([]Entry, error)
	// confirmed reports whether entries hold everything the change decided.
	confirmed func(entries []Entry) bool
	// pin, if set, decides from Daily's answer what the change left to
	// Daily (see RouteSpec.pinned). Called under rmw.
	pin func(entries []Entry)
	// succeeded, if set, runs under rmw when Daily's answer holds the change.
	succeeded func()
	// isDelete changes go first in their batch, so that a route removed at
	// one address and created at another in the same batch keeps its entry.
	isDelete     bool
	mayBeApplied bool
	// reapplies counts how often a later read found the change undone.
	reapplies int
	arrived   time.Time // when the batcher queued it
	done      chan outcome

	// obj is set for a change of a config object (objects.go), which has
	// none of the array fields above but array (its type) and describe.
	obj *objectChange

	// Guarded by the engine's mu (see callers.go).
	delivered bool    // the caller has its outcome
	answer    []Entry // the array as Daily last showed it holding the change
	failure   error   // why the change failed, if it did
}

type outcome struct {
	entries []Entry
	object  client.DialinConfig
	err     error
}

// submit runs c, batched with concurrent changes unless batching is off, and
// returns the array as Daily holds it with c made.
func (e *Engine) submit(c *change) ([]Entry, error) {
	c.done = make(chan outcome, 1)
	e.arrive()
	if e.batches == nil {
		e.runBatch([]*change{c}, nil)
	} else {
		e.batches.add(c)
	}
	select {
	case out := <-c.done:
		return out.entries, out.err
	case <-c.ctx.Done():
		if e.batches != nil && e.batches.withdraw(c) {
			e.withdrawn(c)
			return nil, c.ctx.Err()
		}
		// Already in a write: wait, so the caller learns what happened.
		out := <-c.done
		return out.entries, out.err
	}
}
