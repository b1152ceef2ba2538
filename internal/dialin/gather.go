package dialin

import (
	"sync"
	"time"
)

// How a gatherer waits, in batch windows.
const (
	// settleFraction of a window without a new call lets a batch that has
	// reached the expected size still grow: the rest of a burst arrives
	// within a few milliseconds.
	settleFraction = 10
	// quietWindowsWhenShort close a batch smaller than the previous one: the
	// calls still expected may never come.
	quietWindowsWhenShort = 3
	// maxGatherWindows bound the wait of a batch that keeps growing.
	maxGatherWindows = 10
	// recheckFraction of a window is how soon a quiet batch short of the
	// expected size is looked at again.
	recheckFraction = 4
)

// gatherer decides when calls that arrive close together form a batch.
// Terraform keeps a steady number of calls in flight (its -parallelism), so
// a burst is as large as the largest batch so far: a batch closes once it is
// that large and no call has joined for a tenth of a window, even on a busy
// machine where a burst's calls arrive spread out. The first batch, with no
// size to go by, closes once nothing has joined for one window; a batch short
// of the expected size after quietWindowsWhenShort quiet windows; any batch
// after maxGatherWindows.
type gatherer struct {
	window time.Duration
}

// wait returns, with mu held as on entry, when the batch described by state
// (its last join, its size, and the expected size, 0 for the first batch)
// should be sent.
func (g gatherer) wait(mu *sync.Mutex, state func() (lastJoin time.Time, size, expected int)) {
	deadline := time.Now().Add(maxGatherWindows * g.window)
	for time.Now().Before(deadline) {
		lastJoin, size, expected := state()
		quiet := time.Since(lastJoin)
		full := expected > 0 && size >= expected
		switch {
		case full && quiet >= g.window/settleFraction,
			expected == 0 && quiet >= g.window,
			quiet >= quietWindowsWhenShort*g.window:
			return
		}
		wait := g.window - quiet
		switch {
		case full:
			wait = g.window/settleFraction - quiet
		case wait <= 0:
			wait = g.window / recheckFraction
		}
		mu.Unlock()
		time.Sleep(min(wait, time.Until(deadline)+time.Millisecond))
		mu.Lock()
	}
}
