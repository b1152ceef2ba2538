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
	"sync"
	"testing"
)

const pinlessConfigJSON = `{"id":"0cb313e1-211f-4be0-833d-8c7305b19902","type":"pinless_dialin","config":{
	"phone_number":"+12555599999","name_prefix":"my-identifier-prefix","hmac":"9jyatvPWQfBymCGDOYPYKF/TRZXR+08Gj4bvPF78pH0=",
	"room_creation_api":"https://mydomain.com/api/create-room","hold_music_url":"https://mydomain.com/hold-music.mp3",
	"timeout_config":{"message":"No Agents are available right now"},
	"sip_uri":"236fed48c3a13d39--1749708775591@daily-236fed48c3a13d39-pinless-sip.dapp.signalwire.com"}}`

func TestCreateDialinConfig(t *testing.T) {
	t.Parallel()
	var method, path, body string
	c, _, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		method, path, body = r.Method, r.URL.Path, string(b)
		reply(w, 200, pinlessConfigJSON)
	})
	fields := json.RawMessage(` { "phone_number" : "+12555599999",
		"room_creation_api":"https://mydomain.com/api/create-room?a=1&b=<2>", "timeout_config":{"message":null} }`)
	got, err := c.CreateDialinConfig(context.Background(), DialinConfigPinless, fields)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"pinless_dialin", "phone_number" : "+12555599999",
		"room_creation_api":"https://mydomain.com/api/create-room?a=1&b=<2>", "timeout_config":{"message":null} }`
	if method != http.MethodPost || path != "/v1/domain-dialin-config" || body != want {
		t.Errorf("sent %s %s\n%s\nwant\n%s", method, path, body, want)
	}
	if !json.Valid([]byte(body)) {
		t.Error("body is not valid JSON")
	}
	if got.ID != "0cb313e1-211f-4be0-833d-8c7305b19902" || got.Type != DialinConfigPinless || got.PhoneNumber() != "+12555599999" {
		t.Errorf("got %+v", got)
	}
	if uri, ok := got.Text("sip_uri"); !ok || !strings.HasSuffix(uri, ".dapp.signalwire.com") {
		t.Errorf("sip_uri = %q", uri)
	}
	if string(got.Config["timeout_config"]) != `{"message":"No Agents are available right now"}` {
		t.Errorf("timeout_config = %s", got.Config["timeout_config"])
	}

	// An empty field set still makes a valid body.
	if _, err := c.CreateDialinConfig(context.Background(), DialinConfigPin, json.RawMessage(`{ }`)); err != nil {
		t.Fatal(err)
	}
	if body != `{"type":"pin_dialin" }` {
		t.Errorf("body %s", body)
	}
}

func TestDialinConfigBodiesRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	c, ts, _ := newTestClient(t, answer(200, pinlessConfigJSON))
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"create without type": func() error { _, err := c.CreateDialinConfig(ctx, "", json.RawMessage(`{}`)); return err },
		"create array":        func() error { _, err := c.CreateDialinConfig(ctx, DialinConfigPin, json.RawMessage(`[]`)); return err },
		"create null": func() error {
			_, err := c.CreateDialinConfig(ctx, DialinConfigPin, json.RawMessage(`null`))
			return err
		},
		"create invalid": func() error {
			_, err := c.CreateDialinConfig(ctx, DialinConfigPin, json.RawMessage(`{"a":`))
			return err
		},
		"create naming type": func() error {
			_, err := c.CreateDialinConfig(ctx, DialinConfigPin, json.RawMessage(`{"type":"pin_dialin"}`))
			return err
		},
		"update naming type": func() error {
			_, err := c.UpdateDialinConfig(ctx, "id", json.RawMessage(`{"type":"pin_dialin"}`))
			return err
		},
		"update string":  func() error { _, err := c.UpdateDialinConfig(ctx, "id", json.RawMessage(`"x"`)); return err },
		"update no id":   func() error { _, err := c.UpdateDialinConfig(ctx, "", json.RawMessage(`{}`)); return err },
		"get no id":      func() error { _, err := c.GetDialinConfig(ctx, ""); return err },
		"delete no id":   func() error { return c.DeleteDialinConfig(ctx, "") },
		"empty raw body": func() error { _, err := c.UpdateDialinConfig(ctx, "id", nil); return err },
	} {
		if err := call(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if n := ts.requests.Load(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestGetDialinConfigDecoding(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		check      func(*DialinConfig) error
	}{
		{"documented pinless", pinlessConfigJSON, func(d *DialinConfig) error {
			if h, _ := d.Text("hmac"); h != "9jyatvPWQfBymCGDOYPYKF/TRZXR+08Gj4bvPF78pH0=" {
				return fmt.Errorf("hmac %q", h)
			}
			return nil
		}},
		{"SIP-only with null phone_number", `{"id":"a","type":"pinless_dialin","config":{"phone_number":null,"name_prefix":"pbx","room_creation_api":"https://h.example/"}}`,
			func(d *DialinConfig) error {
				if _, ok := d.Config["phone_number"]; ok || d.PhoneNumber() != "" {
					return fmt.Errorf("null phone_number kept: %s", d.Config["phone_number"])
				}
				if p, _ := d.Text("name_prefix"); p != "pbx" {
					return fmt.Errorf("name_prefix %q", p)
				}
				return nil
			}},
		{"SIP-only without phone_number", `{"id":"a","type":"pinless_dialin","config":{"room_creation_api":"https://h.example/"}}`,
			func(d *DialinConfig) error {
				if d.PhoneNumber() != "" {
					return errors.New("phone number invented")
				}
				return nil
			}},
		{"dailybots", `{"id":"a","type":"pinless_dialin","config":{"phone_number":"+14155550100","room_creation_api":"dailybots"}}`,
			func(d *DialinConfig) error {
				if api, ok := d.Text("room_creation_api"); !ok || api != "dailybots" {
					return fmt.Errorf("room_creation_api %q", api)
				}
				return nil
			}},
		{"unknown fields kept as sent", `{"id":"a","type":"pin_dialin","extra":1,"config":{"phone_number":"+14155550100","ivr_greeting":{"message":"hi","voice":"x"},"x_future":[1, 2.50]}}`,
			func(d *DialinConfig) error {
				if string(d.Config["x_future"]) != `[1, 2.50]` || string(d.Config["ivr_greeting"]) != `{"message":"hi","voice":"x"}` {
					return fmt.Errorf("config %v", d.Config)
				}
				if _, ok := d.Text("ivr_greeting"); ok {
					return errors.New("an object read as a string")
				}
				return nil
			}},
		{"unknown type kept", `{"id":"a","type":"future_dialin","config":{}}`, func(d *DialinConfig) error {
			if d.Type != "future_dialin" {
				return fmt.Errorf("type %q", d.Type)
			}
			return nil
		}},
	} {
		var path string
		c, _, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
			path = r.RequestURI
			reply(w, 200, tc.body)
		})
		got, err := c.GetDialinConfig(context.Background(), "a/b c")
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if path != "/v1/domain-dialin-config/a%2Fb%20c" {
			t.Errorf("%s: path %s", tc.name, path)
		}
		if err := tc.check(got); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestDialinConfigMalformedAnswers(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"type":"pinless_dialin","config":{}}`,
		`{"id":"a","config":{}}`,
		`{"id":"a","type":"pinless_dialin"}`,
		`{"id":"a","type":"pinless_dialin","config":null}`,
		`{"id":"a","type":"pinless_dialin","config":[]}`,
		`{"id":"a","type":"pinless_dialin","config":{"phone_number":14155550100}}`,
		`{"id":"a","type":"pinless_dialin","config":{`,
		`{"status":"ok"}`,
		``,
	} {
		c, ts, _ := newTestClient(t, answer(200, body))
		_, err := c.GetDialinConfig(context.Background(), "a")
		var decodeErr *DecodeError
		if !errors.As(err, &decodeErr) || !strings.Contains(err.Error(), "GET /domain-dialin-config/a") {
			t.Errorf("%s: err = %v, want a DecodeError naming the request", body, err)
		}
		if ts.requests.Load() != 1 {
			t.Errorf("%s: retried", body)
		}
	}
}

