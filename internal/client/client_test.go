package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewBaseURLAndKeyRules(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		baseURL, key string
		wantURL      string
		wantErr      string
	}{
		{baseURL: "", key: "k", wantURL: DefaultBaseURL},
		{baseURL: "https://api.daily.co/v1/", key: "k", wantURL: "https://api.daily.co/v1"},
		{baseURL: "http://localhost:8080/v1", key: "k", wantURL: "http://localhost:8080/v1"},
		{baseURL: "http://127.0.0.5:1/", key: "k", wantURL: "http://127.0.0.5:1"},
		{baseURL: "http://[::1]:9000/v1", key: "k", wantURL: "http://[::1]:9000/v1"},
		{baseURL: "http://api.daily.co/v1", key: "k", wantErr: "unencrypted"},
		{baseURL: "http://10.0.0.1/v1", key: "k", wantErr: "loopback"},
		{baseURL: "http://localhost.evil.com/v1", key: "k", wantErr: "plain http"},
		{baseURL: "ftp://api.daily.co/v1", key: "k", wantErr: "scheme must be https"},
		{baseURL: "api.daily.co/v1", key: "k", wantErr: "not an absolute URL"},
		{baseURL: "https:///v1", key: "k", wantErr: "no host"},
		{baseURL: "https://api.daily.co/%zz", key: "k", wantErr: "invalid base URL"},
		{baseURL: "", key: "  ", wantErr: "API key is required"},
	} {
		c, err := New(Config{BaseURL: tc.baseURL, APIKey: tc.key})
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("New(%q): error %v, want one containing %q", tc.baseURL, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("New(%q): %v", tc.baseURL, err)
			continue
		}
		if c.cfg.BaseURL != tc.wantURL {
			t.Errorf("New(%q): base URL %q, want %q", tc.baseURL, c.cfg.BaseURL, tc.wantURL)
		}
	}
}

func TestNewDefaults(t *testing.T) {
	t.Parallel()
	c, err := New(Config{APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	got := c.cfg
	if got.UserAgent != "terraform-provider-daily" || got.RequestTimeout != 30*time.Second ||
		got.RetryMaxElapsed != 2*time.Minute || got.MinBackoff != 250*time.Millisecond ||
		got.MaxBackoff != 10*time.Second || got.HTTPClient == nil || got.HTTPClient.Timeout != 0 {
		t.Errorf("defaults not applied: %+v", got)
	}
	if _, err := New(Config{APIKey: "k", MinBackoff: time.Minute}); err == nil {
		t.Error("MinBackoff above MaxBackoff accepted")
	}
	if _, err := New(Config{APIKey: "k", RequestTimeout: -time.Second}); err == nil {
		t.Error("negative RequestTimeout accepted")
	}
}

func TestHeaders(t *testing.T) {
	t.Parallel()
	var get, post http.Header
	c, _, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			get = r.Header.Clone()
		} else {
			post = r.Header.Clone()
		}
		reply(w, 200, domainJSON)
	}, func(cfg *Config) { cfg.UserAgent = "tf-test/1.0" })
	ctx := context.Background()
	if _, err := c.GetDomain(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetDialinArrays(ctx, map[string][]json.RawMessage{PinlessDialin: nil}); err != nil {
		t.Fatal(err)
	}
	for name, h := range map[string]http.Header{"GET": get, "POST": post} {
		if h.Get("Authorization") != "Bearer "+testAPIKey {
			t.Errorf("%s Authorization = %q", name, h.Get("Authorization"))
		}
		if h.Get("User-Agent") != "tf-test/1.0" || h.Get("Accept") != "application/json" {
			t.Errorf("%s User-Agent/Accept = %q/%q", name, h.Get("User-Agent"), h.Get("Accept"))
		}
	}
	if get.Get("Content-Type") != "" || post.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type GET %q, POST %q", get.Get("Content-Type"), post.Get("Content-Type"))
	}
}

