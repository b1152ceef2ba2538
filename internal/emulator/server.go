// Package emulator is an in-memory stand-in for the parts of the Daily REST API
// that the provider uses (see /work/shared/daily-api.md, sections 0–4).
// It speaks HTTP/JSON only, keeps all state behind one mutex, and adds hooks for
// tests: an injectable clock, out-of-band edits, request counts and fault injection.
//
// Behaviour that Daily does not document is marked "[inferred]" in the source;
// where a test or the provider depends on such a reading, Options offers the
// others (see options.go).
package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options configures an Emulator. The zero value is usable.
type Options struct {
	APIKey     string    // default "emulator-key"
	DomainName string    // default "emulator-domain"
	Seed       int64     // deterministic inventory and random choices (hmac minting uses crypto/rand)
	Start      time.Time // initial clock; zero = time.Now() and the clock runs in real time, otherwise it is frozen and moves only with Advance
	Variants   Variants  // alternative documented response shapes
	// SendTestRequests makes a POST that sets pinless_dialin send {"Test":"test"}
	// to each room_creation_api (async, errors ignored) [doc].
	SendTestRequests bool
	// Readings of what Daily does not document (see options.go); the zero
	// value of each is the one the API contract calls most likely.
	DialinStore    DialinStore    // default DialinStoreShared
	PutOmittedHMAC PutOmittedHMAC // default PutOmittedHMACKeep
	PutSemantics   PutSemantics   // default PutMerge
	SipURI         SipURIMinting  // default SipURIStable
	SentSipURI     SentSipURI     // default SentSipURIIgnore
}

// Variants selects alternative response shapes that Daily documents or has been seen using.
type Variants struct {
	AvailableKeyPhoneNumber bool // list-available-numbers uses "phoneNumber" instead of "number"
	ReleaseDeletedBody      bool // release answers {"deleted":true,"id":...} instead of {"status":"ok"}
	RFC1123Dates            bool // created_date as "Mon, 19 Aug 2024 18:50:34 +0000"
}

// Faults makes the emulator misbehave like a real network service.
type Faults struct {
	FailRate     float64       // fraction of requests answered with one of FailStatuses before doing any work
	FailStatuses []int         // default {429, 500, 503}
	DropRate     float64       // fraction of requests fully applied, then the connection is closed with no response
	Latency      time.Duration // added to every request, before handling
	RateLimit    bool          // enforce Daily's 20 requests/s (sliding 1 s window) answering 429 rate-limit-error
	Routes       []string      // when non-empty, Fail/Drop apply only to these keys (same format as Count)
}

// FaultStats counts the faults injected so far.
type FaultStats struct{ Failed, Dropped, RateLimited int }

// Emulator is an in-memory Daily API for one domain. Create it with New.
type Emulator struct {
	opts     Options
	domainID string
	client   *http.Client // outgoing webhook and test requests

	mu        sync.Mutex
	rng       *rand.Rand
	clockBase time.Time
	running   bool // clock follows real time from clockBase
	advanced  time.Duration
	config    map[string]any
	pinless   []*dialinEntry // the domain arrays, in their order
	pin       []*dialinEntry
	separate  []*dialinEntry     // config objects of DialinStoreSeparate, oldest first
	nextSeq   int64              // creation order of config objects
	idSeq     map[string]int64   // every object id ever minted: list cursors outlive their object
	sipURIs   map[string]sipMint // sip_uri minted per route identity (sipIdentity)
	lastSipMS int64              // keeps minted sip_uris unique
	available []AvailableNumber
	purchased []PurchasedNumber // oldest first
	nextPID   int64
	calls     []Call
	counts    map[string]int
	faults    Faults
	stats     FaultStats
	admitted  []time.Time // rate-limit window, real time
	stale     staleState
	server    *httptest.Server
	closed    bool // Close has begun: no new background work

	bgCtx    context.Context // cancelled by Close to abandon test requests and stale copies
	bgCancel context.CancelFunc
	bg       sync.WaitGroup
}

// New returns an emulator with a default inventory of available numbers and
// no purchased numbers or dial-in entries. It panics on an Options reading
// that is not one of the named ones (OptionsFromEnv checks them first).
func New(opts Options) *Emulator {
	if opts.APIKey == "" {
		opts.APIKey = "emulator-key"
	}
	if opts.DomainName == "" {
		opts.DomainName = "emulator-domain"
	}
	if err := opts.check(); err != nil {
		panic(err)
	}
	opts.withDefaults()
	e := &Emulator{
		opts:    opts,
		client:  &http.Client{Timeout: 10 * time.Second},
		rng:     rand.New(rand.NewPCG(uint64(opts.Seed), 0x6461696c79)),
		config:  defaultConfig(),
		sipURIs: map[string]sipMint{},
		idSeq:   map[string]int64{},
		counts:  map[string]int{},
	}
	e.clockBase, e.running = opts.Start, opts.Start.IsZero()
	if e.running {
		e.clockBase = time.Now()
	}
	e.bgCtx, e.bgCancel = context.WithCancel(context.Background())
	e.domainID = e.uuid()
	e.available = defaultInventory(e.rng)
	// [inferred] pagination ids are large, monotonic and not contiguous.
	e.nextPID = 1000 + e.rng.Int64N(9000)
	return e
}

