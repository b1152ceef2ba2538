package dialin

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// Backend is the domain's dial-in config at Daily, its arrays and its
// config objects; *client.Client implements it.
type Backend interface {
	GetDomain(ctx context.Context) (*client.Domain, error)
	SetDialinArrays(ctx context.Context, arrays map[string][]json.RawMessage) (*client.Domain, error)

	CreateDialinConfig(ctx context.Context, typ string, fields json.RawMessage) (*client.DialinConfig, error)
	GetDialinConfig(ctx context.Context, id string) (*client.DialinConfig, error)
	UpdateDialinConfig(ctx context.Context, id string, body json.RawMessage) (*client.DialinConfig, error)
	DeleteDialinConfig(ctx context.Context, id string) error
	ListDialinConfigs(ctx context.Context, filter client.DialinConfigFilter) ([]client.DialinConfig, error)
}

// Arrays are the dial-in arrays this engine manages.
var Arrays = []string{client.PinlessDialin, client.PinDialin}

// Options tune an Engine. Zero values get the defaults below, except
// BatchWindow.
type Options struct {
	// BatchWindow is how long calls that arrive close together are gathered
	// into one batch (see gatherer). Zero or less turns batching off, and
	// with it the shared reads: every change and every read makes its own
	// calls (the provider's dialin_batch_window = "0s").
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
// Changes go to a batcher, which hands whole batches to runBatch one at a
// time; reads go to a readSharer, which also keeps Daily's last answer. With
// batching off there is no batcher, and reads do not share.
//
// An Engine lives for one Terraform walk (the provider is configured anew for
// each), in which one route may be destroyed at one address and created at
// another (a renamed for_each key) in either order. The engine nets the two:
// see keyHistory.
type Engine struct {
	backend Backend
	opts    Options
	// rmw lets one read-modify-write of the arrays run at a time, and no
	// write of a config object during one: under the reading where the
	// objects are the arrays' entries, a round that read the arrays before
	// an object write and wrote them after would undo it.
	rmw     sync.RWMutex
	history *keyHistory
	batches *batcher              // nil when batching is off
	reads   *readSharer[snapshot] // never nil
	objects *readSharer[objectSnapshot]
	// lastReadLatency is the duration of the last GET, in nanoseconds.
	lastReadLatency atomic.Int64
	entries         entryCache // Daily's last answer, parsed

	// mu guards the confirmations (confirm.go) and the callers' outcomes
	// (callers.go); a round takes it for short spells, under rmw.
	mu           sync.Mutex
	unconfirmed  []pendingConfirmation // writes whose confirming read is to come
	repairing    map[*change]bool      // found undone, being written again
	confirmTimer *time.Timer
	waiting      int                  // callers whose outcome is not delivered
	held         []*change            // callers held after Daily's answer
	contested    bool                 // a read found a change of this engine undone
	lastWrite    map[string]time.Time // by array: when this engine's last write of it was answered (or lost)
	lost         []string             // failures of changes whose callers had returned
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
	gather := gatherer{window: opts.BatchWindow}
	e := &Engine{backend: backend, opts: opts, history: newKeyHistory(), repairing: map[*change]bool{}, lastWrite: map[string]time.Time{}}
	e.reads = &readSharer[snapshot]{gather: gather, get: e.get, maxAge: opts.ReadMaxAge}
	e.objects = &readSharer[objectSnapshot]{gather: gather, get: e.listObjects, maxAge: opts.ReadMaxAge}
	if opts.BatchWindow > 0 {
		e.batches = &batcher{
			gather: gather, run: e.runBatch, joined: make(chan struct{}, 1),
			read: e.readEarly, mayReadEarly: e.uncontested, readLatency: e.readLatency,
		}
	}
	return e
}

// maxBaseAge is how old a batch's early read may be when the batch is
// written: half a batch window (50 ms by default, about one request's
// latency). Another writer's change that lands between our read and our
// write is undone by the write (Daily offers no compare-and-set); an early
// read lets it land in a window at most that much longer than a read sent
// when the batch closes would.
func (e *Engine) maxBaseAge() time.Duration { return e.opts.BatchWindow / 2 }

// readLatency is how long Daily took to answer the engine's last GET.
func (e *Engine) readLatency() time.Duration { return time.Duration(e.lastReadLatency.Load()) }

// Entries returns the array as Daily holds it. Reads that arrive close
// together share a single GET. The slice is the caller's; the entries'
// Fields maps are shared and must not be changed.
func (e *Engine) Entries(ctx context.Context, array string) ([]Entry, error) {
	snap, err := e.read(ctx)
	return slices.Clone(snap.arrays[array]), err
}

// DomainID is the id of the domain the engine reads and writes. An API key
// selects one domain for good, so any answer of Daily's tells; before the
// first, it reads as Entries does.
func (e *Engine) DomainID(ctx context.Context) (string, error) {
	if snap, ok := e.reads.last(); ok && snap.domainID != "" {
		return snap.domainID, nil
	}
	snap, err := e.read(ctx)
	return snap.domainID, err
}

// read answers through the shared reads, or with a GET of its own when
// batching is off.
func (e *Engine) read(ctx context.Context) (snapshot, error) {
	if e.batches == nil {
		return e.get(ctx)
	}
	return e.reads.read(ctx)
}

func (e *Engine) get(ctx context.Context) (snapshot, error) {
	sent := time.Now()
	dom, err := e.backend.GetDomain(ctx)
	if err != nil {
		return snapshot{}, err
	}
	e.lastReadLatency.Store(int64(time.Since(sent)))
	return e.remember(dom, sent)
}

// remember parses an answer of Daily's and keeps it for later reads. since
// is the time from which the answer surely reflects every change: when a GET
// was sent, or when a write was answered.
func (e *Engine) remember(dom *client.Domain, since time.Time) (snapshot, error) {
	snap, err := e.entries.parse(dom)
	if err == nil {
		e.reads.remember(snap, since)
	}
	return snap, err
}

// Finish waits until every write is confirmed by a later read, or ctx is
// done. A provider calls it when Terraform stops it, right after the last
// change of an apply.
func (e *Engine) Finish(ctx context.Context) {
	for !e.idle() {
		select {
		case <-ctx.Done():
			return
		case <-time.After(max(e.opts.VerifyDelay/4, time.Millisecond)):
		}
	}
}

// idle reports whether no confirmation is owed and no round is running,
// which could be writing again what it found undone. It never waits for the
// lock: a round may hang on Daily for longer than Finish may wait.
func (e *Engine) idle() bool {
	if !e.rmw.TryLock() {
		return false
	}
	defer e.rmw.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.unconfirmed) == 0
}