func TestDefaultUserAgent(t *testing.T) {
	t.Parallel()
	var ua string
	c, _, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		ua = r.UserAgent()
		reply(w, 200, domainJSON)
	})
	if _, err := c.GetDomain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ua != "terraform-provider-daily" {
		t.Errorf("User-Agent = %q", ua)
	}
}

func TestGetDomain(t *testing.T) {
	t.Parallel()
	c, _, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/v1/" {
			t.Errorf("got %s %s", r.Method, r.URL.Path)
		}
		reply(w, 200, `{"domain_name":"acme","domain_id":"d-1","config":{"lang":"en",
			"pinless_dialin":[{"phone_number":"+18058700061","hmac":"c2VjcmV0"}]}}`)
	})
	d, err := c.GetDomain(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d.DomainName != "acme" || d.DomainID != "d-1" || string(d.Config["lang"]) != `"en"` {
		t.Errorf("domain = %+v", d)
	}
	entries, err := d.DialinEntries(PinlessDialin)
	if err != nil || len(entries) != 1 || !strings.Contains(string(entries[0]), "c2VjcmV0") {
		t.Errorf("entries = %s, %v", entries, err)
	}
}

func TestSetDialinArraysSendsEntriesByteForByte(t *testing.T) {
	t.Parallel()
	var body string
	c, _, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		reply(w, 200, domainJSON)
	})
	entry := json.RawMessage(`{ "phone_number" : "+18058700061",  "hmac":"c2VjcmV0",
		"room_creation_api":"https://example.com/hook?a=1&b=<2>" }`)
	_, err := c.SetDialinArrays(context.Background(), map[string][]json.RawMessage{
		PinlessDialin: {entry, json.RawMessage(`{"sip_uri":"x"}`)},
		PinDialin:     nil,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"properties":{"pin_dialin":[],"pinless_dialin":[` + string(entry) + `,{"sip_uri":"x"}]}}`
	if body != want {
		t.Errorf("body\n got %s\nwant %s", body, want)
	}
	if !json.Valid([]byte(body)) {
		t.Error("body is not valid JSON")
	}
}

func TestSetDialinArraysRejectsInvalidEntry(t *testing.T) {
	t.Parallel()
	c, ts, _ := newTestClient(t, answer(200, domainJSON))
	_, err := c.SetDialinArrays(context.Background(), map[string][]json.RawMessage{PinlessDialin: {json.RawMessage(`{"a":`)}})
	if err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("err = %v", err)
	}
	if ts.requests.Load() != 0 {
		t.Error("an invalid body was sent")
	}
}

func TestListAvailableNumbers(t *testing.T) {
	t.Parallel()
	var query url.Values
	c, _, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/list-available-numbers" {
			t.Errorf("path %s", r.URL.Path)
		}
		query = r.URL.Query()
		reply(w, 200, `{"total_count":2,"data":[{"number":"+19499800001","region":"CA"},{"phoneNumber":"+19499800002","region":"NY"}]}`)
	})
	got, err := c.ListAvailableNumbers(context.Background(), NumberSearch{Region: "CA", City: "Irvine", EndsWith: "0001"})
	if err != nil {
		t.Fatal(err)
	}
	want := []AvailableNumber{{Number: "+19499800001", Region: "CA"}, {Number: "+19499800002", Region: "NY"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("numbers = %+v", got)
	}
	if wantQuery := (url.Values{"region": {"CA"}, "city": {"Irvine"}, "ends_with": {"0001"}}); !reflect.DeepEqual(query, wantQuery) {
		t.Errorf("query = %v, want %v", query, wantQuery)
	}
}

func TestListAvailableNumbersNoCriteria(t *testing.T) {
	t.Parallel()
	var rawQuery string
	c, _, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		rawQuery = r.URL.RawQuery
		reply(w, 200, `{"total_count":0,"data":[]}`)
	})
	got, err := c.ListAvailableNumbers(context.Background(), NumberSearch{})
	if err != nil || len(got) != 0 || rawQuery != "" {
		t.Errorf("got %v, %v, query %q", got, err, rawQuery)
	}
}

func TestBuyPhoneNumber(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		number, wantBody, answer string
	}{
		{"+18058700061", `{"number":"+18058700061"}`, `{"id":"n-1","number":"+18058700061"}`},
		{"", `{}`, `{"id":"n-1","phoneNumber":"+18058700061"}`},
	} {
		var body string
		c, _, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			body = string(b)
			if r.Method != http.MethodPost || r.URL.Path != "/v1/buy-phone-number" {
				t.Errorf("got %s %s", r.Method, r.URL.Path)
			}
			reply(w, 200, tc.answer)
		})
		got, err := c.BuyPhoneNumber(context.Background(), tc.number)
		if err != nil {
			t.Fatal(err)
		}
		if body != tc.wantBody || *got != (BoughtNumber{ID: "n-1", Number: "+18058700061"}) {
			t.Errorf("buy %q: body %s, got %+v", tc.number, body, got)
		}
	}
}

// purchasedServer pages through items like Daily: newest first, limit,
// starting_after = pagination_id. It records each cursor it is sent.
func purchasedServer(t *testing.T, items []map[string]any, pages *atomic.Int32, cursors *[]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		pages.Add(1)
		q := r.URL.Query()
		if q.Get("limit") != "50" || q.Get("filter_name") != "Acme" || q.Has("filter_number") {
			t.Errorf("query %v", q)
		}
		start := 0
		if after := q.Get("starting_after"); after != "" {
			*cursors = append(*cursors, after)
			for i, item := range items {
				if fmt.Sprint(item["pagination_id"]) == after {
					start = i + 1
				}
			}
		}
		page := items[start:min(start+50, len(items))]
		body, _ := json.Marshal(map[string]any{"total_count": len(items), "data": page})
		reply(w, 200, string(body))
	}
}

func TestListPurchasedNumbersPaginates(t *testing.T) {
	t.Parallel()
	var items []map[string]any
	for i := range 120 {
		pid := any(5000 - i)
		if i%7 == 0 {
			pid = fmt.Sprint(5000 - i) // the cursor has been seen as a string
		}
		item := map[string]any{
			"name": nil, "type": "purchased_phone_number", "id": fmt.Sprintf("id-%03d", i),
			"pagination_id": pid, "created_date": "2025-03-14T04:46:31.000Z",
			"number": fmt.Sprintf("+1805870%04d", i), "status": "verified", "verified": true,
		}
		if i%2 == 1 {
			item["created_date"] = "Mon, 19 Aug 2024 18:50:34 +0000"
		}
		if i == 3 {
			item["created_date"] = "2025-03-14T04:46:31Z"
			item["name"] = "Acme"
		}
		if i == 10 || i == 49 {
			delete(item, "id") // verified caller ids come without id
		}
		items = append(items, item)
	}
	var pages atomic.Int32
	var cursors []string
	c, _, _ := newTestClient(t, purchasedServer(t, items, &pages, &cursors))
	got, err := c.ListPurchasedNumbers(context.Background(), PurchasedFilter{Name: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 118 || pages.Load() != 3 {
		t.Fatalf("got %d numbers in %d pages, want 118 in 3", len(got), pages.Load())
	}
	// The cursor is the last item's pagination_id: item 49's was sent as a string, item 99's as a number.
	if want := []string{"4951", "4901"}; !reflect.DeepEqual(cursors, want) {
		t.Errorf("cursors sent %v, want %v", cursors, want)
	}
	first := got[0]
	if first.ID != "id-000" || first.Number != "+18058700000" || first.Name != nil || first.Type != "purchased_phone_number" ||
		first.Status != "verified" || !first.Verified ||
		!first.CreatedDate.Equal(time.Date(2025, 3, 14, 4, 46, 31, 0, time.UTC)) {
		t.Errorf("first = %+v", first)
	}
	if !got[1].CreatedDate.Equal(time.Date(2024, 8, 19, 18, 50, 34, 0, time.UTC)) {
		t.Errorf("RFC1123Z date = %v", got[1].CreatedDate)
	}
	if got[3].Name == nil || *got[3].Name != "Acme" || got[3].CreatedDate.IsZero() {
		t.Errorf("item 3 = %+v", got[3])
	}
	if last := got[len(got)-1]; last.ID != "id-119" {
		t.Errorf("last = %+v", last)
	}
	for _, n := range got {
		if n.ID == "" {
			t.Error("an item without id was kept")
		}
	}
}

func TestListPurchasedNumbersStopsOnRepeatedCursor(t *testing.T) {
	t.Parallel()
	var data []string
	for i := range 50 {
		data = append(data, fmt.Sprintf(`{"id":"id-%d","number":"+1","pagination_id":%d}`, i, 100-i))
	}
	// A server that ignores starting_after returns the same page forever.
	c, ts, _ := newTestClient(t, answer(200, `{"total_count":500,"data":[`+strings.Join(data, ",")+`]}`))
	_, err := c.ListPurchasedNumbers(context.Background(), PurchasedFilter{})
	var decodeErr *DecodeError
	if !errors.As(err, &decodeErr) || !strings.Contains(err.Error(), "repeated cursor") {
		t.Errorf("err = %v", err)
	}
	if n := ts.requests.Load(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestListPurchasedNumbersRejectsBadItems(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"total_count":1,"data":[{"id":"a","created_date":"yesterday"}]}`,
		`{"total_count":1,"data":[{"id":"a","pagination_id":"abc"}]}`,
		`{"total_count":1}`,
	} {
		c, _, _ := newTestClient(t, answer(200, body))
		var decodeErr *DecodeError
		if _, err := c.ListPurchasedNumbers(context.Background(), PurchasedFilter{}); !errors.As(err, &decodeErr) {
			t.Errorf("%s: err = %v, want a DecodeError", body, err)
		}
	}
}

