// Package client is a typed client for the parts of the Daily REST API that
// the provider uses. It has no Terraform dependency.
package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// DefaultBaseURL is Daily's production API.
const DefaultBaseURL = "https://api.daily.co/v1"

// Defaults of Config.
const (
	DefaultRequestTimeout  = 30 * time.Second
	DefaultRetryMaxElapsed = 2 * time.Minute
	defaultUserAgent       = "terraform-provider-daily"
	defaultMinBackoff      = 250 * time.Millisecond
	defaultMaxBackoff      = 10 * time.Second
)

// Logger receives one structured line per request attempt. Bodies passed to it
// have every hmac value redacted; the API key is never passed.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// Config configures a Client. Zero values get defaults.
type Config struct {
	BaseURL         string
	APIKey          string
	UserAgent       string
	HTTPClient      *http.Client
	RequestTimeout  time.Duration // per attempt
	RetryMaxElapsed time.Duration // total time spent retrying one call
	MinBackoff      time.Duration
	MaxBackoff      time.Duration
	Logger          Logger
}

// Client talks to one Daily domain (one API key).
type Client struct {
	cfg Config

	// Replaced by tests so that retries run without real waiting.
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(upTo time.Duration) time.Duration // uniform in [0, upTo]
	now    func() time.Time
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if err := CheckBaseURL(cfg.BaseURL); err != nil {
		return nil, fmt.Errorf("daily: invalid base URL %q: %w", cfg.BaseURL, err)
	}
	if strings.TrimSpace(cfg.APIKey) == "" {
		return nil, errors.New("daily: an API key is required")
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = defaultUserAgent
	}
	if cfg.HTTPClient == nil {
		// No global timeout: each attempt gets its own through its context.
		cfg.HTTPClient = &http.Client{}
	}
	for _, d := range []struct {
		value *time.Duration
		def   time.Duration
		name  string
	}{
		{&cfg.RequestTimeout, DefaultRequestTimeout, "RequestTimeout"},
		{&cfg.RetryMaxElapsed, DefaultRetryMaxElapsed, "RetryMaxElapsed"},
		{&cfg.MinBackoff, defaultMinBackoff, "MinBackoff"},
		{&cfg.MaxBackoff, defaultMaxBackoff, "MaxBackoff"},
	} {
		if *d.value < 0 {
			return nil, fmt.Errorf("daily: %s must not be negative, got %s", d.name, *d.value)
		}
		if *d.value == 0 {
			*d.value = d.def
		}
	}
	if cfg.MinBackoff > cfg.MaxBackoff {
		return nil, fmt.Errorf("daily: MinBackoff (%s) is larger than MaxBackoff (%s)", cfg.MinBackoff, cfg.MaxBackoff)
	}
	return &Client{
		cfg:    cfg,
		sleep:  sleepContext,
		jitter: func(upTo time.Duration) time.Duration { return rand.N(upTo + 1) },
		now:    time.Now,
	}, nil
}

