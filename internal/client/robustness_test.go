package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// endpoint calls one client method and checks what it returned on success,
// so that an answer it cannot read is never mistaken for an empty one.
type endpoint struct {
	name string
	call func(*Client) error
}

// errInvariant marks a success that carried less than the caller needs.
var errInvariant = errors.New("success without the data it promises")

var endpoints = []endpoint{
	{"GET /", func(c *Client) error {
		d, err := c.GetDomain(context.Background())
		if err == nil {
			return checkDecodedDomain(d)
		}
		return err
	}},
	{"POST / (dial-in)", func(c *Client) error {
		d, err := c.SetDialinArrays(context.Background(), map[string][]json.RawMessage{PinlessDialin: nil})
		if err == nil {
			return checkDecodedDomain(d)
		}
		return err
	}},
	{"GET /list-available-numbers", func(c *Client) error {
		numbers, err := c.ListAvailableNumbers(context.Background(), NumberSearch{Region: "CA"})
		for _, n := range numbers {
			if n.Number == "" {
				return fmt.Errorf("%w: an available number without number was returned", errInvariant)
			}
		}
		return err
	}},
	{"POST /buy-phone-number", func(c *Client) error {
		bought, err := c.BuyPhoneNumber(context.Background(), "")
		if err == nil && (bought.ID == "" || bought.Number == "") {
			return fmt.Errorf("%w: a bought number without id or number was returned", errInvariant)
		}
		return err
	}},
	{"GET /purchased-phone-numbers", func(c *Client) error {
		numbers, err := c.ListPurchasedNumbers(context.Background(), PurchasedFilter{})
		for _, n := range numbers {
			if n.ID == "" {
				return fmt.Errorf("%w: a purchased number without id was returned", errInvariant)
			}
		}
		return err
	}},
	{"DELETE /release-phone-number/:id", func(c *Client) error {
		return c.ReleasePhoneNumber(context.Background(), "n-1")
	}},
	{"POST /domain-dialin-config", func(c *Client) error {
		d, err := c.CreateDialinConfig(context.Background(), DialinConfigPinless, json.RawMessage(`{"phone_number":"+14155550100"}`))
		if err == nil {
			return checkDecodedConfig(d)
		}
		return err
	}},
	{"GET /domain-dialin-config/:id", func(c *Client) error {
		d, err := c.GetDialinConfig(context.Background(), "c-1")
		if err == nil {
			return checkDecodedConfig(d)
		}
		return err
	}},
	{"PUT /domain-dialin-config/:id", func(c *Client) error {
		d, err := c.UpdateDialinConfig(context.Background(), "c-1", json.RawMessage(`{"hmac":"c2VjcmV0"}`))
		if err == nil {
			return checkDecodedConfig(d)
		}
		return err
	}},
	{"GET /domain-dialin-config", func(c *Client) error {
		configs, err := c.ListDialinConfigs(context.Background(), DialinConfigFilter{})
		for i := range configs {
			if err := checkDecodedConfig(&configs[i]); err != nil {
				return err
			}
		}
		return err
	}},
	{"DELETE /domain-dialin-config/:id", func(c *Client) error {
		return c.DeleteDialinConfig(context.Background(), "c-1")
	}},
}

// checkDecodedConfig: a dial-in config carries what a caller keys on.
func checkDecodedConfig(d *DialinConfig) error {
	if d == nil || d.ID == "" || d.Type == "" || d.Config == nil {
		return fmt.Errorf("%w: a dial-in config without id, type or config was returned: %+v", errInvariant, d)
	}
	for field, raw := range d.Config {
		if !json.Valid(raw) {
			return fmt.Errorf("%w: config field %s is not valid JSON", errInvariant, field)
		}
	}
	if raw, ok := d.Config["phone_number"]; ok && string(raw) == "null" {
		return fmt.Errorf("%w: a null phone_number was kept", errInvariant)
	}
	return nil
}

// checkDecodedDomain reads both dial-in arrays, as the engine does with every answer.
func checkDecodedDomain(d *Domain) error {
	if d == nil {
		return fmt.Errorf("%w: nil domain without error", errInvariant)
	}
	for _, array := range []string{PinlessDialin, PinDialin} {
		entries, err := d.DialinEntries(array)
		if err != nil {
			var decodeErr *DecodeError
			if !errors.As(err, &decodeErr) {
				return fmt.Errorf("%w: DialinEntries failed without a DecodeError: %v", errInvariant, err)
			}
			continue
		}
		for _, e := range entries {
			if !json.Valid(e) {
				return fmt.Errorf("%w: an entry that is not valid JSON was returned", errInvariant)
			}
		}
	}
	return nil
}