func TestDialinConfigNotFound(t *testing.T) {
	t.Parallel()
	c, _, _ := newTestClient(t, answer(404, `{"error":"not-found","info":"dialin config a not found"}`))
	ctx := context.Background()
	_, getErr := c.GetDialinConfig(ctx, "a")
	_, putErr := c.UpdateDialinConfig(ctx, "a", json.RawMessage(`{}`))
	delErr := c.DeleteDialinConfig(ctx, "a")
	for name, err := range map[string]error{"get": getErr, "put": putErr, "delete": delErr} {
		var apiErr *APIError
		if !IsNotFound(err) || !errors.As(err, &apiErr) || apiErr.Type != "not-found" || apiErr.Info != "dialin config a not found" {
			t.Errorf("%s: err = %v, want the 404 with its type and info", name, err)
		}
	}
}

func TestUpdateDialinConfigSendsBodyByteForByte(t *testing.T) {
	t.Parallel()
	var method, path, body string
	c, _, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		method, path, body = r.Method, r.URL.Path, string(b)
		reply(w, 200, pinlessConfigJSON)
	})
	sent := json.RawMessage(`{"room_creation_api":"https://h.example/v2?x=<1>&y=2",  "hold_music_url":null,"timeout_config":null,"name_prefix":null,
		"hmac":"9jyatvPWQfBymCGDOYPYKF/TRZXR+08Gj4bvPF78pH0=","phone_number":"+12555599999"}`)
	got, err := c.UpdateDialinConfig(context.Background(), "0cb313e1", sent)
	if err != nil {
		t.Fatal(err)
	}
	if method != http.MethodPut || path != "/v1/domain-dialin-config/0cb313e1" || body != string(sent) {
		t.Errorf("sent %s %s %s", method, path, body)
	}
	if got.ID != "0cb313e1-211f-4be0-833d-8c7305b19902" {
		t.Errorf("got %+v", got)
	}
}

