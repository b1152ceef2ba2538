package dialin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// applyBatch applies batch in rounds of one GET and one POST until Daily
// holds every change or it has failed (see callers.go for when each caller
// gets its outcome). Called under rmw.
func (e *Engine) applyBatch(ctx context.Context, batch []*change, early *earlyRead) {
	for attempt := 1; ; attempt++ {
		remaining, rejected, err := e.round(ctx, batch, early)
		early = nil // read afresh from the second round on
		switch {
		case len(remaining) == 0:
			return
		case rejected && len(remaining) > 1:
			// Daily refused the combined write: find out whose change it was.
			for _, c := range remaining {
				e.applyBatch(ctx, []*change{c}, nil)
			}
			return
		case err != nil && !client.IsRetryable(err):
			e.failAll(remaining, err)
			return
		case attempt >= e.opts.MaxAttempts:
			if err == nil {
				err = errors.New("another writer kept overwriting the array")
			}
			e.failAll(remaining, fmt.Errorf("dial-in change not confirmed after %d attempts: %w", attempt, err))
			return
		}
		batch = remaining
		sleep(ctx, e.backoff(attempt))
	}
}

// round makes one read-modify-write for batch. It returns the changes still
// unfinished: all of them when err is set (rejected means Daily refused the
// POST itself), otherwise those a concurrent writer undid. Its read is
// early's when that is recent enough (see batcher), else a GET of its own;
// it also confirms earlier writes (see confirm.go), and changes it finds
// undone are written again in this round.
func (e *Engine) round(ctx context.Context, batch []*change, early *earlyRead) (remaining []*change, rejected bool, err error) {
	if early != nil && early.err != nil {
		return batch, false, early.err
	}
	before, readAt, ok := early.usable(e.maxBaseAge())
	if !ok {
		readAt = time.Now()
		if before, err = e.get(ctx); err != nil {
			return batch, false, err
		}
	}
	batch = append(batch, e.recheck(before, readAt)...)
	after, live := e.applyChanges(before, batch)
	if len(live) == 0 {
		return nil, false, nil
	}
	changed := after.changedSince(before)
	if len(changed) == 0 {
		// Daily holds them already. Nothing was written now, but an earlier
		// write whose answer was lost may have been (mayBeApplied): a copy
		// read before it may still land, so that one is owed a confirmation.
		return e.answered(live, after, readAt, false), false, nil
	}

	dom, err := e.backend.SetDialinArrays(ctx, changed)
	if err != nil && !client.IsRetryable(err) {
		return live, true, err
	}
	// Sent: even a failed write may have been applied.
	answeredAt := time.Now()
	e.wrote(changed, answeredAt)
	for _, c := range live {
		c.mayBeApplied = true
	}
	if err != nil {
		return live, false, err
	}
	written, err := e.remember(dom, answeredAt)
	if err != nil {
		return live, false, err
	}
	return e.answered(live, written, answeredAt, true), false, nil
}

// wrote records that arrays were written, or may have been, at at.
func (e *Engine) wrote(arrays map[string][]json.RawMessage, at time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for array := range arrays {
		e.lastWrite[array] = at
	}
}

// applyChanges makes each change on a copy of before and returns the result
// with the changes still live; a change whose mutate fails is finished with
// that error. Deletes go first: a create of the same key in the batch then
// starts from the entry the delete removed (see keyHistory).
func (e *Engine) applyChanges(before snapshot, batch []*change) (snapshot, []*change) {
	after := before.clone()
	live := make([]*change, 0, len(batch))
	for _, deletes := range []bool{true, false} {
		for _, c := range batch {
			if c.isDelete != deletes {
				continue
			}
			next, err := c.mutate(after.arrays[c.array], c.mayBeApplied)
			if err != nil {
				e.fail(c, err)
				continue
			}
			after.arrays[c.array] = next
			live = append(live, c)
		}
	}
	return after, live
}

func (e *Engine) backoff(attempt int) time.Duration {
	d := e.opts.RetryBackoff << (attempt - 1)
	if d > maxRetryBackoff || d <= 0 {
		d = maxRetryBackoff
	}
	// Half fixed, half jitter: two processes retrying the same conflict drift apart.
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
