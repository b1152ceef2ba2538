package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// call sends one request through ServeHTTP with the emulator's key and returns
// the status and body.
func call(t *testing.T, e *Emulator, method, path, body string) (int, []byte) {
	t.Helper()
	return callAuth(t, e, method, path, body, "Bearer "+e.APIKey())
}

func callAuth(t *testing.T, e *Emulator, method, path, body, auth string) (int, []byte) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// decode unmarshals a JSON body into a generic map.
func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("body %s: %v", b, err)
	}
	return m
}

// wantError checks a standard Daily error answer.
func wantError(t *testing.T, status int, body []byte, wantStatus int, wantType string) map[string]any {
	t.Helper()
	m := decode(t, body)
	if status != wantStatus || m["error"] != wantType {
		t.Fatalf("got %d %s, want %d %s", status, body, wantStatus, wantType)
	}
	if _, ok := m["info"].(string); !ok {
		t.Fatalf("error without info: %s", body)
	}
	return m
}

func TestAuth(t *testing.T) {
	e := New(Options{})
	for _, auth := range []string{"", "Basic abc", "Bearer", "Bearer  ", "emulator-key"} {
		status, body := callAuth(t, e, "GET", "/v1/", "", auth)
		wantError(t, status, body, 400, "authorization-header-error")
	}
	status, body := callAuth(t, e, "GET", "/v1/", "", "Bearer wrong")
	wantError(t, status, body, 401, "authentication-error")
	if status, body := call(t, e, "GET", "/v1/", ""); status != 200 {
		t.Fatalf("valid key: %d %s", status, body)
	}
	e2 := New(Options{APIKey: "k2", DomainName: "acme"})
	status, body = callAuth(t, e2, "GET", "/v1", "", "Bearer k2")
	if status != 200 || decode(t, body)["domain_name"] != "acme" {
		t.Fatalf("custom key/domain: %d %s", status, body)
	}
}

func TestUnknownRouteAndBadJSON(t *testing.T) {
	e := New(Options{})
	for _, p := range []string{"/v1/nope", "/v2/", "/v1x", "/v1/release-phone-number/"} {
		status, body := call(t, e, "GET", p, "")
		wantError(t, status, body, 404, "not-found")
	}
	status, body := call(t, e, "DELETE", "/v1/release-phone-number", "")
	wantError(t, status, body, 404, "not-found")
	status, body = call(t, e, "POST", "/v1/", `{"properties":`)
	wantError(t, status, body, 400, "json-parsing-error")
	status, body = call(t, e, "POST", "/v1/buy-phone-number", `{"number":1} x`)
	wantError(t, status, body, 400, "json-parsing-error")
}

func TestCounts(t *testing.T) {
	e := New(Options{})
	call(t, e, "GET", "/v1/", "")
	call(t, e, "GET", "/v1", "")
	call(t, e, "POST", "/v1/", `{"properties":{}}`)
	call(t, e, "DELETE", "/v1/release-phone-number/abc", "")
	callAuth(t, e, "GET", "/v1/purchased-phone-numbers", "", "")
	call(t, e, "GET", "/v1/what", "")
	want := map[string]int{"GET /": 2, "POST /": 1, "DELETE /release-phone-number": 1, "GET /purchased-phone-numbers": 1, "GET /what": 1}
	got := e.Counts()
	if len(got) != len(want) {
		t.Fatalf("counts %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v || e.Count(k) != v {
			t.Fatalf("counts %v, want %v", got, want)
		}
	}
	e.ResetCounts()
	if len(e.Counts()) != 0 || e.Count("GET /") != 0 {
		t.Fatalf("after reset: %v", e.Counts())
	}
}

