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
	// paceAllowance (in halves) stretches the quiet and the gathering time
	// of a batch to 3/2 of the largest gap and spread of the recent full
	// batches, up to paceMaxFactor times their defaults: on a busy machine
	// Terraform's calls of one wave come that spread out.
	paceAllowance = 3
	paceMaxFactor = 3
)

// gatherer decides when calls that arrive close together form a batch.
// Terraform keeps a steady number of calls in flight (its -parallelism), so
// a burst is as large as the largest batch so far: a batch closes once it is
// that large and no call has joined for a tenth of a window, even on a busy
// machine where a burst's calls arrive spread out. The first batch, with no
// size to go by, closes once nothing has joined for one window; a batch short
// of the expected size after quietWindowsWhenShort quiet windows; any batch
// maxGatherWindows after its first call joined (not after the last batch was
// written: on a busy machine Terraform may take longer than that to send a
// wave's first call, and the wave would be split). Where recent full batches
// came more spread out than those defaults allow, both stretch to 3/2 of
// that pace (see batchState.gap), so that a wave is not cut in two.
//
// A batch's read may be sent before it closes (see batcher): once the batch
// is readFrom large, startRead is called, and from then on the batch closes
// no sooner than Daily answers that read; calls keep joining meanwhile.
type gatherer struct {
	window time.Duration
}

// batchState is what a gatherer is told of the batch it gathers.
type batchState struct {
	firstJoin      time.Time // zero while the batch is empty
	lastJoin       time.Time
	size, expected int // expected: 0 for the first batch
	// readFrom is the size at which the batch's read is sent before it
	// closes; 0: not before.
	readFrom int
	// read is closed when Daily has answered the batch's early read; nil
	// while none was sent.
	read <-chan struct{}
	// gap and spread are the largest time between two calls, and between
	// the first and the last, of the recent full batches; zero: unknown.
	gap, spread time.Duration
}

// shortQuiet is how long a batch short of the expected size waits for
// its next call.
func (g gatherer) shortQuiet(s batchState) time.Duration {
	quiet := quietWindowsWhenShort * g.window
	return min(max(quiet, s.gap*paceAllowance/2), paceMaxFactor*quiet)
}

// gatherFor is how long a batch gathers at most, from its first call.
func (g gatherer) gatherFor(s batchState) time.Duration {
	most := maxGatherWindows * g.window
	return min(max(most, s.spread*paceAllowance/2), paceMaxFactor*most)
}

// wait returns, with mu held as on entry, when the batch described by state
// should be written; it calls startRead, with mu held, when the batch's read
// is to be sent early. A receive on joined (nil: none) says a call joined.
func (g gatherer) wait(mu *sync.Mutex, joined <-chan struct{}, state func() batchState, startRead func()) {
	entered := time.Now()
	for {
		s := state()
		deadline := entered.Add(maxGatherWindows * g.window)
		if !s.firstJoin.IsZero() {
			deadline = s.firstJoin.Add(g.gatherFor(s))
		}
		if s.read == nil && s.readFrom > 0 && s.size >= s.readFrom {
			startRead()
			continue
		}
		if s.read != nil {
			select {
			case <-s.read:
			default:
				// Nothing closes the batch before its read is answered; calls
				// that come meanwhile join it.
				mu.Unlock()
				<-s.read
				mu.Lock()
				continue
			}
		}
		quiet := time.Since(s.lastJoin)
		full := s.expected > 0 && s.size >= s.expected
		switch {
		case !time.Now().Before(deadline),
			full && quiet >= g.window/settleFraction,
			s.expected == 0 && quiet >= g.window,
			quiet >= g.shortQuiet(s):
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
		t := time.NewTimer(min(wait, time.Until(deadline)+time.Millisecond))
		select {
		case <-t.C:
		case <-joined:
			t.Stop()
		}
		mu.Lock()
	}
}
