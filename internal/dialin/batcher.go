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
type batcher struct {
	gather gatherer
	run    func(batch []*change)

	mu           sync.Mutex
	queue        []*change
	lastArrival  time.Time
	largestBatch int
	flushing     bool
}

func (b *batcher) add(c *change) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.queue = append(b.queue, c)
	b.lastArrival = time.Now()
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

// flush writes queued changes in batches until none are left.
func (b *batcher) flush() {
	for {
		b.mu.Lock()
		b.gather.wait(&b.mu, func() (time.Time, int, int) { return b.lastArrival, len(b.queue), b.largestBatch })
		batch := b.queue
		b.queue = nil
		if len(batch) == 0 {
			b.flushing = false
			b.mu.Unlock()
			return
		}
		b.largestBatch = max(b.largestBatch, len(batch))
		b.mu.Unlock()
		b.run(batch)
	}
}

// runBatch applies batch under the engine's rmw lock. The batch outlives
// any one caller; its first caller's context still carries the provider's logger.
func (e *Engine) runBatch(batch []*change) {
	e.rmw.Lock()
	defer e.rmw.Unlock()
	e.applyBatch(context.WithoutCancel(batch[0].ctx), batch)
}
