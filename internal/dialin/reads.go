package dialin

import (
	"context"
	"sync"
	"time"
)

// readSharer answers reads from what Daily last showed (a T: the domain's
// dial-in arrays, or its dial-in config objects), when that is recent
// enough (maxAge); otherwise reads that arrive close together share one
// read of Daily. Every answer of Daily's, to a read or to a write, renews it.
//
// So one Terraform walk (a plan's refresh, say) reads the domain once: the
// provider is configured anew for each walk, and a walk's reads are a
// snapshot of the domain anyway. A read never sees the domain as it was
// before this engine's last write, whose answer renews the snapshot.
type readSharer[T any] struct {
	gather gatherer
	get    func(context.Context) (T, error)
	maxAge time.Duration

	mu        sync.Mutex
	next      *readCall[T] // the read that readers arriving now will share
	mostReads int          // readers of the busiest read so far
	latest    T            // Daily's last answer
	latestAt  time.Time
	latestSet bool
}

// remember keeps v, which reflects every change made before at, for later
// reads, unless an answer reflecting a later time is kept already.
func (s *readSharer[T]) remember(v T, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if at.After(s.latestAt) {
		s.latest, s.latestAt, s.latestSet = v, at, true
	}
}

// last is Daily's last answer, of any age; ok is false before the first.
func (s *readSharer[T]) last() (v T, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latest, s.latestSet
}

// edit changes the answer kept, if any, as an answer of Daily's to one of
// our writes shows it now is.
func (s *readSharer[T]) edit(change func(*T)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.latestSet {
		change(&s.latest)
	}
}

type readCall[T any] struct {
	done        chan struct{}
	readers     int
	firstJoined time.Time
	lastJoined  time.Time
	v           T
	err         error
}

// read answers from Daily's last answer if it is recent, or joins the next
// shared read, starting it if there is none.
func (s *readSharer[T]) read(ctx context.Context) (T, error) {
	s.mu.Lock()
	if s.latestSet && time.Since(s.latestAt) < s.maxAge {
		defer s.mu.Unlock()
		return s.latest, nil
	}
	call := s.next
	if call == nil {
		call = &readCall[T]{done: make(chan struct{}), firstJoined: time.Now()}
		s.next = call
		go s.run(context.WithoutCancel(ctx), call)
	}
	call.readers++
	call.lastJoined = time.Now()
	s.mu.Unlock()
	select {
	case <-call.done:
		return call.v, call.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

func (s *readSharer[T]) run(ctx context.Context, call *readCall[T]) {
	s.mu.Lock()
	s.gather.wait(&s.mu, nil, func() batchState {
		return batchState{firstJoin: call.firstJoined, lastJoin: call.lastJoined, size: call.readers, expected: s.mostReads}
	}, nil)
	// Readers arriving from now on need a GET that starts after they arrived.
	s.next = nil
	s.mostReads = max(s.mostReads, call.readers)
	s.mu.Unlock()
	call.v, call.err = s.get(ctx)
	close(call.done)
}