func TestDeleteDialinConfigAnswers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status int
		body   string
	}{
		{200, `{"status":"ok"}`},
		{200, ``},
		{204, ``},
		{200, `{"deleted":true,"id":"a"}`},
	} {
		var method, path string
		c, _, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
			method, path = r.Method, r.URL.Path
			if tc.status == 204 {
				w.WriteHeader(204)
				return
			}
			reply(w, tc.status, tc.body)
		})
		if err := c.DeleteDialinConfig(context.Background(), "a"); err != nil {
			t.Errorf("%d %q: %v", tc.status, tc.body, err)
		}
		if method != http.MethodDelete || path != "/v1/domain-dialin-config/a" {
			t.Errorf("sent %s %s", method, path)
		}
	}
}

// dialinConfigServer pages through n objects like Daily: newest first,
// limit, starting_after = an object id. It records every query.
type dialinConfigServer struct {
	mu      sync.Mutex
	items   []string // ids, newest first
	queries []url.Values
}

func (s *dialinConfigServer) handle(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		q := r.URL.Query()
		s.queries = append(s.queries, q)
		if r.URL.Path != "/v1/domain-dialin-config" || r.Method != http.MethodGet {
			t.Errorf("got %s %s", r.Method, r.URL.Path)
		}
		start := 0
		if after := q.Get("starting_after"); after != "" {
			for i, id := range s.items {
				if id == after {
					start = i + 1
				}
			}
		}
		limit := 100
		if _, err := fmt.Sscan(q.Get("limit"), &limit); err != nil || limit > 100 {
			t.Errorf("limit %q", q.Get("limit"))
		}
		var data []string
		for i := start; i < min(start+limit, len(s.items)); i++ {
			number := fmt.Sprintf(`"+1415555%04d"`, i)
			if i%50 == 7 {
				number = "null" // a SIP-only interconnect
			}
			data = append(data, fmt.Sprintf(`{"id":%q,"type":"pinless_dialin","config":{"phone_number":%s,"room_creation_api":"https://h.example/%d","hmac":"c2VjcmV0"}}`, s.items[i], number, i))
		}
		reply(w, 200, fmt.Sprintf(`{"total_count":%d,"data":[%s]}`, len(s.items), strings.Join(data, ",")))
	}
}