// Unexpected answers on every endpoint: each ends in a clear error naming the
// request, never a panic, never a success with nothing in it.
func TestUnexpectedAnswersOnEveryEndpoint(t *testing.T) {
	t.Parallel()
	badGateway := "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n"
	answers := []struct {
		name   string
		status int
		body   string
		// acceptedBy starts the names of the endpoints that legitimately accept this body.
		acceptedBy string
	}{
		{"truncated JSON", 200, `{"domain_name":"acme","total_count":2,"data":[{"id":"n-1","number":"+1415`, ""},
		{"HTML error page", 502, badGateway, ""},
		{"HTML with 200", 200, "<!DOCTYPE html><html><body>Maintenance</body></html>", ""},
		{"data is a string", 200, `{"data":"x"}`, "DELETE "},
		{"data items are numbers", 200, `{"data":[1,2,3]}`, "DELETE "},
		{"every field of the wrong type", 200, `{"domain_name":1,"config":[],"data":{},"id":2,"number":3,"status":4,"deleted":"yes"}`, ""},
		{"JSON array", 200, `[]`, ""},
		{"JSON null", 200, `null`, "DELETE "},
		{"JSON string", 200, `"ok"`, ""},
		{"empty body", 200, ``, "DELETE "},
	}
	for _, a := range answers {
		for _, ep := range endpoints {
			c, _, _ := newTestClient(t, answer(a.status, a.body))
			err := ep.call(c)
			if a.acceptedBy != "" && strings.HasPrefix(ep.name, a.acceptedBy) {
				continue // e.g. a release or delete takes any 2xx without error fields as done
			}
			if err == nil {
				t.Errorf("%s on %s: no error", a.name, ep.name)
				continue
			}
			var apiErr *APIError
			var decodeErr *DecodeError
			switch {
			case a.status >= 300:
				if !errors.As(err, &apiErr) || apiErr.StatusCode != a.status || !strings.Contains(apiErr.Info, "502 Bad Gateway") {
					t.Errorf("%s on %s: err = %v, want an APIError %d quoting the page", a.name, ep.name, err, a.status)
				}
			case !errors.As(err, &decodeErr):
				t.Errorf("%s on %s: err = %v (%T), want a DecodeError", a.name, ep.name, err, err)
			}
			if !strings.Contains(err.Error(), "daily: ") {
				t.Errorf("%s on %s: error %q does not say it comes from Daily", a.name, ep.name, err)
			}
		}
	}
	t.Logf("%d unexpected answers × %d endpoints", len(answers), len(endpoints))
}

