package emulator

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Observe sees each request's status, 0 for one dropped without an answer,
// and drops still work through it (the connection is hijacked).
func TestObserveStatuses(t *testing.T) {
	e := New(Options{})
	var mu sync.Mutex
	var statuses []int
	srv := httptest.NewServer(Observe(e, func(_ *http.Request, status int, arrived, answered time.Time) {
		if answered.Before(arrived) {
			t.Errorf("answered %v before it arrived %v", answered, arrived)
		}
		mu.Lock()
		statuses = append(statuses, status)
		mu.Unlock()
	}))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	send := func(key string) (*http.Response, error) {
		req, _ := http.NewRequest("GET", srv.URL+"/v1/", strings.NewReader(""))
		req.Header.Set("Authorization", "Bearer "+key)
		return client.Do(req)
	}

	for _, key := range []string{e.APIKey(), "wrong-key"} {
		resp, err := send(key)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	e.SetFaults(Faults{DropRate: 1})
	if resp, err := send(e.APIKey()); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped request answered %d", resp.StatusCode)
	}
	srv.Close() // waits for the handlers still tracked; a dropped one reported before its drop

	mu.Lock()
	defer mu.Unlock()
	if want := []int{200, 401, 0}; !slices.Equal(statuses, want) {
		t.Fatalf("statuses seen %v, want %v", statuses, want)
	}
}