func TestListDialinConfigsPaginates(t *testing.T) {
	t.Parallel()
	srv := &dialinConfigServer{}
	for i := range 250 {
		srv.items = append(srv.items, fmt.Sprintf("id-%03d", i))
	}
	c, ts, _ := newTestClient(t, srv.handle(t))
	got, err := c.ListDialinConfigs(context.Background(), DialinConfigFilter{Type: DialinConfigPinless})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 || ts.requests.Load() != 3 {
		t.Fatalf("got %d configs in %d requests, want 250 in 3", len(got), ts.requests.Load())
	}
	for i, d := range got {
		if d.ID != srv.items[i] {
			t.Fatalf("item %d is %s, want %s", i, d.ID, srv.items[i])
		}
		if wantNumber := i%50 != 7; (d.PhoneNumber() != "") != wantNumber {
			t.Errorf("item %d: phone number %q", i, d.PhoneNumber())
		}
	}
	var cursors []string
	for _, q := range srv.queries {
		cursors = append(cursors, q.Get("starting_after"))
		if q.Get("limit") != "100" || q.Get("type") != "pinless_dialin" {
			t.Errorf("query %v", q)
		}
	}
	if want := []string{"", "id-099", "id-199"}; !reflect.DeepEqual(cursors, want) {
		t.Errorf("cursors %v, want %v", cursors, want)
	}
}

func TestListDialinConfigsFilters(t *testing.T) {
	t.Parallel()
	srv := &dialinConfigServer{items: []string{"a"}}
	c, _, _ := newTestClient(t, srv.handle(t))
	filter := DialinConfigFilter{
		PhoneNumber:  "+14155550100",
		PhoneNumbers: []string{"+14155550100", "5550101"},
		SIPUsername:  "236fed48c3a13d39--1749708775591",
		NamePrefix:   "support line",
		Type:         DialinConfigPin,
	}
	if _, err := c.ListDialinConfigs(context.Background(), filter); err != nil {
		t.Fatal(err)
	}
	want := url.Values{
		"limit":         {"100"},
		"phone_number":  {"+14155550100"},
		"phone_numbers": {"+14155550100,5550101"},
		"sip_username":  {"236fed48c3a13d39--1749708775591"},
		"name_prefix":   {"support line"},
		"type":          {"pin_dialin"},
	}
	if !reflect.DeepEqual(srv.queries[0], want) {
		t.Errorf("query %v\nwant %v", srv.queries[0], want)
	}
	if q := (DialinConfigFilter{}).Query(); len(q) != 0 {
		t.Errorf("empty filter sends %v", q)
	}
}

func TestListDialinConfigsGuards(t *testing.T) {
	t.Parallel()
	var full []string
	for i := range 100 {
		full = append(full, fmt.Sprintf(`{"id":"id-%d","type":"pin_dialin","config":{"phone_number":"+1"}}`, i))
	}
	for _, tc := range []struct {
		name, body string
		requests   int32
		want       string
	}{
		// A server that ignores starting_after returns the same page forever.
		{"repeated cursor", `{"total_count":500,"data":[` + strings.Join(full, ",") + `]}`, 2, "repeated cursor"},
		{"no data", `{"total_count":3}`, 1, `no "data"`},
		{"item without id", `{"total_count":1,"data":[{"type":"pin_dialin","config":{}}]}`, 1, "item 0"},
		{"items of the wrong shape", `{"data":[1]}`, 1, "GET /domain-dialin-config"},
	} {
		c, ts, _ := newTestClient(t, answer(200, tc.body))
		_, err := c.ListDialinConfigs(context.Background(), DialinConfigFilter{})
		var decodeErr *DecodeError
		if !errors.As(err, &decodeErr) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want a DecodeError about %q", tc.name, err, tc.want)
		}
		if n := ts.requests.Load(); n != tc.requests {
			t.Errorf("%s: %d requests, want %d", tc.name, n, tc.requests)
		}
	}
	// An empty listing and a full last page without total_count both end.
	c, ts, _ := newTestClient(t, sequence(answer(200, `{"data":[`+strings.Join(full, ",")+`]}`), answer(200, `{"data":[]}`)))
	got, err := c.ListDialinConfigs(context.Background(), DialinConfigFilter{})
	if err != nil || len(got) != 100 || ts.requests.Load() != 2 {
		t.Errorf("got %d, %v after %d requests", len(got), err, ts.requests.Load())
	}
}