// CheckBaseURL refuses anything but https, except plain http to a loopback
// host (a local emulator), because the API key travels in every request. Its
// error says what is wrong with the URL, without repeating it.
func CheckBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("it does not parse as a URL")
	}
	switch {
	case u.Scheme == "":
		return errors.New("it is not an absolute URL; it must start with https://")
	case u.Scheme != "https" && u.Scheme != "http":
		return fmt.Errorf("the scheme must be https, or http for a loopback host; got %q", u.Scheme)
	case u.Hostname() == "":
		return errors.New("it has no host")
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return errors.New("plain http would send the API key unencrypted; use https " +
			"(plain http is allowed only for loopback hosts: localhost, 127.0.0.0/8, ::1)")
	}
	return nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func sleepContext(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// GetDomain reads the domain and its whole config (GET /).
func (c *Client) GetDomain(ctx context.Context) (*Domain, error) {
	var d Domain
	if err := c.do(ctx, request{method: http.MethodGet, path: "/", retry: IsRetryable}, &d); err != nil {
		return nil, err
	}
	return checkDomain(&d)
}

// SetDialinArrays replaces the named dial-in arrays in one POST /. Each entry is sent byte-for-byte.
func (c *Client) SetDialinArrays(ctx context.Context, arrays map[string][]json.RawMessage) (*Domain, error) {
	body, err := dialinBody(arrays)
	if err != nil {
		return nil, err
	}
	return c.postDomain(ctx, body)
}

// dialinBody writes the JSON by hand because json.Marshal would re-compact
// each RawMessage, and a nil slice must still go out as [] (which clears the
// array) rather than null.
func dialinBody(arrays map[string][]json.RawMessage) ([]byte, error) {
	var b strings.Builder
	b.WriteString(`{"properties":{`)
	for i, name := range slices.Sorted(maps.Keys(arrays)) {
		if i > 0 {
			b.WriteByte(',')
		}
		key, err := json.Marshal(name)
		if err != nil {
			return nil, fmt.Errorf("daily: encoding dial-in array name: %w", err)
		}
		b.Write(key)
		b.WriteString(":[")
		for j, entry := range arrays[name] {
			if !json.Valid(entry) {
				return nil, fmt.Errorf("daily: %s entry %d is not valid JSON", name, j)
			}
			if j > 0 {
				b.WriteByte(',')
			}
			b.Write(entry)
		}
		b.WriteByte(']')
	}
	b.WriteString("}}")
	return []byte(b.String()), nil
}

// postDomain never retries. Any failure but a 429 may have applied the
// change; and the body was built from an earlier read, so sending it again
// after a backoff could undo what another writer did meanwhile. The caller
// reads the domain again and decides (see package dialin).
func (c *Client) postDomain(ctx context.Context, body []byte) (*Domain, error) {
	var d Domain
	if err := c.do(ctx, request{method: http.MethodPost, path: "/", body: body, retry: never}, &d); err != nil {
		return nil, err
	}
	return checkDomain(&d)
}

func checkDomain(d *Domain) (*Domain, error) {
	if d.DomainName == "" && d.Config == nil {
		return nil, &DecodeError{What: "domain", Err: errors.New("neither domain_name nor config in the answer")}
	}
	return d, nil
}

// ListAvailableNumbers searches numbers for sale (GET /list-available-numbers).
func (c *Client) ListAvailableNumbers(ctx context.Context, search NumberSearch) ([]AvailableNumber, error) {
	var answer struct {
		Data []struct {
			Number      string `json:"number"`
			PhoneNumber string `json:"phoneNumber"` // the OpenAPI example's spelling
			Region      string `json:"region"`
		} `json:"data"`
	}
	req := request{method: http.MethodGet, path: "/list-available-numbers", query: search.Query(), retry: IsRetryable}
	if err := c.do(ctx, req, &answer); err != nil {
		return nil, err
	}
	if answer.Data == nil {
		return nil, &DecodeError{What: "available numbers", Err: errors.New(`no "data" array in the answer`)}
	}
	numbers := make([]AvailableNumber, 0, len(answer.Data))
	for i, item := range answer.Data {
		number := firstNonEmpty(item.Number, item.PhoneNumber)
		if number == "" {
			return nil, &DecodeError{What: "available numbers", Err: fmt.Errorf("item %d has no number", i)}
		}
		numbers = append(numbers, AvailableNumber{Number: number, Region: item.Region})
	}
	return numbers, nil
}

// BuyPhoneNumber buys number, or a random number when it is empty. Never retried
// except on 429; any other failure may have bought a number.
func (c *Client) BuyPhoneNumber(ctx context.Context, number string) (*BoughtNumber, error) {
	body := []byte("{}")
	if number != "" {
		var err error
		if body, err = json.Marshal(map[string]string{"number": number}); err != nil {
			return nil, fmt.Errorf("daily: encoding number: %w", err)
		}
	}
	var answer struct {
		ID          string `json:"id"`
		Number      string `json:"number"`
		PhoneNumber string `json:"phoneNumber"`
	}
	req := request{method: http.MethodPost, path: "/buy-phone-number", body: body, retry: isRateLimited}
	if err := c.do(ctx, req, &answer); err != nil {
		return nil, err
	}
	bought := &BoughtNumber{ID: answer.ID, Number: firstNonEmpty(answer.Number, answer.PhoneNumber)}
	if bought.ID == "" || bought.Number == "" {
		return nil, &DecodeError{What: "bought number", Err: errors.New("the answer lacks id or number")}
	}
	return bought, nil
}

const purchasedPageSize = 50 // the endpoint's maximum

// ListPurchasedNumbers returns every purchased number (all pages), skipping items without id.
func (c *Client) ListPurchasedNumbers(ctx context.Context, filter PurchasedFilter) ([]PurchasedNumber, error) {
	query := url.Values{"limit": {fmt.Sprint(purchasedPageSize)}}
	if filter.Name != "" {
		query.Set("filter_name", filter.Name)
	}
	if filter.Number != "" {
		query.Set("filter_number", filter.Number)
	}
	var numbers []PurchasedNumber
	usedCursors := map[int64]bool{}
	for seen := 0; ; {
		var page struct {
			TotalCount int               `json:"total_count"`
			Data       []purchasedNumber `json:"data"`
		}
		req := request{method: http.MethodGet, path: "/purchased-phone-numbers", query: query, retry: IsRetryable}
		if err := c.do(ctx, req, &page); err != nil {
			return nil, err
		}
		if page.Data == nil {
			return nil, &DecodeError{What: "purchased numbers", Err: errors.New(`no "data" array in the answer`)}
		}
		for _, item := range page.Data {
			// Verified caller ids are listed without id; they are not numbers to manage.
			if item.ID != "" {
				numbers = append(numbers, item.toPurchasedNumber())
			}
		}
		seen += len(page.Data)
		// A missing total_count (0) cannot end the listing; a short page does.
		if len(page.Data) < purchasedPageSize || (page.TotalCount > 0 && seen >= page.TotalCount) {
			return numbers, nil
		}
		cursor := int64(page.Data[len(page.Data)-1].PaginationID)
		if cursor == 0 {
			return nil, &DecodeError{What: "purchased numbers", Err: errors.New("last item of a full page has no pagination_id")}
		}
		if usedCursors[cursor] {
			return nil, &DecodeError{What: "purchased numbers", Err: fmt.Errorf("server repeated cursor %d; stopping to avoid an endless loop", cursor)}
		}
		usedCursors[cursor] = true
		query.Set("starting_after", fmt.Sprint(cursor))
	}
}

type purchasedNumber struct {
	ID           string       `json:"id"`
	Number       string       `json:"number"`
	PhoneNumber  string       `json:"phoneNumber"`
	Name         *string      `json:"name"`
	Type         string       `json:"type"`
	Status       string       `json:"status"`
	Verified     bool         `json:"verified"`
	CreatedDate  flexibleTime `json:"created_date"`
	PaginationID flexibleInt  `json:"pagination_id"`
}

func (p purchasedNumber) toPurchasedNumber() PurchasedNumber {
	return PurchasedNumber{
		ID:          p.ID,
		Number:      firstNonEmpty(p.Number, p.PhoneNumber),
		Name:        p.Name,
		Type:        p.Type,
		Status:      p.Status,
		Verified:    p.Verified,
		CreatedDate: time.Time(p.CreatedDate),
	}
}

// flexibleInt accepts a JSON number or a string holding one.
type flexibleInt int64

func (n *flexibleInt) UnmarshalJSON(data []byte) error {
	text := strings.Trim(string(data), `"`)
	if text == "null" || text == "" {
		return nil
	}
	var v int64
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return fmt.Errorf("pagination_id %s is not an integer", data)
	}
	*n = flexibleInt(v)
	return nil
}