func TestFaultFail(t *testing.T) {
	e := New(Options{})
	e.SetFaults(Faults{FailRate: 1, FailStatuses: []int{503}})
	status, body := call(t, e, "POST", "/v1/buy-phone-number", "")
	wantError(t, status, body, 503, "server-error")
	// Injected before auth and before any work.
	status, body = callAuth(t, e, "GET", "/v1/", "", "")
	wantError(t, status, body, 503, "server-error")
	if n := len(e.Purchased()); n != 0 {
		t.Fatalf("failed buy purchased %d numbers", n)
	}
	if e.FaultStats().Failed != 2 || e.Count("POST /buy-phone-number") != 1 {
		t.Fatalf("stats %+v counts %v", e.FaultStats(), e.Counts())
	}

	e.SetFaults(Faults{FailRate: 1})
	seen := map[int]bool{}
	for range 60 {
		status, body := call(t, e, "GET", "/v1/", "")
		if !slices.Contains([]int{429, 500, 503}, status) {
			t.Fatalf("default statuses: got %d %s", status, body)
		}
		seen[status] = true
	}
	if len(seen) != 3 {
		t.Fatalf("default statuses seen: %v", seen)
	}
	e.SetFaults(Faults{})
	if status, _ := call(t, e, "GET", "/v1/", ""); status != 200 {
		t.Fatalf("faults off: %d", status)
	}
}

func TestFaultDropCommitsThenCloses(t *testing.T) {
	e := New(Options{})
	base := e.StartServer()
	defer e.Close()
	e.SetFaults(Faults{DropRate: 1})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req, _ := http.NewRequest("POST", base+"/buy-phone-number", strings.NewReader(`{}`))
	req.Header.Set("Authorization", "Bearer "+e.APIKey())
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("dropped request answered %d", resp.StatusCode)
	}
	if n := len(e.Purchased()); n != 1 {
		t.Fatalf("dropped buy committed %d numbers, want 1", n)
	}
	if s := e.FaultStats(); s.Dropped != 1 || e.Count("POST /buy-phone-number") != 1 {
		t.Fatalf("stats %+v counts %v", s, e.Counts())
	}
}

func TestFaultDropWithRecorder(t *testing.T) {
	e := New(Options{})
	e.SetFaults(Faults{DropRate: 1})
	defer func() {
		if r := recover(); r != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler", r)
		}
		if len(e.Purchased()) != 1 {
			t.Fatal("drop did not commit")
		}
	}()
	call(t, e, "POST", "/v1/buy-phone-number", "")
}

func TestFaultLatency(t *testing.T) {
	e := New(Options{})
	e.SetFaults(Faults{Latency: 40 * time.Millisecond})
	start := time.Now()
	if status, _ := call(t, e, "GET", "/v1/", ""); status != 200 {
		t.Fatal(status)
	}
	if d := time.Since(start); d < 40*time.Millisecond {
		t.Fatalf("answered after %v", d)
	}
}

func TestRateLimit(t *testing.T) {
	e := New(Options{})
	e.SetFaults(Faults{RateLimit: true})
	for i := range 20 {
		if status, body := call(t, e, "GET", "/v1/", ""); status != 200 {
			t.Fatalf("request %d: %d %s", i+1, status, body)
		}
	}
	req := httptest.NewRequest("GET", "/v1/", nil)
	req.Header.Set("Authorization", "Bearer "+e.APIKey())
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	wantError(t, rec.Code, rec.Body.Bytes(), 429, "rate-limit-error")
	if rec.Header().Get("Retry-After") != "" {
		t.Fatal("Retry-After sent")
	}
	if s := e.FaultStats(); s.RateLimited != 1 || e.Count("GET /") != 21 {
		t.Fatalf("stats %+v count %d", s, e.Count("GET /"))
	}
}

func TestFaultRoutes(t *testing.T) {
	e := New(Options{})
	e.SetFaults(Faults{FailRate: 1, FailStatuses: []int{500}, Routes: []string{"POST /buy-phone-number"}})
	if status, _ := call(t, e, "GET", "/v1/", ""); status != 200 {
		t.Fatalf("untargeted route failed: %d", status)
	}
	status, body := call(t, e, "POST", "/v1/buy-phone-number", "")
	wantError(t, status, body, 500, "server-error")
}

func TestClock(t *testing.T) {
	start := time.Date(2025, 3, 14, 4, 46, 31, 0, time.UTC)
	e := New(Options{Start: start})
	if !e.Now().Equal(start) {
		t.Fatalf("frozen clock: %v", e.Now())
	}
	e.Advance(time.Hour)
	if !e.Now().Equal(start.Add(time.Hour)) {
		t.Fatalf("advanced clock: %v", e.Now())
	}
	live := New(Options{})
	if d := time.Since(live.Now()); d < 0 || d > time.Minute {
		t.Fatalf("running clock off by %v", d)
	}
}
