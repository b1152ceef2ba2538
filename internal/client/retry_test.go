package client

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestGetRetriesTransientFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		failure   func(t *testing.T) http.HandlerFunc
		wantSlept []time.Duration
	}{
		{"429 with Retry-After seconds", func(*testing.T) http.HandlerFunc {
			return func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Retry-After", "3")
				reply(w, 429, `{"error":"rate-limit-error","info":"slow down"}`)
			}
		}, []time.Duration{3 * time.Second, 3 * time.Second}},
		{"503 with Retry-After date", func(*testing.T) http.HandlerFunc {
			return func(w http.ResponseWriter, _ *http.Request) {
				// 5 s after the fake clock's start: the second wait finds the
				// date passed and falls back to the backoff.
				w.Header().Set("Retry-After", time.Date(2025, 3, 14, 12, 0, 5, 0, time.UTC).Format(http.TimeFormat))
				reply(w, 503, `{"error":"server-error"}`)
			}
		}, []time.Duration{5 * time.Second, time.Second}},
		{"500 backs off exponentially", func(*testing.T) http.HandlerFunc {
			return answer(500, `{"error":"server-error"}`)
		}, []time.Duration{500 * time.Millisecond, time.Second}},
		{"connection drop", func(t *testing.T) http.HandlerFunc {
			return func(w http.ResponseWriter, _ *http.Request) { dropConnection(t, w) }
		}, []time.Duration{500 * time.Millisecond, time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			failure := tc.failure(t)
			c, ts, clock := newTestClient(t, sequence(failure, failure, answer(200, domainJSON)))
			if _, err := c.GetDomain(context.Background()); err != nil {
				t.Fatal(err)
			}
			if n := ts.requests.Load(); n != 3 {
				t.Errorf("%d requests, want 3", n)
			}
			if slept := clock.Slept(); !reflect.DeepEqual(slept, tc.wantSlept) {
				t.Errorf("slept %v, want %v", slept, tc.wantSlept)
			}
		})
	}
}

func TestAttemptTimeoutIsRetried(t *testing.T) {
	t.Parallel()
	slow := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
	// The timeout leaves the prompt second answer ample time even on a busy
	// machine running the race detector (300 ms once timed it out too).
	c, ts, _ := newTestClient(t, sequence(slow, answer(200, domainJSON)),
		func(cfg *Config) { cfg.RequestTimeout = 2 * time.Second })
	if _, err := c.GetDomain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := ts.requests.Load(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestGiveUpAfterBudget(t *testing.T) {
	t.Parallel()
	c, ts, _ := newTestClient(t, answer(503, `{"error":"server-error","info":"down"}`))
	_, err := c.GetDomain(context.Background())
	// Waits 0.5, 1, 2, 4, 8 s then 10 s each: after 16 attempts 115.5 s are
	// spent and the next 10 s wait would exceed the 2 min budget.
	if err == nil || !strings.HasPrefix(err.Error(), "gave up after 16 attempts over 1m55.5s: daily: GET /: HTTP 503 server-error: down") {
		t.Errorf("err = %v", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Errorf("errors.As did not find the APIError in %v", err)
	}
	if n := ts.requests.Load(); n != 16 {
		t.Errorf("%d requests, want 16", n)
	}
}

func TestRetryAfterBeyondBudgetGivesUpAtOnce(t *testing.T) {
	t.Parallel()
	c, ts, clock := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "3600")
		reply(w, 429, `{"error":"rate-limit-error"}`)
	})
	_, err := c.GetDomain(context.Background())
	if err == nil || !strings.Contains(err.Error(), "gave up after 1 attempts") || ts.requests.Load() != 1 || len(clock.Slept()) != 0 {
		t.Errorf("err = %v, %d requests, slept %v", err, ts.requests.Load(), clock.Slept())
	}
}

