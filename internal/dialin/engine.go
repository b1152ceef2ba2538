package dialin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
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

// Options tune an Engine. Zero values get the defaults below.
type Options struct {
	// BatchWindow is the quiet time that closes a batch: a write (or a shared
	// GET) starts once nothing has joined for this long and the batch is as
	// large as the previous one, or after three quiet windows, or at the
	// latest after maxGatherWindows windows. Terraform keeps a steady number
	// of calls in flight, so the next burst is about as large as the last
	// batch; waiting for it keeps a burst together even on a busy machine,
	// where its calls arrive spread out. Zero or less turns
	// batching off: every change and read makes its own calls (benchmarks only).
	// Unlike the other options it gets no default.
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
}

// Defaults for Options.
const (
	DefaultBatchWindow  = 100 * time.Millisecond
	DefaultVerifyDelay  = 200 * time.Millisecond
	DefaultMaxAttempts  = 8
	DefaultRetryBackoff = 250 * time.Millisecond
	maxRetryBackoff     = 5 * time.Second
	maxGatherWindows    = 10
)

// Engine serializes and batches the dial-in changes of one domain. Create one
// per provider configuration: Daily offers no compare-and-set, so only writes
// that go through the same Engine are safe from each other by construction;
// verify-after-write shrinks the window for all others.
type Engine struct {
	backend Backend
	opts    Options

	writeMu sync.Mutex // one read-modify-write of the domain at a time

	queueMu       sync.Mutex
	queue         []*change
	lastArrival   time.Time
	lastBatchSize int
	flushing      bool

	readMu        sync.Mutex
	nextRead      *readCall
	lastReadsSize int
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
	return &Engine{backend: backend, opts: opts}
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
	})
	if err != nil {
		return Entry{}, err
	}
	return entries[indexOf(entries, spec.Key)], nil
}

