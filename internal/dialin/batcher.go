package dialin

import (
	"context"
	"slices"
	"sync"
	"time"
)

// batcher queues changes and hands them to run in batches, one batch at a
// time; changes that arrive while a batch is being written go into the next
// one.
//
// A batch's read is sent before the batch closes when the calls of the
// batches so far say it will be answered about when the last call of the
// batch comes (see readLead): Terraform's calls of one wave arrive spread
// out over its own work between waves, and the read then overlaps that
// instead of following it. The read holds the engine's rmw lock from before
// it is sent until the batch has been written, as a round's own read does,
// and a batch that closes when its read is older than maxBaseAge reads again.
type batcher struct {
	gather gatherer
	run    func(batch []*change, early *earlyRead)
	// read sends a batch's read early (nil: never early); mayReadEarly says
	// whether to, now.
	read         func(ctx context.Context) *earlyRead
	mayReadEarly func() bool
	// readLatency is how long Daily took to answer the engine's last read.
	readLatency func() time.Duration

	// joined wakes the gatherer when a change is queued.
	joined chan struct{}

	mu           sync.Mutex
	queue        []*change
	firstArrival time.Time // of the queued changes
	lastArrival  time.Time
	largestBatch int
	lead         int    // how many calls of a full batch come after its read is sent
	paces        []pace // of the last recentPaces full batches
	flushing     bool
	running      bool      // a batch is being written, or its read was sent
	idleSince    time.Time // when the last batch was written, if none is queued or running
}

func (b *batcher) add(c *change) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c.arrived = time.Now()
	if len(b.queue) == 0 {
		b.firstArrival = c.arrived
	}
	b.queue = append(b.queue, c)
	b.lastArrival = c.arrived
	select {
	case b.joined <- struct{}{}:
	default: // the gatherer has a wake-up pending already
	}
	if !b.flushing {
		b.flushing = true
		go b.flush()
	}
}

// withdraw removes c if it is still queued, reporting whether it was.
func (b *batcher) withdraw(c *change) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	i := slices.Index(b.queue, c)
	if i < 0 {
		return false
	}
	b.queue = slices.Delete(b.queue, i, i+1)
	return true
}

// busy reports whether a batch is queued or being written, so that its
// read will come, or was less than a batch window ago: Terraform, between
// two waves, sends the next wave's first call within that time.
func (b *batcher) busy() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.queue) > 0 || b.running || time.Since(b.idleSince) < b.gather.window
}

// flush writes queued changes in batches until none are left.
func (b *batcher) flush() {
	for {
		b.mu.Lock()
		var early *earlyRead
		b.gather.wait(&b.mu, b.joined, func() batchState {
			s := batchState{lastJoin: b.lastArrival, size: len(b.queue), expected: b.largestBatch}
			for _, p := range b.paces {
				s.gap, s.spread = max(s.gap, p.gap), max(s.spread, p.spread)
			}
			if len(b.queue) > 0 {
				s.firstJoin = b.firstArrival
			}
			if b.read != nil && b.largestBatch > 0 && b.mayReadEarly() {
				s.readFrom = max(1, b.largestBatch-b.lead)
			}
			if early != nil {
				s.read = early.done
			}
			return s
		}, func() {
			b.running = true
			early = b.read(context.WithoutCancel(b.queue[0].ctx))
		})
		batch := b.queue
		b.queue = nil
		if len(batch) == 0 {
			b.flushing = false
			b.mu.Unlock()
			if early != nil {
				early.discard()
				b.mu.Lock()
				b.running = false
				b.mu.Unlock()
			}
			return
		}
		b.running = true
		if b.largestBatch > 0 && len(batch) >= b.largestBatch {
			b.paces = append(b.paces, paceOf(batch))
			b.paces = b.paces[max(0, len(b.paces)-recentPaces):]
		}
		b.largestBatch = max(b.largestBatch, len(batch))
		if b.readLatency != nil {
			b.lead = readLead(batch, b.readLatency())
		}
		b.mu.Unlock()
		b.run(batch, early)
		b.mu.Lock()
		b.running = false
		b.idleSince = time.Now()
		b.mu.Unlock()
	}
}

// pace is how spread out the calls of a batch came.
type pace struct {
	gap    time.Duration // the largest time between two calls
	spread time.Duration // from the first call to the last
}

// recentPaces full batches tell the gatherer how spread out a wave comes.
const recentPaces = 5

func paceOf(batch []*change) pace {
	times := make([]time.Time, len(batch))
	for i, c := range batch {
		times[i] = c.arrived
	}
	slices.SortFunc(times, time.Time.Compare)
	var p pace
	for i := 1; i < len(times); i++ {
		p.gap = max(p.gap, times[i].Sub(times[i-1]))
	}
	if len(times) > 0 {
		p.spread = times[len(times)-1].Sub(times[0])
	}
	return p
}

// readLead is how many calls of batch came less than latency before its
// last one: a read sent when that many were still to come would have been
// answered about when the last one came. The next batch's read is sent that
// many calls before it is full.
func readLead(batch []*change, latency time.Duration) int {
	var last time.Time
	for _, c := range batch {
		if c.arrived.After(last) {
			last = c.arrived
		}
	}
	lead := 0
	for _, c := range batch {
		if c.arrived.Before(last) && last.Sub(c.arrived) < latency {
			lead++
		}
	}
	return lead
}

// earlyRead is a batch's read, sent before the batch closed. Its sender
// holds the engine's rmw lock from before the read until the batch is
// written (runBatch) or the read is discarded.
type earlyRead struct {
	done     chan struct{}
	sent     time.Time // when the GET was sent: the read reflects every change made before
	answered time.Time
	snap     snapshot
	err      error
	unlock   func()
}

// readEarly sends a batch's read now, under rmw.
func (e *Engine) readEarly(ctx context.Context) *earlyRead {
	r := &earlyRead{done: make(chan struct{}), unlock: e.rmw.Unlock}
	go func() {
		e.rmw.Lock()
		r.sent = time.Now()
		r.snap, r.err = e.get(ctx)
		r.answered = time.Now()
		close(r.done)
	}()
	return r
}

// discard lets go of a read no batch will use.
func (r *earlyRead) discard() {
	<-r.done
	r.unlock()
}

// usable returns the read's snapshot if the read succeeded and is recent
// enough to write on: answered at most maxAge ago.
func (r *earlyRead) usable(maxAge time.Duration) (snapshot, time.Time, bool) {
	if r == nil || r.err != nil || time.Since(r.answered) > maxAge {
		return snapshot{}, time.Time{}, false
	}
	return r.snap, r.sent, true
}

// runBatch applies batch under the engine's rmw lock, which an early read
// of the batch already holds. The batch outlives any one caller; its first
// caller's context still carries the provider's logger.
func (e *Engine) runBatch(batch []*change, early *earlyRead) {
	if early != nil {
		<-early.done // its sender holds rmw
	} else {
		e.rmw.Lock()
	}
	defer e.rmw.Unlock()
	e.applyBatch(context.WithoutCancel(batch[0].ctx), batch, early)
}
