package dialin

import (
	"sync"
	"testing"
	"time"
)

// A batch does not close before its early read is answered, and calls that
// come meanwhile join it.
func TestGatherWaitsForTheEarlyRead(t *testing.T) {
	g := gatherer{window: 10 * time.Millisecond}
	var mu sync.Mutex
	read := make(chan struct{})
	size, started := 1, false
	lastJoin := time.Now()
	go func() {
		time.Sleep(50 * time.Millisecond)
		mu.Lock()
		size, lastJoin = 2, time.Now().Add(-time.Second)
		mu.Unlock()
		time.Sleep(50 * time.Millisecond)
		close(read)
	}()
	start := time.Now()
	mu.Lock()
	g.wait(&mu, nil, func() batchState {
		s := batchState{lastJoin: lastJoin, size: size, expected: 2, readFrom: 1}
		if started {
			s.read = read
		}
		return s
	}, func() { started = true })
	defer mu.Unlock()
	if waited := time.Since(start); waited < 100*time.Millisecond || size != 2 || !started {
		t.Errorf("closed after %s with %d calls (read sent: %v), want after the read's 100 ms with 2", waited, size, started)
	}
}

// A batch may gather for maxGatherWindows from its first call, however long
// after the last batch that came: on a busy machine a wave's calls may start
// late and come spread out, and a wave cut short is one more write.
func TestGatherDeadlineCountsFromTheFirstCall(t *testing.T) {
	g := gatherer{window: 20 * time.Millisecond} // gathers 200 ms at most; a short batch closes after 60 ms quiet
	var mu sync.Mutex
	start := time.Now()
	joins := []int{50, 90, 130, 170, 210} // ms after the last batch; gaps under 60 ms
	state := func() batchState {
		s := batchState{lastJoin: start, expected: 10}
		for _, at := range joins {
			if join := start.Add(time.Duration(at) * time.Millisecond); !time.Now().Before(join) {
				if s.size == 0 {
					s.firstJoin = join
				}
				s.size, s.lastJoin = s.size+1, join
			}
		}
		return s
	}
	mu.Lock()
	defer mu.Unlock()
	g.wait(&mu, nil, state, nil)
	if got := state().size; got != len(joins) {
		t.Errorf("closed after %s with %d calls, want all %d: the deadline counts from the first", time.Since(start), got, len(joins))
	}
}

// Where recent full batches came with gaps longer than a short batch's
// quiet, a short batch waits 3/2 of that gap for its next call.
func TestGatherStretchesToTheWavesPace(t *testing.T) {
	g := gatherer{window: 20 * time.Millisecond} // a short batch closes after 60 ms quiet by default
	for _, tc := range []struct {
		gap  time.Duration
		want int
	}{{0, 1}, {80 * time.Millisecond, 2}} {
		var mu sync.Mutex
		start := time.Now()
		state := func() batchState {
			s := batchState{firstJoin: start, lastJoin: start, size: 1, expected: 10, gap: tc.gap}
			if join := start.Add(100 * time.Millisecond); !time.Now().Before(join) {
				s.size, s.lastJoin = 2, join
			}
			return s
		}
		mu.Lock()
		g.wait(&mu, nil, state, nil)
		got := state().size
		mu.Unlock()
		if got != tc.want {
			t.Errorf("with recent gaps of %s: closed after %s with %d calls, want %d", tc.gap, time.Since(start), got, tc.want)
		}
	}
}

func TestPaceOf(t *testing.T) {
	t0 := time.Now()
	var batch []*change
	for _, ms := range []int{30, 0, 10, 100} {
		batch = append(batch, &change{arrived: t0.Add(time.Duration(ms) * time.Millisecond)})
	}
	if got, want := paceOf(batch), (pace{gap: 70 * time.Millisecond, spread: 100 * time.Millisecond}); got != want {
		t.Errorf("paceOf = %+v, want %+v", got, want)
	}
}