// A 2xx answer over 10 MiB is refused on every endpoint without reading it all.
func TestHugeAnswerOnEveryEndpoint(t *testing.T) {
	t.Parallel()
	huge := func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{"data":[`)
		item := strings.Repeat(`{"id":"n","number":"+14155550100","pagination_id":1},`, 1<<14)
		for range 14 { // ~12 MiB
			if _, err := io.WriteString(w, item); err != nil {
				return
			}
		}
	}
	for _, ep := range endpoints {
		c, _, _ := newTestClient(t, huge)
		err := ep.call(c)
		var decodeErr *DecodeError
		if !errors.As(err, &decodeErr) || !strings.Contains(err.Error(), "larger than 10 MiB") {
			t.Errorf("%s: err = %.200v, want a DecodeError about the size", ep.name, err)
		}
	}
}

// fuzzServer answers every request with the current fuzz input.
type fuzzServer struct {
	mu     sync.Mutex
	status int
	body   []byte
}

func (s *fuzzServer) set(status int, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status, s.body = status, body
}

func (s *fuzzServer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	status, body := s.status, s.body
	s.mu.Unlock()
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// FuzzResponseDecoders feeds arbitrary answers to every endpoint: no panic,
// and a success must carry what the caller needs (checked by endpoints).
func FuzzResponseDecoders(f *testing.F) {
	// Real shapes from the API contract.
	for _, seed := range []string{
		domainJSON,
		`{"domain_name":"acme","domain_id":"d","config":{"pinless_dialin":[{"phone_number":"+14155550100","room_creation_api":"https://h.example","hmac":"c2VjcmV0","sip_uri":"sip:x@acme.sip.daily.co"}],"pin_dialin":[{"phone_number":"+14155550101","name_prefix":"p","ivr_greeting":{"message":"hi"}}]}}`,
		`{"domain_name":"acme","config":{"pinless_dialin":null,"pin_dialin":{}}}`,
		`{"total_count":2,"data":[{"number":"+19499800001","region":"CA"},{"phoneNumber":"+19499800002","region":"CA"}]}`,
		`{"id":"6f1c5b8e-0000-4000-8000-000000000000","number":"+18058700061"}`,
		`{"total_count":2,"data":[{"name":null,"type":"purchased_phone_number","id":"u","pagination_id":3391,"created_date":"2025-03-14T04:46:31.000Z","number":"+18058700061","status":"verified","verified":true},{"number":"+1","verified":true}]}`,
		`{"total_count":1,"data":[{"id":"u","pagination_id":"12","created_date":"Mon, 19 Aug 2024 18:50:34 +0000","number":"+18058700061"}]}`,
		`{"status":"ok"}`,
		`{"deleted":true,"id":"u"}`,
		`{"id":"0cb313e1-211f-4be0-833d-8c7305b19902","type":"pinless_dialin","config":{"phone_number":"+12555599999","hmac":"c2VjcmV0","room_creation_api":"https://h.example","sip_uri":"a--1@daily-a-pinless-sip.dapp.signalwire.com"}}`,
		`{"id":"c","type":"pinless_dialin","config":{"phone_number":null,"name_prefix":"pbx","room_creation_api":"dailybots"}}`,
		`{"total_count":1,"data":[{"id":"c","type":"pin_dialin","config":{"phone_number":"+12555599999","ivr_greeting":{"message":"hi"}}}]}`,
		`{"error":"invalid-request-error","info":"+1805 not associated with domain"}`,
		`{"errors":[{"detail":"Number is invalid.","status":"422","title":"Invalid Attribute","code":"422"}],"status":422}`,
		`{"error":"Failed to release new number, try again in 14 days"}`,
		`<html><title>502 Bad Gateway</title></html>`,
		`{"domain_name":"acme","config":{"pinless_dialin":[{"hmac":"c2Vj`,
	} {
		f.Add(uint8(0), []byte(seed))
		f.Add(uint8(22), []byte(seed))
	}
	srv := &fuzzServer{}
	ts := httptest.NewServer(srv)
	f.Cleanup(ts.Close)
	c, err := New(Config{BaseURL: ts.URL + "/v1", APIKey: testAPIKey, RetryMaxElapsed: time.Millisecond})
	if err != nil {
		f.Fatal(err)
	}
	// Retries of 5xx and 429 would only wait: make them instant and bounded.
	clock := &fakeClock{now: time.Now()}
	c.now, c.sleep = clock.Now, clock.Sleep
	// Statuses a server may send: 2xx and the error ones.
	statuses := []int{200, 201, 204, 400, 401, 403, 404, 422, 429, 500, 502, 503}

	f.Fuzz(func(t *testing.T, statusPick uint8, body []byte) {
		status := statuses[int(statusPick)%len(statuses)]
		srv.set(status, body)
		for _, ep := range endpoints {
			err := ep.call(c)
			if err == nil {
				if status >= 300 {
					t.Fatalf("%s: HTTP %d taken as success", ep.name, status)
				}
				continue
			}
			if errors.Is(err, errInvariant) {
				t.Fatalf("%s: %v", ep.name, err)
			}
			var apiErr *APIError
			if status >= 300 && !errors.As(err, &apiErr) {
				t.Fatalf("%s: HTTP %d gave %T %v, want an APIError", ep.name, status, err, err)
			}
		}
	})
}

// FuzzRedactSecrets: whatever surrounds it and however it is escaped, an
// hmac value in a JSON body never survives redaction or the log truncation.
func FuzzRedactSecrets(f *testing.F) {
	f.Add("c2VjcmV0LWhtYWMtdmFsdWU=", `{"phone_number":"+14155550100"}`, 0)
	f.Add(`se"cr\et`, `<html>`, 3)
	f.Add("dW5tYW5hZ2VkLXNlY3JldA==", `{"hmac":null}`, maxLoggedBody-10)
	f.Fuzz(func(t *testing.T, secret, other string, padding int) {
		if len(secret) < 6 || strings.Contains(other, secret) || strings.Contains("***", secret) {
			return // too short to look for, or present outside any hmac field
		}
		padding = min(max(padding, 0), 2*maxLoggedBody)
		entry, _ := json.Marshal(map[string]string{"hmac": secret, "pad": strings.Repeat("p", padding)})
		body := []byte(`{"properties":{"pinless_dialin":[` + string(entry) + `]},"other":` + strconvQuote(other) + `}`)
		quoted, _ := json.Marshal(secret)
		inner := quoted[1 : len(quoted)-1] // the secret as it is written in JSON
		if strings.Contains(body2str(body, entry), string(inner)) {
			return // the secret also occurs in the padding or elsewhere
		}
		for name, out := range map[string]string{
			"RedactSecrets": string(RedactSecrets(body)),
			"logBody":       logBody(body),
			"excerpt":       excerpt(body),
		} {
			if strings.Contains(out, string(inner)) {
				t.Fatalf("%s leaks the secret %q: %.300s", name, secret, out)
			}
		}
	})
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// body2str is body without the entry, to see whether the secret occurs elsewhere.
func body2str(body, entry []byte) string {
	return strings.Replace(string(body), string(entry), "", 1)
}