func TestCancelStopsRetriesPromptly(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, answer(503, `{"error":"server-error"}`))
	// Real sleeping with long waits: only the cancellation can end the call quickly.
	c, err := New(Config{BaseURL: ts.URL, APIKey: testAPIKey, MinBackoff: 10 * time.Second, MaxBackoff: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err = c.GetDomain(ctx)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %s after cancellation", took)
	}
	var apiErr *APIError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &apiErr) || !strings.Contains(err.Error(), "after 1 attempts") {
		t.Errorf("err = %v", err)
	}
	if IsRetryable(err) {
		t.Error("a cancelled call is reported retryable")
	}
}

func TestCancelDuringRequest(t *testing.T) {
	t.Parallel()
	c, _, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetDomain(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || IsRetryable(err) || time.Since(start) > 2*time.Second {
		t.Errorf("err = %v after %s", err, time.Since(start))
	}
}

// A buy refused with 429 did nothing and is sent again. A domain POST is not:
// its body was built from an earlier read, and re-sending it after a backoff
// could overwrite another writer's change; the dial-in engine reads afresh.
func TestNonIdempotentCallsAreNotRetriedBlindly(t *testing.T) {
	t.Parallel()
	calls := map[string]struct {
		call         func(*Client) error
		retriedOn429 bool
	}{
		"SetDialinArrays": {call: func(c *Client) error {
			_, err := c.SetDialinArrays(context.Background(), map[string][]json.RawMessage{PinlessDialin: nil})
			return err
		}},
		"BuyPhoneNumber": {retriedOn429: true, call: func(c *Client) error {
			_, err := c.BuyPhoneNumber(context.Background(), "+18058700061")
			return err
		}},
	}
	success := `{"domain_name":"acme","config":{},"id":"n-1","number":"+18058700061"}`
	for name, tc := range calls {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, failure := range []struct {
				name    string
				handler http.HandlerFunc
			}{
				{"500", answer(500, `{"error":"server-error"}`)},
				{"EOF", func(w http.ResponseWriter, _ *http.Request) { dropConnection(t, w) }},
			} {
				c, ts, _ := newTestClient(t, sequence(failure.handler, answer(200, success)))
				if err := tc.call(c); err == nil || ts.requests.Load() != 1 {
					t.Errorf("%s: err = %v after %d requests, want a failure after 1", failure.name, err, ts.requests.Load())
				}
			}
			c, ts, _ := newTestClient(t, sequence(answer(429, `{"error":"rate-limit-error"}`), answer(200, success)))
			err := tc.call(c)
			switch {
			case tc.retriedOn429 && (err != nil || ts.requests.Load() != 2):
				t.Errorf("429: err = %v after %d requests, want success after 2", err, ts.requests.Load())
			case !tc.retriedOn429 && (!IsRetryable(err) || ts.requests.Load() != 1):
				t.Errorf("429: err = %v after %d requests, want a retryable failure after 1", err, ts.requests.Load())
			}
		})
	}
}

func TestReleaseIsRetried(t *testing.T) {
	t.Parallel()
	c, ts, _ := newTestClient(t, sequence(answer(502, "<html>Bad Gateway</html>"), answer(200, `{"status":"ok"}`)))
	if err := c.ReleasePhoneNumber(context.Background(), "n-1"); err != nil || ts.requests.Load() != 2 {
		t.Errorf("err = %v after %d requests", err, ts.requests.Load())
	}
}

func TestIsRetryable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{&APIError{StatusCode: 429}, true},
		{&APIError{StatusCode: 503}, true},
		{&APIError{StatusCode: 400}, false},
		{&DecodeError{What: "x", Err: io.ErrUnexpectedEOF}, false},
		{io.EOF, true},
		{context.Canceled, false},
		{errors.Join(context.DeadlineExceeded, &APIError{StatusCode: 503}), false},
	} {
		if got := IsRetryable(tc.err); got != tc.want {
			t.Errorf("IsRetryable(%v) = %v", tc.err, got)
		}
	}
}

func TestBackoffStaysWithinBounds(t *testing.T) {
	t.Parallel()
	c, err := New(Config{APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	for attempt := 1; attempt < 100; attempt++ {
		if d := c.backoff(attempt); d < c.cfg.MinBackoff || d > c.cfg.MaxBackoff {
			t.Fatalf("backoff(%d) = %s", attempt, d)
		}
	}
}
