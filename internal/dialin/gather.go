package dialin

import (
	"sync"
	"time"
)

// How a gatherer waits, in batch windows.
const (
	// quietWindowsWhenShort close a batch smaller than the previous one: the
	// calls still expected may never come.
	quietWindowsWhenShort = 3
	// maxGatherWindows bound the wait of a batch that keeps growing.
	maxGatherWindows = 10
	// recheckFraction of a window is how soon a quiet batch short of the
	// expected size is looked at again.
	recheckFraction = 4
)

// gatherer decides when calls that arrive close together form a batch: once
// nothing has joined for one window and the batch is as large as the
// previous one, or after quietWindowsWhenShort quiet windows, or at the
// latest after maxGatherWindows. Terraform keeps a steady number of calls in
// flight, so the next burst is about as large as the last batch; waiting for
// it keeps a burst together even on a busy machine, where its calls arrive
// spread out.
type gatherer struct {
	window time.Duration
}

// wait returns, with mu held as on entry, when the batch described by state
// (its last join, and whether it is as large as the previous batch) should
// be sent.
func (g gatherer) wait(mu *sync.Mutex, state func() (lastJoin time.Time, full bool)) {
	deadline := time.Now().Add(maxGatherWindows * g.window)
	for time.Now().Before(deadline) {
		lastJoin, full := state()
		quiet := time.Since(lastJoin)
		if quiet >= quietWindowsWhenShort*g.window || (quiet >= g.window && full) {
			return
		}
		wait := g.window - quiet
		if wait <= 0 {
			wait = g.window / recheckFraction
		}
		mu.Unlock()
		time.Sleep(min(wait, time.Until(deadline)+time.Millisecond))
		mu.Lock()
	}
}
