package dialin

import (
	"context"
	"sync"
	"time"
)

// readSharer answers reads from the domain as Daily last showed it, when
// that is recent enough (maxAge); otherwise reads that arrive close together
// share one GET. Every answer of Daily's, to a GET or to a write, renews it.
//
// So one Terraform walk (a plan's refresh, say) reads the domain once: the
// provider is configured anew for each walk, and a walk's reads are a
// snapshot of the domain anyway. A read never sees the domain as it was
// before this engine's last write, whose answer renews the snapshot.
type readSharer struct {
	gather gatherer
	get    func(context.Context) (snapshot, error)
	maxAge time.Duration

	mu        sync.Mutex
	next      *readCall // the GET that readers arriving now will share
	mostReads int       // readers of the busiest GET so far
	latest    snapshot  // Daily's last answer
	latestAt  time.Time
	latestSet bool
}

// remember keeps snap, which reflects every change made before at, for
// later reads, unless an answer reflecting a later time is kept already.
func (s *readSharer) remember(snap snapshot, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if at.After(s.latestAt) {
		s.latest, s.latestAt, s.latestSet = snap, at, true
	}
}

// lastDomainID is the domain id of Daily's last answer, "" before the first.
func (s *readSharer) lastDomainID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latest.domainID
}

type readCall struct {
	done        chan struct{}
	readers     int
	firstJoined time.Time
	lastJoined  time.Time
	snap        snapshot
	err         error
}

// read answers from Daily's last answer if it is recent, or joins the next
// shared GET, starting it if there is none.
func (s *readSharer) read(ctx context.Context) (snapshot, error) {
	s.mu.Lock()
	if s.latestSet && time.Since(s.latestAt) < s.maxAge {
		defer s.mu.Unlock()
		return s.latest, nil
	}
	call := s.next
	if call == nil {
		call = &readCall{done: make(chan struct{}), firstJoined: time.Now()}
		s.next = call
		go s.run(context.WithoutCancel(ctx), call)
	}
	call.readers++
	call.lastJoined = time.Now()
	s.mu.Unlock()
	select {
	case <-call.done:
		return call.snap, call.err
	case <-ctx.Done():
		return snapshot{}, ctx.Err()
	}
}

func (s *readSharer) run(ctx context.Context, call *readCall) {
	s.mu.Lock()
	s.gather.wait(&s.mu, nil, func() batchState {
		return batchState{firstJoin: call.firstJoined, lastJoin: call.lastJoined, size: call.readers, expected: s.mostReads}
	}, nil)
	// Readers arriving from now on need a GET that starts after they arrived.
	s.next = nil
	s.mostReads = max(s.mostReads, call.readers)
	s.mu.Unlock()
	call.snap, call.err = s.get(ctx)
	close(call.done)
}