// flexibleTime accepts the date formats Daily has been seen to send.
type flexibleTime time.Time

var dateLayouts = []string{time.RFC3339Nano, time.RFC1123Z, time.RFC1123}

func (t *flexibleTime) UnmarshalJSON(data []byte) error {
	var text *string
	if err := json.Unmarshal(data, &text); err != nil {
		return fmt.Errorf("created_date %s is not a string", data)
	}
	if text == nil || *text == "" {
		return nil
	}
	for _, layout := range dateLayouts {
		if parsed, err := time.Parse(layout, *text); err == nil {
			*t = flexibleTime(parsed)
			return nil
		}
	}
	return fmt.Errorf("created_date %q is in no known format", *text)
}

// ReleasePhoneNumber releases the number with this id (DELETE /release-phone-number/:id).
func (c *Client) ReleasePhoneNumber(ctx context.Context, id string) error {
	if id == "" {
		return errors.New("daily: releasing a phone number needs its id")
	}
	// Daily answers {"status":"ok"}, {"deleted":true,"id":...} or nothing; any
	// of them means released, so only the shape is checked.
	var answer struct {
		Status  string `json:"status"`
		Deleted bool   `json:"deleted"`
		ID      string `json:"id"`
	}
	req := request{method: http.MethodDelete, path: "/release-phone-number/" + url.PathEscape(id), retry: IsRetryable, emptyOK: true}
	return c.do(ctx, req, &answer)
}

// firstNonEmpty returns the first non-empty string.
func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
