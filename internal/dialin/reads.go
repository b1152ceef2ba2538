package dialin

import (
	"context"
	"sync"
	"time"
)

// readSharer lets reads that arrive close together share one GET.
type readSharer struct {
	gather gatherer
	get    func(context.Context) (snapshot, error)

	mu        sync.Mutex
	next      *readCall // the GET that readers arriving now will share
	lastReads int       // readers of the previous GET
}

type readCall struct {
	done       chan struct{}
	readers    int
	lastJoined time.Time
	snap       snapshot
	err        error
}

// read joins the next shared GET, starting it if there is none.
func (s *readSharer) read(ctx context.Context) (snapshot, error) {
	s.mu.Lock()
	call := s.next
	if call == nil {
		call = &readCall{done: make(chan struct{})}
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
		return nil, ctx.Err()
	}
}

func (s *readSharer) run(ctx context.Context, call *readCall) {
	s.mu.Lock()
	s.gather.wait(&s.mu, func() (time.Time, bool) { return call.lastJoined, call.readers >= s.lastReads })
	// Readers arriving from now on need a GET that starts after they arrived.
	s.next = nil
	s.lastReads = call.readers
	s.mu.Unlock()
	call.snap, call.err = s.get(ctx)
	close(call.done)
}
