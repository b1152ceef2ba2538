package dialin

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// fakeDaily keeps the dial-in arrays like Daily does: whole-array writes, an
// hmac minted for every entry written without one.
type fakeDaily struct {
	mu     sync.Mutex
	arrays map[string][]json.RawMessage
	gets   int
	posts  int
	minted int
	// beforePost may fail a write before it is applied; afterPost runs once it
	// is applied and may fail the response (a lost answer).
	beforePost func(n int, arrays map[string][]json.RawMessage) error
	afterPost  func(n int) error

	sipURIs map[string]any // by entry key

	// Config objects: see fakeobjects_test.go.
	objects      map[string]client.DialinConfig
	nextID       int
	objectWrites int
	objectCalls  map[string]int
	objectFaults objectFaults
	// latency is added to every request, before it is served; requests
	// records each one as it is served ("GET" or "POST") with when it was sent.
	latency  time.Duration
	requests []request
}

type request struct {
	method string
	sent   time.Time
}

func newFakeDaily(pinless ...string) *fakeDaily {
	f := &fakeDaily{arrays: map[string][]json.RawMessage{}, sipURIs: map[string]any{}, objectCalls: map[string]int{}}
	for _, e := range pinless {
		f.arrays[client.PinlessDialin] = append(f.arrays[client.PinlessDialin], json.RawMessage(e))
	}
	return f
}

func (f *fakeDaily) domain() *client.Domain {
	cfg := map[string]json.RawMessage{}
	for _, a := range Arrays {
		raws := f.arrays[a]
		if raws == nil {
			raws = []json.RawMessage{}
		}
		b, _ := json.Marshal(raws)
		cfg[a] = b
	}
	return &client.Domain{DomainName: "fake", Config: cfg}
}

func (f *fakeDaily) GetDomain(context.Context) (*client.Domain, error) {
	sent := time.Now()
	time.Sleep(f.latency)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets++
	f.requests = append(f.requests, request{"GET", sent})
	return f.domain(), nil
}

func (f *fakeDaily) SetDialinArrays(_ context.Context, arrays map[string][]json.RawMessage) (*client.Domain, error) {
	sent := time.Now()
	time.Sleep(f.latency)
	f.mu.Lock()
	f.posts++
	f.requests = append(f.requests, request{"POST", sent})
	n := f.posts
	if f.beforePost != nil {
		if err := f.beforePost(n, arrays); err != nil {
			f.mu.Unlock()
			return nil, err
		}
	}
	for name, raws := range arrays {
		// sip_uri is Daily's: one sent is ignored, and a key keeps the one
		// it had, even after its entry was deleted (the emulator's stable
		// reading).
		for _, raw := range f.arrays[name] {
			if en, err := parseEntry(raw); err == nil {
				var m map[string]any
				_ = json.Unmarshal(raw, &m)
				if uri, ok := m["sip_uri"]; ok {
					f.sipURIs[en.Key()] = uri
				}
			}
		}
		stored := make([]json.RawMessage, len(raws))
		for i, raw := range raws {
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				f.mu.Unlock()
				return nil, &client.APIError{StatusCode: 400, Type: "json-parsing-error"}
			}
			if _, ok := m["hmac"]; !ok {
				f.minted++
				m["hmac"] = fmt.Sprintf("minted-%d", f.minted)
			}
			delete(m, "sip_uri")
			if en, err := parseEntry(raw); err == nil {
				if uri, ok := f.sipURIs[en.Key()]; ok {
					m["sip_uri"] = uri
				}
			}
			stored[i], _ = json.Marshal(m)
		}
		f.arrays[name] = stored
	}
	dom := f.domain()
	after := f.afterPost
	f.mu.Unlock()
	if after != nil {
		if err := after(n); err != nil {
			return nil, err
		}
	}
	return dom, nil
}

func (f *fakeDaily) counts() (gets, posts int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.gets, f.posts
}

func (f *fakeDaily) has(array, key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, raw := range f.arrays[array] {
		if en, _ := parseEntry(raw); en.Key() == key {
			return true
		}
	}
	return false
}

func (f *fakeDaily) raw(array string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, _ := json.Marshal(f.arrays[array])
	return string(b)
}

var pinlessFields = []string{"phone_number", "room_creation_api", "name_prefix", "hmac"}

func routeSpec(number, webhook string) RouteSpec {
	set := map[string]json.RawMessage{
		"phone_number":      jsonString(number),
		"room_creation_api": jsonString(webhook),
	}
	return RouteSpec{Key: number, Set: set, Managed: pinlessFields, Preserve: []string{"hmac"}}
}

func jsonString(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

func testOptions() Options {
	return Options{BatchWindow: 20 * time.Millisecond, VerifyDelay: -1, RetryBackoff: time.Millisecond}
}

const unmanaged = `{"hmac":"c2VjcmV0","phone_number":"+15550000001","room_creation_api":"https://other.example/hook","sip_uri":"sip:x@fake.sip.daily.co","x_future":{"a":1}}`

func createConcurrently(t *testing.T, eng *Engine, n int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			_, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec(fmt.Sprintf("+1555100%04d", i), "https://hook.example/in"))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
