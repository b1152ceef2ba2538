package dialin

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// Backend is the remote domain config; *client.Client implements it.
type Backend interface {
	GetDomain(ctx context.Context) (*client.Domain, error)
	SetDialinArrays(ctx context.Context, arrays map[string][]json.RawMessage) (*client.Domain, error)
}

// Arrays are the dial-in arrays this engine manages.
var Arrays = []string{client.PinlessDialin, client.PinDialin}

// Options tune an Engine. Zero values get the defaults below, except
// BatchWindow.
type Options struct {
	// BatchWindow is how long calls that arrive close together are gathered
	// into one batch (see gatherer). Zero or less turns batching off: every
	// change and every read makes its own calls (benchmarks only).
	// DefaultBatchWindow is the value to use unless told otherwise.
	BatchWindow time.Duration
	// VerifyDelay is the pause between a write and the read that confirms it
	// (negative: no pause).
	// Another writer that read the array before our write has usually written
	// by then, so an entry it dropped is seen missing and written again.
	VerifyDelay time.Duration
	// MaxAttempts bounds the read-modify-write rounds of one change, counting
	// retries after failures and re-applies after a concurrent overwrite.
	MaxAttempts int
	// RetryBackoff is the first pause between rounds; it doubles each round.
	RetryBackoff time.Duration
	// ReadMaxAge is how long Daily's last answer serves reads (see
	// readSharer); negative: every read gathers a GET of its own.
	ReadMaxAge time.Duration
	// LogContext carries the logger for work no caller waits for, the
	// confirming reads; nil: context.Background().
	LogContext context.Context
}

// Defaults for Options.
const (
	DefaultBatchWindow  = 100 * time.Millisecond
	DefaultVerifyDelay  = 200 * time.Millisecond
	DefaultMaxAttempts  = 8
	DefaultRetryBackoff = 250 * time.Millisecond
	DefaultReadMaxAge   = 30 * time.Second
	maxRetryBackoff     = 5 * time.Second
)

// Engine serializes and batches the dial-in changes of one domain. Create one
// per provider configuration: Daily offers no compare-and-set, so only writes
// that go through the same Engine are safe from each other by construction;
// verify-after-write shrinks the window for all others.
//
// Changes go to a writeBatcher, which hands whole batches to write (round.go)
// one at a time; reads go to a readSharer. Both are nil when batching is off.
//
// An Engine lives for one Terraform walk (the provider is configured anew for
// each), in which one route may be destroyed at one address and created at
// another (a renamed for_each key) in either order. The engine nets the two:
// see keyHistory.
type Engine struct {
	backend Backend
	opts    Options
	writeMu sync.Mutex // one read-modify-write of the domain at a time
	history keyHistory // guarded by writeMu
	writes  *writeBatcher
	reads   *readSharer
	// domainID is the id of the domain in Daily's last answer.
	domainID atomic.Value

	// Confirmations owed (confirm.go), guarded by writeMu.
	owed         []owed
	confirmTimer *time.Timer
}

// New returns an Engine writing through backend.
func New(backend Backend, opts Options) *Engine {
	if opts.VerifyDelay == 0 {
		opts.VerifyDelay = DefaultVerifyDelay
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	if opts.RetryBackoff <= 0 {
		opts.RetryBackoff = DefaultRetryBackoff
	}
	if opts.ReadMaxAge == 0 {
		opts.ReadMaxAge = DefaultReadMaxAge
	}
	if opts.LogContext == nil {
		opts.LogContext = context.Background()
	}
	e := &Engine{backend: backend, opts: opts, history: newKeyHistory()}
	if opts.BatchWindow > 0 {
		gather := gatherer{window: opts.BatchWindow}
		e.writes = &writeBatcher{gather: gather, write: e.writeBatch}
		e.reads = &readSharer{gather: gather, get: e.get, maxAge: opts.ReadMaxAge}
	}
	return e
}

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

// Entries returns the array as Daily holds it. Reads that arrive close
// together share a single GET.
func (e *Engine) Entries(ctx context.Context, array string) ([]Entry, error) {
	read := e.get
	if e.reads != nil {
		read = e.reads.read
	}
	snap, err := read(ctx)
	return snap[array], err
}

// change is one caller's modification of one array.
type change struct {
	ctx   context.Context
	array string
	// mutate returns the array with the change made. mayBeApplied is true
	// once a write carrying this change may have reached Daily.
	mutate    func(current []Entry, mayBeApplied bool) ([]Entry, error)
	confirmed func(entries []Entry) bool
	// succeeded, if set, runs under the write lock when the change is confirmed.
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
	if e.writes == nil {
		e.writeBatch([]*change{c})
	} else {
		e.writes.add(c)
	}
	select {
	case out := <-c.done:
		return out.entries, out.err
	case <-c.ctx.Done():
		if e.writes != nil && e.writes.withdraw(c) {
			return nil, c.ctx.Err()
		}
		// Already in a write: wait, so the caller learns what happened.
		out := <-c.done
		return out.entries, out.err
	}
}

func (e *Engine) get(ctx context.Context) (snapshot, error) {
	sent := time.Now()
	dom, err := e.backend.GetDomain(ctx)
	if err != nil {
		return nil, err
	}
	return e.snapshotOf(dom, sent)
}

// snapshotOf parses an answer of Daily's, notes its domain id and keeps it
// for later reads. since is the time from which the answer surely reflects
// every change: when a GET was sent, or when a write was answered.
func (e *Engine) snapshotOf(dom *client.Domain, since time.Time) (snapshot, error) {
	if dom.DomainID != "" {
		e.domainID.Store(dom.DomainID)
	}
	snap, err := snapshotOf(dom)
	if err == nil && e.reads != nil {
		e.reads.remember(snap, since)
	}
	return snap, err
}

// DomainID is the id of the domain whose arrays the engine read or wrote
// last; before the first answer it reads the domain (through the shared reads).
func (e *Engine) DomainID(ctx context.Context) (string, error) {
	if id, _ := e.domainID.Load().(string); id != "" {
		return id, nil
	}
	if _, err := e.Entries(ctx, client.PinlessDialin); err != nil {
		return "", err
	}
	id, _ := e.domainID.Load().(string)
	return id, nil
}
