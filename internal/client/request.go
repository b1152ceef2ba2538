package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	maxResponseBody = 10 << 20 // guards against a runaway answer exhausting memory
	maxInfoExcerpt  = 200      // runes of a non-JSON error body kept in APIError.Info
	maxLoggedBody   = 4 << 10  // bytes of a body in the debug log: enough to debug, yet a 1000-route array does not bloat every log buffer
)

// request describes one API call. retry decides whether a failed attempt may
// be sent again.
type request struct {
	method  string
	path    string // relative to the base URL, already escaped
	query   url.Values
	body    []byte // nil: no body
	retry   func(error) bool
	emptyOK bool // a 2xx without body is a success
}

func never(error) bool { return false }

// isRateLimited is the retry policy of non-idempotent calls: a 429 was
// refused before any work was done, so sending it again is safe.
func isRateLimited(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusTooManyRequests
}

// do sends req until it succeeds, req.retry refuses the error, the retry
// budget is spent or ctx is done, and decodes a 2xx answer into out.
func (c *Client) do(ctx context.Context, req request, out any) error {
	target := c.cfg.BaseURL + req.path
	if len(req.query) > 0 {
		target += "?" + req.query.Encode()
	}
	template, err := http.NewRequestWithContext(ctx, req.method, target, nil)
	if err != nil {
		return fmt.Errorf("daily: building %s %s: %w", req.method, req.path, err)
	}
	template.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	template.Header.Set("User-Agent", c.cfg.UserAgent)
	template.Header.Set("Accept", "application/json")
	if req.body != nil {
		template.Header.Set("Content-Type", "application/json")
	}

	start := c.now()
	for attempt := 1; ; attempt++ {
		body, retryAfter, err := c.attempt(ctx, template, req, attempt)
		if err == nil {
			return decode(req, body, out)
		}
		if !req.retry(err) {
			return err
		}
		wait := retryAfter
		if wait <= 0 {
			wait = c.backoff(attempt)
		}
		elapsed := c.now().Sub(start)
		if elapsed+wait > c.cfg.RetryMaxElapsed {
			return fmt.Errorf("gave up after %d attempts over %s: %w", attempt, elapsed.Round(time.Millisecond), err)
		}
		if sleepErr := c.sleep(ctx, wait); sleepErr != nil {
			return fmt.Errorf("daily: %s %s: stopped retrying after %d attempts: %w (last error: %w)",
				req.method, req.path, attempt, sleepErr, err)
		}
	}
}

// backoff is exponential with full jitter: uniform between MinBackoff and
// MinBackoff·2^attempt, the ceiling capped at MaxBackoff.
func (c *Client) backoff(attempt int) time.Duration {
	ceiling := c.cfg.MinBackoff
	for i := 0; i < attempt && ceiling < c.cfg.MaxBackoff; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, c.cfg.MaxBackoff)
	return c.cfg.MinBackoff + c.jitter(ceiling-c.cfg.MinBackoff)
}

// attempt sends one try with its own timeout and returns the 2xx body, or
// the error with the wait the server asked for (Retry-After), if any.
func (c *Client) attempt(ctx context.Context, template *http.Request, req request, n int) ([]byte, time.Duration, error) {
	attemptCtx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	httpReq := template.Clone(attemptCtx)
	if req.body != nil {
		httpReq.Body = io.NopCloser(bytes.NewReader(req.body))
		httpReq.ContentLength = int64(len(req.body))
	}

	started := time.Now()
	status, body, retryAfter, err := c.send(httpReq, req)
	if err != nil && ctx.Err() == nil && errors.Is(attemptCtx.Err(), context.DeadlineExceeded) {
		// Not wrapped: a timeout of one attempt must stay retryable, unlike
		// the caller's own deadline.
		err = fmt.Errorf("daily: %s %s: no complete answer within %s", req.method, req.path, c.cfg.RequestTimeout)
	}
	if err == nil && (status < 200 || status > 299) {
		err = parseAPIError(req.method, req.path, status, body)
	}
	c.log(ctx, req, n, status, time.Since(started), body, err)
	return body, retryAfter, err
}