// A create is retried only on 429, when Daily surely made nothing; a PUT,
// GET, list and DELETE are retried like reads.
func TestDialinConfigRetryRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	calls := map[string]struct {
		call        func(*Client) error
		retriedOn5x bool
	}{
		"create": {call: func(c *Client) error {
			_, err := c.CreateDialinConfig(ctx, DialinConfigPinless, json.RawMessage(`{"phone_number":"+12555599999"}`))
			return err
		}},
		"get": {retriedOn5x: true, call: func(c *Client) error { _, err := c.GetDialinConfig(ctx, "a"); return err }},
		"update": {retriedOn5x: true, call: func(c *Client) error {
			_, err := c.UpdateDialinConfig(ctx, "a", json.RawMessage(`{"hmac":"c2VjcmV0"}`))
			return err
		}},
		"delete": {retriedOn5x: true, call: func(c *Client) error { return c.DeleteDialinConfig(ctx, "a") }},
		"list": {retriedOn5x: true, call: func(c *Client) error {
			_, err := c.ListDialinConfigs(ctx, DialinConfigFilter{})
			return err
		}},
	}
	success := pinlessConfigJSON[:len(pinlessConfigJSON)-1] + `,"total_count":0,"data":[],"status":"ok"}`
	for name, tc := range calls {
		for _, failure := range []struct {
			name    string
			handler http.HandlerFunc
		}{
			{"500", answer(500, `{"error":"server-error"}`)},
			{"EOF", func(w http.ResponseWriter, _ *http.Request) { dropConnection(t, w) }},
		} {
			c, ts, _ := newTestClient(t, sequence(failure.handler, answer(200, success)))
			err := tc.call(c)
			switch {
			case tc.retriedOn5x && (err != nil || ts.requests.Load() != 2):
				t.Errorf("%s after %s: err = %v after %d requests, want success after 2", name, failure.name, err, ts.requests.Load())
			case !tc.retriedOn5x && (err == nil || !IsRetryable(err) || ts.requests.Load() != 1):
				t.Errorf("%s after %s: err = %v after %d requests, want the failure after 1", name, failure.name, err, ts.requests.Load())
			}
		}
		c, ts, _ := newTestClient(t, sequence(answer(429, `{"error":"rate-limit-error"}`), answer(200, success)))
		if err := tc.call(c); err != nil || ts.requests.Load() != 2 {
			t.Errorf("%s after 429: err = %v after %d requests, want success after 2", name, err, ts.requests.Load())
		}
		// A refusal is final for every call, with its status, type and info.
		c, ts, _ = newTestClient(t, answer(400, `{"error":"invalid-request-error","info":"+12555599999 already has a dial-in config"}`))
		err := tc.call(c)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Type != "invalid-request-error" ||
			!strings.Contains(err.Error(), "+12555599999 already has a dial-in config") || ts.requests.Load() != 1 {
			t.Errorf("%s after 400: err = %v after %d requests", name, err, ts.requests.Load())
		}
	}
}

func TestDialinConfigLogsRedactSecrets(t *testing.T) {
	t.Parallel()
	const secret, minted = "c3VwZXItc2VjcmV0LWhtYWM=", "9jyatvPWQfBymCGDOYPYKF/TRZXR+08Gj4bvPF78pH0="
	logger := &recordingLogger{}
	c, _, _ := newTestClient(t, sequence(
		answer(200, pinlessConfigJSON),
		answer(200, pinlessConfigJSON),
		answer(200, `{"total_count":1,"data":[`+pinlessConfigJSON+`]}`),
		answer(400, `<html>bad {"hmac": "`+secret+`"}</html>`),
	), func(cfg *Config) { cfg.Logger = logger })
	ctx := context.Background()
	fields := json.RawMessage(`{"phone_number":"+12555599999","hmac" : "` + secret + `"}`)
	if _, err := c.CreateDialinConfig(ctx, DialinConfigPinless, fields); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateDialinConfig(ctx, "a", fields); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListDialinConfigs(ctx, DialinConfigFilter{}); err != nil {
		t.Fatal(err)
	}
	_, err := c.UpdateDialinConfig(ctx, "a", fields)
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("error exposes the secret or is missing: %v", err)
	}
	logged := logger.text()
	for _, s := range []string{secret, minted, testAPIKey} {
		if strings.Contains(logged, s) {
			t.Errorf("log exposes %q:\n%s", s, logged)
		}
	}
	if strings.Count(logged, `"hmac":"***"`) < 6 {
		t.Errorf("bodies not logged redacted:\n%s", logged)
	}
}