// Delete removes the route with key; a route already gone is not an error.
func (e *Engine) Delete(ctx context.Context, array, key string) error {
	_, err := e.submit(&change{
		ctx:   ctx,
		array: array,
		mutate: func(current []Entry, _ bool) ([]Entry, error) {
			return slices.DeleteFunc(slices.Clone(current), func(en Entry) bool { return en.Key() == key }), nil
		},
		confirmed: func(entries []Entry) bool { return indexOf(entries, key) < 0 },
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
			next := make([]Entry, 0, len(specs))
			wanted := map[string]bool{}
			for _, s := range specs {
				wanted[s.Key] = true
			}
			for _, en := range current {
				if wanted[en.Key()] {
					next = append(next, en)
				}
			}
			for _, s := range specs {
				if i := indexOf(next, s.Key); i >= 0 {
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
			for _, s := range specs {
				if i := indexOf(entries, s.Key); i < 0 || !s.satisfiedBy(entries[i]) {
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
	// exclusive changes own the whole array: they would overwrite any other
	// writer anyway, so Daily's answer to the write confirms them, without
	// the confirming re-read that guards changes living beside other writers.
	exclusive    bool
	mayBeApplied bool
	done         chan outcome
}

type outcome struct {
	entries []Entry
	err     error
}

func (c *change) finish(entries []Entry, err error) {
	c.done <- outcome{entries: entries, err: err}
}

// submit runs c, batched with concurrent changes unless batching is off, and
// returns the array as Daily holds it once c is confirmed.
func (e *Engine) submit(c *change) ([]Entry, error) {
	c.done = make(chan outcome, 1)
	if e.opts.BatchWindow <= 0 {
		e.writeMu.Lock()
		e.write(context.WithoutCancel(c.ctx), []*change{c})
		e.writeMu.Unlock()
	} else {
		e.queueMu.Lock()
		e.queue = append(e.queue, c)
		e.lastArrival = time.Now()
		if !e.flushing {
			e.flushing = true
			go e.flushLoop()
		}
		e.queueMu.Unlock()
	}
	select {
	case out := <-c.done:
		return out.entries, out.err
	case <-c.ctx.Done():
		if e.withdraw(c) {
			return nil, c.ctx.Err()
		}
		// Already in a write: wait, so the caller learns what happened.
		out := <-c.done
		return out.entries, out.err
	}
}

func (e *Engine) withdraw(c *change) bool {
	e.queueMu.Lock()
	defer e.queueMu.Unlock()
	i := slices.Index(e.queue, c)
	if i < 0 {
		return false
	}
	e.queue = slices.Delete(e.queue, i, i+1)
	return true
}

// flushLoop writes queued changes in batches until none are left. Changes
// that arrive while a batch is being written go into the next one.
func (e *Engine) flushLoop() {
	for {
		e.queueMu.Lock()
		e.waitForBatch(&e.queueMu, func() (time.Time, bool) { return e.lastArrival, len(e.queue) >= e.lastBatchSize })
		batch := e.queue
		e.queue = nil
		if len(batch) == 0 {
			e.flushing = false
			e.queueMu.Unlock()
			return
		}
		e.lastBatchSize = len(batch)
		e.queueMu.Unlock()

		e.writeMu.Lock()
		// The batch outlives any one caller; its first caller's context still
		// carries the provider's logger.
		e.write(context.WithoutCancel(batch[0].ctx), batch)
		e.writeMu.Unlock()
	}
}

// write applies batch in rounds of one GET and one POST until every change
// is confirmed or has failed, and delivers each change's own outcome.
func (e *Engine) write(ctx context.Context, batch []*change) {
	for attempt := 1; ; attempt++ {
		remaining, rejected, err := e.round(ctx, batch)
		switch {
		case len(remaining) == 0:
			return
		case rejected && len(remaining) > 1:
			// Daily refused the combined write: find out whose change it was.
			for _, c := range remaining {
				e.write(ctx, []*change{c})
			}
			return
		case err != nil && !client.IsRetryable(err):
			finishAll(remaining, err)
			return
		case attempt >= e.opts.MaxAttempts:
			if err == nil {
				err = errors.New("another writer kept overwriting the array")
			}
			finishAll(remaining, fmt.Errorf("dial-in change not confirmed after %d attempts: %w", attempt, err))
			return
		}
		batch = remaining
		e.sleep(ctx, e.backoff(attempt))
	}
}

// round makes one read-modify-write for batch. It returns the changes still
// unfinished: all of them when err is set (rejected means Daily refused the
// POST itself), otherwise those a concurrent writer undid.
func (e *Engine) round(ctx context.Context, batch []*change) (remaining []*change, rejected bool, err error) {
	before, err := e.get(ctx)
	if err != nil {
		return batch, false, err
	}
	after := before.clone()
	live := make([]*change, 0, len(batch))
	for _, c := range batch {
		next, err := c.mutate(after[c.array], c.mayBeApplied)
		if err != nil {
			c.finish(nil, err)
			continue
		}
		after[c.array] = next
		live = append(live, c)
	}
	if len(live) == 0 {
		return nil, false, nil
	}

	changed := after.changedSince(before)
	if len(changed) == 0 {
		return e.settle(live, after), false, nil
	}
	dom, err := e.backend.SetDialinArrays(ctx, changed)
	if err != nil {
		if !client.IsRetryable(err) {
			return live, true, err
		}
		// A failure after sending may still have been applied.
		for _, c := range live {
			c.mayBeApplied = true
		}
		return live, false, err
	}
	for _, c := range live {
		c.mayBeApplied = true
	}
	written, err := snapshotOf(dom)
	if err != nil {
		return live, false, err
	}
	var inWrite, missing []*change
	reread := false
	for _, c := range live {
		if c.confirmed(written[c.array]) {
			inWrite = append(inWrite, c)
			reread = reread || !c.exclusive
		} else {
			missing = append(missing, c)
		}
	}
	if !reread {
		return append(missing, e.settle(inWrite, written)...), false, nil
	}

	// Re-read after a pause: a writer that read before our POST and wrote
	// after it has dropped our entries by now, and we write them again.
	e.sleep(ctx, e.opts.VerifyDelay)
	confirming, err := e.get(ctx)
	if err != nil {
		return live, false, err
	}
	return append(missing, e.settle(inWrite, confirming)...), false, nil
}

// settle finishes the changes confirmed in snap and returns the others.
func (e *Engine) settle(changes []*change, snap snapshot) []*change {
	var unconfirmed []*change
	for _, c := range changes {
		if c.confirmed(snap[c.array]) {
			c.finish(snap[c.array], nil)
		} else {
			unconfirmed = append(unconfirmed, c)
		}
	}
	return unconfirmed
}

func finishAll(changes []*change, err error) {
	for _, c := range changes {
		c.finish(nil, err)
	}
}

func (e *Engine) backoff(attempt int) time.Duration {
	d := e.opts.RetryBackoff << (attempt - 1)
	if d > maxRetryBackoff || d <= 0 {
		d = maxRetryBackoff
	}
	// Half fixed, half jitter: two processes retrying the same conflict drift apart.
	return d/2 + rand.N(d/2+1)
}

func (e *Engine) sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

func (e *Engine) get(ctx context.Context) (snapshot, error) {
	dom, err := e.backend.GetDomain(ctx)
	if err != nil {
		return nil, err
	}
	return snapshotOf(dom)
}

// Entries returns the array as Daily holds it. Reads that arrive within one
// batch window share a single GET.
func (e *Engine) Entries(ctx context.Context, array string) ([]Entry, error) {
	if e.opts.BatchWindow <= 0 {
		snap, err := e.get(ctx)
		return snap[array], err
	}
	e.readMu.Lock()
	call := e.nextRead
	if call == nil {
		call = &readCall{done: make(chan struct{})}
		e.nextRead = call
		go e.runRead(context.WithoutCancel(ctx), call)
	}
	call.readers++
	call.lastJoined = time.Now()
	e.readMu.Unlock()
	select {
	case <-call.done:
		return call.snap[array], call.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type readCall struct {
	done       chan struct{}
	readers    int
	lastJoined time.Time
	snap       snapshot
	err        error
}

func (e *Engine) runRead(ctx context.Context, call *readCall) {
	e.readMu.Lock()
	e.waitForBatch(&e.readMu, func() (time.Time, bool) { return call.lastJoined, call.readers >= e.lastReadsSize })
	// Readers arriving from now on need a GET that starts after they arrived.
	e.nextRead = nil
	e.lastReadsSize = call.readers
	e.readMu.Unlock()
	call.snap, call.err = e.get(ctx)
	close(call.done)
}

// waitForBatch returns, with mu held as on entry, when the batch described
// by state (its last join, and whether it is as large as the previous batch)
// should be sent; see Options.BatchWindow.
func (e *Engine) waitForBatch(mu *sync.Mutex, state func() (lastJoin time.Time, full bool)) {
	window := e.opts.BatchWindow
	deadline := time.Now().Add(maxGatherWindows * window)
	for time.Now().Before(deadline) {
		lastJoin, full := state()
		quiet := time.Since(lastJoin)
		if quiet >= 3*window || (quiet >= window && full) {
			return
		}
		wait := window - quiet
		if wait <= 0 {
			wait = window / 4 // quiet but short of a full batch: look again soon
		}
		mu.Unlock()
		time.Sleep(min(wait, time.Until(deadline)+time.Millisecond))
		mu.Lock()
	}
}

// snapshot holds the parsed dial-in arrays of one domain read.
type snapshot map[string][]Entry

func snapshotOf(dom *client.Domain) (snapshot, error) {
	snap := snapshot{}
	for _, array := range Arrays {
		raws, err := dom.DialinEntries(array)
		if err != nil {
			return nil, err
		}
		entries := make([]Entry, 0, len(raws))
		for _, raw := range raws {
			en, err := parseEntry(raw)
			if err != nil {
				return nil, &client.DecodeError{What: array, Err: err}
			}
			entries = append(entries, en)
		}
		snap[array] = entries
	}
	return snap, nil
}

func (s snapshot) clone() snapshot {
	c := make(snapshot, len(s))
	for k, v := range s {
		c[k] = slices.Clip(v)
	}
	return c
}

// changedSince returns, ready to send, the arrays that differ from before.
func (s snapshot) changedSince(before snapshot) map[string][]json.RawMessage {
	changed := map[string][]json.RawMessage{}
	for array, entries := range s {
		if slices.EqualFunc(entries, before[array], func(a, b Entry) bool { return string(a.Raw) == string(b.Raw) }) {
			continue
		}
		raws := make([]json.RawMessage, len(entries))
		for i, en := range entries {
			raws[i] = en.Raw
		}
		changed[array] = raws
	}
	return changed
}