// send performs the HTTP exchange and reads the body, at most maxResponseBody
// bytes. A body over the limit is an error for a 2xx; for an error answer the
// status is what matters and the start of the body still explains it.
func (c *Client) send(httpReq *http.Request, req request) (int, []byte, time.Duration, error) {
	method, path := req.method, req.path
	resp, err := c.cfg.HTTPClient.Do(httpReq)
	if err != nil {
		return 0, nil, 0, fmt.Errorf("daily: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody+1))
	if err != nil {
		return resp.StatusCode, nil, 0, fmt.Errorf("daily: %s %s: reading answer: %w", method, path, err)
	}
	retryAfter := parseRetryAfter(resp.Header.Get("Retry-After"), c.now())
	if len(body) > maxResponseBody {
		if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
			return resp.StatusCode, nil, 0, &DecodeError{
				What: method + " " + path,
				Err:  fmt.Errorf("answer is larger than %d MiB", maxResponseBody>>20),
			}
		}
		body = body[:maxResponseBody]
	}
	return resp.StatusCode, body, retryAfter, nil
}

// parseRetryAfter reads delay-seconds or an HTTP-date; anything else is ignored.
func parseRetryAfter(value string, now time.Time) time.Duration {
	if value == "" {
		return 0
	}
	if seconds, err := strconv.Atoi(strings.TrimSpace(value)); err == nil {
		return max(time.Duration(seconds)*time.Second, 0)
	}
	if date, err := http.ParseTime(value); err == nil {
		return max(date.Sub(now), 0)
	}
	return 0
}

func decode(req request, body []byte, out any) error {
	what := req.method + " " + req.path
	if len(bytes.TrimSpace(body)) == 0 {
		if req.emptyOK {
			return nil
		}
		return &DecodeError{What: what, Err: errors.New("empty body")}
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &DecodeError{What: what, Err: fmt.Errorf("%w (body starts: %s)", err, excerpt(body))}
	}
	return nil
}

// parseAPIError reads Daily's standard {"error","info"} body or the vendor
// {"errors":[{title,detail}]} shape of phone-number purchases; any other body
// is kept as a short excerpt so that the user still sees what came back.
func parseAPIError(method, path string, status int, body []byte) *APIError {
	apiErr := &APIError{Method: method, Path: path, StatusCode: status}
	var parsed struct {
		Error  string `json:"error"`
		Info   string `json:"info"`
		Errors []struct {
			Title  string `json:"title"`
			Detail string `json:"detail"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(body, &parsed); err == nil && (parsed.Error != "" || len(parsed.Errors) > 0) {
		apiErr.Type = parsed.Error
		var infos []string
		if parsed.Info != "" {
			infos = append(infos, parsed.Info)
		}
		for _, e := range parsed.Errors {
			apiErr.Type = firstNonEmpty(apiErr.Type, e.Title)
			if e.Detail != "" {
				infos = append(infos, e.Detail)
			}
		}
		apiErr.Info = strings.Join(infos, "; ")
		return apiErr
	}
	apiErr.Info = excerpt(body)
	return apiErr
}

// excerpt is the start of body on one line, secrets redacted.
func excerpt(body []byte) string {
	// Cut before collapsing whitespace so a huge body costs little; the
	// redaction copes with a value cut in the middle.
	body = body[:min(len(body), 8*maxInfoExcerpt)]
	text := strings.Join(strings.Fields(strings.ToValidUTF8(string(RedactSecrets(body)), "\uFFFD")), " ")
	if utf8.RuneCountInString(text) <= maxInfoExcerpt {
		return text
	}
	return string([]rune(text)[:maxInfoExcerpt]) + "…"
}

// hmacValue matches an "hmac" string value in JSON text, including one cut
// off by truncation (no closing quote).
var hmacValue = regexp.MustCompile(`"hmac"\s*:\s*"(?:[^"\\]|\\.)*"?`)

// RedactSecrets returns JSON text with every "hmac" string value replaced by
// "***". It works on any text, valid JSON or not, so it is safe for logs.
func RedactSecrets(body []byte) []byte {
	return hmacValue.ReplaceAll(body, []byte(`"hmac":"***"`))
}

func (c *Client) log(ctx context.Context, req request, attempt, status int, took time.Duration, respBody []byte, err error) {
	if c.cfg.Logger == nil {
		return
	}
	fields := map[string]any{
		"method":      req.method,
		"path":        req.path,
		"status":      status,
		"attempt":     attempt,
		"duration_ms": took.Milliseconds(),
	}
	if len(req.query) > 0 {
		fields["query"] = req.query.Encode()
	}
	if req.body != nil {
		fields["request_body"] = logBody(req.body)
	}
	if len(respBody) > 0 {
		fields["response_body"] = logBody(respBody)
	}
	if err != nil {
		fields["error"] = err.Error()
	}
	c.cfg.Logger.Debug(ctx, "daily API request", fields)
}

// logBody is body as logged: at most maxLoggedBody bytes, secrets masked.
func logBody(body []byte) string {
	if len(body) <= maxLoggedBody {
		return string(RedactSecrets(body))
	}
	// Cut first, so that a 1000-route array costs no more than 4 KiB of
	// redaction; RedactSecrets also masks a value the cut leaves open.
	return fmt.Sprintf("%s… (%d bytes in all)", RedactSecrets(body[:maxLoggedBody]), len(body))
}
