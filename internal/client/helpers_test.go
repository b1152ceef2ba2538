package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const testAPIKey = "sk-test-0123456789abcdef"

// fakeClock makes retries instant: sleeping advances the clock and records the wait.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.slept = append(f.slept, d)
	f.now = f.now.Add(d)
	return ctx.Err()
}

func (f *fakeClock) Slept() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.slept...)
}

// testServer serves handler and counts the requests it receives.
type testServer struct {
	*httptest.Server
	requests atomic.Int32
}

func newTestServer(t *testing.T, handler http.HandlerFunc) *testServer {
	t.Helper()
	ts := &testServer{}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts.requests.Add(1)
		handler(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts
}

// newTestClient returns a client of handler's server with a fake clock and
// jitter that always picks the ceiling, so waits are predictable.
func newTestClient(t *testing.T, handler http.HandlerFunc, configure ...func(*Config)) (*Client, *testServer, *fakeClock) {
	t.Helper()
	ts := newTestServer(t, handler)
	cfg := Config{BaseURL: ts.URL + "/v1", APIKey: testAPIKey}
	for _, f := range configure {
		f(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	clock := &fakeClock{now: time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)}
	c.now, c.sleep = clock.Now, clock.Sleep
	c.jitter = func(upTo time.Duration) time.Duration { return upTo }
	return c, ts, clock
}

func reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// dropConnection closes the connection without an answer (the client sees EOF).
func dropConnection(t *testing.T, w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	_ = conn.Close()
}

// sequence answers the i-th request with steps[i] (the last one repeats).
func sequence(steps ...http.HandlerFunc) http.HandlerFunc {
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		steps[min(i, len(steps)-1)](w, r)
	}
}

func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { reply(w, status, body) }
}

const domainJSON = `{"domain_name":"acme","domain_id":"d-1","config":{"lang":"en","pinless_dialin":[]}}`

// recordingLogger keeps every logged field for inspection.
type recordingLogger struct {
	mu    sync.Mutex
	lines []map[string]any
}

func (l *recordingLogger) Debug(_ context.Context, _ string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fields)
}

func (l *recordingLogger) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, line := range l.lines {
		fmt.Fprintln(&b, line)
	}
	return b.String()
}