func TestReleasePhoneNumber(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status int
		body   string
	}{
		{200, `{"status":"ok"}`},
		{200, `{"deleted": true, "id": "a/b c"}`},
		{200, ``},
		{204, ``},
	} {
		var uri, method string
		c, _, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
			uri, method = r.RequestURI, r.Method
			if tc.status == 204 {
				w.WriteHeader(204)
				return
			}
			reply(w, tc.status, tc.body)
		})
		if err := c.ReleasePhoneNumber(context.Background(), "a/b c"); err != nil {
			t.Errorf("answer %d %q: %v", tc.status, tc.body, err)
		}
		if method != http.MethodDelete || uri != "/v1/release-phone-number/a%2Fb%20c" {
			t.Errorf("got %s %s", method, uri)
		}
	}
	c, _, _ := newTestClient(t, answer(200, `{}`))
	if err := c.ReleasePhoneNumber(context.Background(), ""); err == nil {
		t.Error("empty id accepted")
	}
}

func TestAPIErrorParsing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		status   int
		body     string
		wantType string
		wantInfo string
	}{
		{"standard", 400, `{"error":"invalid-request-error","info":"+1805 not associated with domain"}`,
			"invalid-request-error", "+1805 not associated with domain"},
		{"vendor 422", 422, `{"errors":[{"detail":"Number is invalid.","status":"422","title":"Invalid Attribute","code":"422"},` +
			`{"detail":"Try another.","title":"Invalid Attribute"}],"status":422}`,
			"Invalid Attribute", "Number is invalid.; Try another."},
		{"release 422", 422, `{"error":"Failed to release new number, try again in 14 days"}`,
			"Failed to release new number, try again in 14 days", ""},
		{"not found", 404, `{"error":"not-found","info":"no such number"}`, "not-found", "no such number"},
		{"html", 404, "<html>\n<head><title>404 Not Found</title></head>\n<body>nginx</body></html>\n",
			"", "<html> <head><title>404 Not Found</title></head> <body>nginx</body></html>"},
		{"odd json", 400, `{"error":{"nested":true}}`, "", `{"error":{"nested":true}}`},
		{"empty", 400, ``, "", ""},
	} {
		c, _, _ := newTestClient(t, answer(tc.status, tc.body))
		err := c.ReleasePhoneNumber(context.Background(), "n-1")
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			t.Errorf("%s: err = %v, want an APIError", tc.name, err)
			continue
		}
		want := APIError{Method: "DELETE", Path: "/release-phone-number/n-1", StatusCode: tc.status, Type: tc.wantType, Info: tc.wantInfo}
		if *apiErr != want {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, *apiErr, want)
		}
		if IsNotFound(err) != (tc.status == 404) {
			t.Errorf("%s: IsNotFound = %v", tc.name, IsNotFound(err))
		}
	}
}