// APIKey is the only key the emulator accepts.
func (e *Emulator) APIKey() string { return e.opts.APIKey }

// DomainID is the domain's uuid, as returned in GET /.
func (e *Emulator) DomainID() string { return e.domainID }

// Now is the emulator's clock, which drives created_date and the 14-day release rule.
func (e *Emulator) Now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now()
}

func (e *Emulator) now() time.Time {
	t := e.clockBase.Add(e.advanced)
	if e.running {
		t = t.Add(time.Since(e.clockBase))
	}
	return t
}

// Advance moves the clock forward by d.
func (e *Emulator) Advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.advanced += d
}

// StartServer serves the emulator on a random 127.0.0.1 port and returns the base
// URL, ending in "/v1". Calling it again returns the same URL.
func (e *Emulator) StartServer() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.server == nil {
		e.server = httptest.NewServer(e)
	}
	return e.server.URL + "/v1"
}

// Close stops the server started by StartServer, abandons pending test
// requests and stale copies, and waits for their goroutines to end.
func (e *Emulator) Close() {
	e.mu.Lock()
	srv := e.server
	e.server = nil
	e.closed = true
	e.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
	e.bgCancel()
	e.bg.Wait()
}

// Count returns how many requests matched key: "METHOD /path" of the route,
// without the id of routes that take one, e.g. "GET /", "DELETE
// /release-phone-number" or "PUT /domain-dialin-config"; reading one config
// object is "GET /domain-dialin-config/:id", apart from the list's "GET
// /domain-dialin-config". Unknown routes are counted under "METHOD /path".
func (e *Emulator) Count(key string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.counts[key]
}

// Counts returns a copy of all request counts.
func (e *Emulator) Counts() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return maps.Clone(e.counts)
}

// ResetCounts zeroes all request counts.
func (e *Emulator) ResetCounts() {
	e.mu.Lock()
	defer e.mu.Unlock()
	clear(e.counts)
}

// SetFaults replaces the fault configuration; the zero Faults turns faults off.
func (e *Emulator) SetFaults(f Faults) {
	if len(f.FailStatuses) == 0 {
		f.FailStatuses = []int{http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusServiceUnavailable}
	}
	f.FailStatuses = slices.Clone(f.FailStatuses)
	f.Routes = slices.Clone(f.Routes)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = f
}

// FaultStats returns how many faults were injected so far.
func (e *Emulator) FaultStats() FaultStats {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stats
}

// response is a fully rendered answer. Bodies are marshalled while the lock is
// held, because stored entries can be mutated in place by MutateDialinEntry.
type response struct {
	status int
	body   []byte
}

func jsonResp(status int, v any) response {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("emulator: marshal response: %v", err))
	}
	return response{status, b}
}

// apiError is Daily's standard error: {"error": type, "info": text}.
type apiError struct {
	status int
	Type   string `json:"error"`
	Info   string `json:"info"`
}

func (a *apiError) Error() string { return a.Type + ": " + a.Info }

func (a *apiError) response() response { return jsonResp(a.status, a) }

func errorf(status int, typ, format string, args ...any) *apiError {
	return &apiError{status: status, Type: typ, Info: fmt.Sprintf(format, args...)}
}

func invalid(format string, args ...any) *apiError {
	return errorf(http.StatusBadRequest, "invalid-request-error", format, args...)
}

// errorType maps an injected status to the error type Daily documents for it;
// "not-found" for 404 is [inferred] (Daily documents the status, not the type).
func errorType(status int) string {
	switch {
	case status == http.StatusUnauthorized:
		return "authentication-error"
	case status == http.StatusForbidden:
		return "forbidden-error"
	case status == http.StatusNotFound:
		return "not-found"
	case status == http.StatusTooManyRequests:
		return "rate-limit-error"
	case status >= 500:
		return "server-error"
	default:
		return "invalid-request-error"
	}
}

type request struct {
	*http.Request
	param string // the :id of a route that takes one
	body  []byte
}

type handler func(*Emulator, request) response

type route struct {
	method, path string
	withID       bool // path is followed by "/:id"
	h            handler
	key          string // counting key; default "METHOD path"
}

