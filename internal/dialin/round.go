package dialin

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// applyBatch applies batch in rounds of one GET and one POST until every
// change is confirmed or has failed, and delivers each change's own outcome.
// Called under rmw.
func (e *Engine) applyBatch(ctx context.Context, batch []*change) {
	for attempt := 1; ; attempt++ {
		remaining, rejected, err := e.round(ctx, batch)
		switch {
		case len(remaining) == 0:
			return
		case rejected && len(remaining) > 1:
			// Daily refused the combined write: find out whose change it was.
			for _, c := range remaining {
				e.applyBatch(ctx, []*change{c})
			}
			return
		case err != nil && !client.IsRetryable(err):
			failAll(remaining, err)
			return
		case attempt >= e.opts.MaxAttempts:
			if err == nil {
				err = errors.New("another writer kept overwriting the array")
			}
			failAll(remaining, fmt.Errorf("dial-in change not confirmed after %d attempts: %w", attempt, err))
			return
		}
		batch = remaining
		sleep(ctx, e.backoff(attempt))
	}
}

// round makes one read-modify-write for batch. It returns the changes still
// unfinished: all of them when err is set (rejected means Daily refused the
// POST itself), otherwise those a concurrent writer undid. Its read also
// confirms earlier writes (see confirm.go); changes it finds undone are
// written again in this round.
func (e *Engine) round(ctx context.Context, batch []*change) (remaining []*change, rejected bool, err error) {
	readAt := time.Now()
	before, err := e.get(ctx)
	if err != nil {
		return batch, false, err
	}
	batch = append(batch, e.recheck(before, readAt)...)
	after, live := applyChanges(before, batch)
	if len(live) == 0 {
		return nil, false, nil
	}
	changed := after.changedSince(before)
	if len(changed) == 0 {
		return finishConfirmed(live, after, nil), false, nil
	}

	dom, err := e.backend.SetDialinArrays(ctx, changed)
	if err != nil && !client.IsRetryable(err) {
		return live, true, err
	}
	// Sent: even a failed write may have been applied.
	for _, c := range live {
		c.mayBeApplied = true
	}
	if err != nil {
		return live, false, err
	}
	answered := time.Now()
	written, err := e.remember(dom, answered)
	if err != nil {
		return live, false, err
	}
	// Daily's answer confirms a change to its caller, who goes back to
	// Terraform; a later read confirms it again (confirm.go).
	return finishConfirmed(live, written, func(c *change) {
		if !c.exclusive {
			e.awaitConfirmation(c, answered) // before the caller returns, so that Finish waits for it
		}
	}), false, nil
}

// applyChanges makes each change on a copy of before and returns the result
// with the changes still live; a change whose mutate fails is finished with
// that error. Deletes go first: a create of the same key in the batch then
// starts from the entry the delete removed (see keyHistory).
func applyChanges(before snapshot, batch []*change) (snapshot, []*change) {
	after := before.clone()
	live := make([]*change, 0, len(batch))
	for _, deletes := range []bool{true, false} {
		for _, c := range batch {
			if c.isDelete != deletes {
				continue
			}
			next, err := c.mutate(after.arrays[c.array], c.mayBeApplied)
			if err != nil {
				c.finish(nil, err)
				continue
			}
			after.arrays[c.array] = next
			live = append(live, c)
		}
	}
	return after, live
}

// finishConfirmed finishes the changes confirmed in snap, calling confirmed
// first for each (if not nil), and returns the others. Deletes are judged
// last: one whose key a create of the same batch claims is then confirmed too.
func finishConfirmed(changes []*change, snap snapshot, confirmed func(*change)) (unconfirmed []*change) {
	for _, deletes := range []bool{false, true} {
		for _, c := range changes {
			switch {
			case c.isDelete != deletes:
			case !c.confirmed(snap.arrays[c.array]):
				unconfirmed = append(unconfirmed, c)
			default:
				if confirmed != nil {
					confirmed(c)
				}
				c.succeed(snap.arrays[c.array])
			}
		}
	}
	return unconfirmed
}

func failAll(changes []*change, err error) {
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

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