func TestAPIErrorHTMLExcerptIsShort(t *testing.T) {
	t.Parallel()
	page := "<html><body>" + strings.Repeat("Bad gateway é ", 500) + "</body></html>"
	c, _, _ := newTestClient(t, answer(400, page))
	_, err := c.GetDomain(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v", err)
	}
	if n := len([]rune(apiErr.Info)); n > 201 || !strings.HasPrefix(apiErr.Info, "<html><body>Bad gateway é") {
		t.Errorf("info has %d runes: %q", n, apiErr.Info)
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		call       func(*Client) error
	}{
		{"truncated domain", `{"domain_name":"acme","config":{"lang":`, getDomain},
		{"empty domain", ``, getDomain},
		{"domain null", `null`, getDomain},
		{"domain object without fields", `{}`, getDomain},
		{"wrong type", `{"domain_name":5}`, getDomain},
		{"html 200", `<html>maintenance</html>`, getDomain},
		{"available without data", `{"total_count":3}`, func(c *Client) error {
			_, err := c.ListAvailableNumbers(context.Background(), NumberSearch{})
			return err
		}},
		{"available item without number", `{"data":[{"region":"CA"}]}`, func(c *Client) error {
			_, err := c.ListAvailableNumbers(context.Background(), NumberSearch{})
			return err
		}},
		{"bought without id", `{"number":"+1"}`, func(c *Client) error {
			_, err := c.BuyPhoneNumber(context.Background(), "")
			return err
		}},
		{"release html", `<html>ok</html>`, func(c *Client) error {
			return c.ReleasePhoneNumber(context.Background(), "n-1")
		}},
	} {
		c, ts, _ := newTestClient(t, answer(200, tc.body))
		err := tc.call(c)
		var decodeErr *DecodeError
		if !errors.As(err, &decodeErr) {
			t.Errorf("%s: err = %v, want a DecodeError", tc.name, err)
		}
		if IsRetryable(err) || ts.requests.Load() != 1 {
			t.Errorf("%s: a decode error was retried", tc.name)
		}
	}
}

func getDomain(c *Client) error {
	_, err := c.GetDomain(context.Background())
	return err
}

func TestHugeBody(t *testing.T) {
	t.Parallel()
	huge := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(status)
			_, _ = io.WriteString(w, `{"domain_name":"`)
			chunk := strings.Repeat("x", 1<<20)
			for range 11 {
				if _, err := io.WriteString(w, chunk); err != nil {
					return // the client stopped reading, as it should
				}
			}
		}
	}
	c, _, _ := newTestClient(t, huge(200))
	_, err := c.GetDomain(context.Background())
	var decodeErr *DecodeError
	if !errors.As(err, &decodeErr) || !strings.Contains(err.Error(), "larger than 10 MiB") {
		t.Errorf("2xx: err = %v", err)
	}

	c, _, _ = newTestClient(t, huge(400))
	_, err = c.GetDomain(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || len(apiErr.Info) > 210 {
		t.Errorf("4xx: err = %.300v", err)
	}
}