var routes = []route{
	{http.MethodGet, "/", false, (*Emulator).getDomain, ""},
	{http.MethodPost, "/", false, (*Emulator).postDomain, ""},
	{http.MethodGet, "/list-available-numbers", false, (*Emulator).listAvailable, ""},
	{http.MethodPost, "/buy-phone-number", false, (*Emulator).buyNumber, ""},
	{http.MethodGet, "/purchased-phone-numbers", false, (*Emulator).listPurchased, ""},
	{http.MethodDelete, "/release-phone-number", true, (*Emulator).releaseNumber, ""},
	{http.MethodPost, "/domain-dialin-config", false, (*Emulator).createConfig, ""},
	{http.MethodGet, "/domain-dialin-config", false, (*Emulator).listConfigs, ""},
	{http.MethodGet, "/domain-dialin-config", true, (*Emulator).getConfig, "GET /domain-dialin-config/:id"},
	{http.MethodPut, "/domain-dialin-config", true, (*Emulator).putConfig, ""},
	{http.MethodDelete, "/domain-dialin-config", true, (*Emulator).deleteConfig, ""},
	{http.MethodPost, "/dialin/pinlessCallUpdate", false, (*Emulator).pinlessCallUpdate, ""},
	{http.MethodPost, "/_emulator/call", false, (*Emulator).emulatorCall, ""},
}

// match finds the route of r and its accounting key; h is nil for unknown routes.
func match(r *http.Request) (key string, h handler, param string) {
	p, ok := strings.CutPrefix(r.URL.Path, "/v1")
	if !ok || (p != "" && p[0] != '/') {
		return r.Method + " " + r.URL.Path, nil, ""
	}
	if p = strings.TrimSuffix(p, "/"); p == "" {
		p = "/"
	}
	for _, rt := range routes {
		if rt.method != r.Method {
			continue
		}
		key := rt.key
		if key == "" {
			key = rt.method + " " + rt.path
		}
		if !rt.withID && p == rt.path {
			return key, rt.h, ""
		}
		if id, ok := strings.CutPrefix(p, rt.path+"/"); rt.withID && ok && id != "" && !strings.Contains(id, "/") {
			return key, rt.h, id
		}
	}
	return r.Method + " " + p, nil, ""
}

// ServeHTTP answers requests under /v1. Order of work: count, latency, injected
// failure, auth, rate limit, handler, then possibly drop the connection.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key, h, param := match(r)
	e.mu.Lock()
	e.counts[key]++
	f := e.faults
	e.mu.Unlock()

	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	targeted := len(f.Routes) == 0 || slices.Contains(f.Routes, key)
	if targeted && e.roll(f.FailRate) {
		e.mu.Lock()
		status := f.FailStatuses[e.rng.IntN(len(f.FailStatuses))]
		e.stats.Failed++
		e.mu.Unlock()
		write(w, errorf(status, errorType(status), "injected fault").response())
		return
	}
	if err := e.authenticate(r); err != nil {
		write(w, err.response())
		return
	}
	if f.RateLimit && !e.admit() {
		// No Retry-After: Daily does not document one [doc].
		write(w, errorf(http.StatusTooManyRequests, "rate-limit-error", "rate limit exceeded").response())
		return
	}
	if h == nil {
		write(w, errorf(http.StatusNotFound, "not-found", "unknown endpoint %s", key).response()) // [inferred] unknown routes need auth too
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		write(w, errorf(http.StatusBadRequest, "json-parsing-error", "cannot read body: %v", err).response())
		return
	}
	resp := h(e, request{r, param, body})
	if targeted && e.roll(f.DropRate) {
		e.mu.Lock()
		e.stats.Dropped++
		e.mu.Unlock()
		drop(w)
		return
	}
	write(w, resp)
}

// roll reports whether a fault with probability rate happens now.
func (e *Emulator) roll(rate float64) bool {
	if rate <= 0 {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.rng.Float64() < rate
}

func (e *Emulator) authenticate(r *http.Request) *apiError {
	// [inferred] the scheme is case-insensitive, as in RFC 9110.
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return errorf(http.StatusBadRequest, "authorization-header-error", "Authorization header must be 'Bearer <API key>'")
	}
	if strings.TrimSpace(token) != e.opts.APIKey {
		return errorf(http.StatusUnauthorized, "authentication-error", "Invalid API key")
	}
	return nil
}

// admit applies the sliding one-second window; only admitted requests fill it
// [inferred], so a client that backs off recovers within a second.
func (e *Emulator) admit() bool {
	const limit, window = 20, time.Second
	e.mu.Lock()
	defer e.mu.Unlock()
	now := time.Now()
	i := 0
	for i < len(e.admitted) && now.Sub(e.admitted[i]) >= window {
		i++
	}
	e.admitted = e.admitted[i:]
	if len(e.admitted) >= limit {
		e.stats.RateLimited++
		return false
	}
	e.admitted = append(e.admitted, now)
	return true
}

func write(w http.ResponseWriter, resp response) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

// drop closes the client connection without an answer. Writers that cannot be
// hijacked (HTTP/2, recorders) get the net/http abort, which also sends nothing.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// decodeJSON decodes one JSON value, keeping numbers as written so that
// unknown entry fields are returned exactly as sent.
func decodeJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

func jsonParsingError(err error) *apiError {
	return errorf(http.StatusBadRequest, "json-parsing-error", "invalid JSON: %v", err)
}

// uuid returns a random (version 4) uuid from the seeded generator.
func (e *Emulator) uuid() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(e.rng.UintN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
