package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestRedactSecrets(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`{"hmac":"c2VjcmV0","a":1}`:          `{"hmac":"***","a":1}`,
		`[{"hmac" : "x\"y\\"}, {"hmac":""}]`: `[{"hmac":"***"}, {"hmac":"***"}]`,
		"{\"hmac\":\n\t\"abc\"}":             `{"hmac":"***"}`,
		`{"hmac":"cut-off-sec`:               `{"hmac":"***"`,
		`{"hmac":null,"nohmac":"x"}`:         `{"hmac":null,"nohmac":"x"}`,
		`<html>no json</html>`:               `<html>no json</html>`,
	} {
		if got := string(RedactSecrets([]byte(in))); got != want {
			t.Errorf("RedactSecrets(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestLogsRedactSecretsAndNeverTheKey(t *testing.T) {
	t.Parallel()
	const secret = "c3VwZXItc2VjcmV0LWhtYWM="
	logger := &recordingLogger{}
	echo := fmt.Sprintf(`{"domain_name":"acme","config":{"pinless_dialin":[{"phone_number":"+1","hmac":%q}]}}`, secret)
	c, _, _ := newTestClient(t, sequence(
		answer(429, `{"error":"rate-limit-error"}`),
		answer(200, echo),
		answer(400, fmt.Sprintf(`<html>bad {"hmac":"%s"}</html>`, secret)),
	), func(cfg *Config) { cfg.Logger = logger })

	entry := json.RawMessage(fmt.Sprintf(`{"phone_number":"+1","hmac":"%s"}`, secret))
	arrays := map[string][]json.RawMessage{PinlessDialin: {entry}}
	if _, err := c.SetDialinArrays(context.Background(), arrays); !IsRetryable(err) {
		t.Fatalf("first write: got %v, want the 429", err)
	}
	if _, err := c.SetDialinArrays(context.Background(), arrays); err != nil {
		t.Fatal(err)
	}
	_, err := c.GetDomain(context.Background())
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("error exposes the secret or is missing: %v", err)
	}

	logged := logger.text()
	if strings.Contains(logged, secret) || strings.Contains(logged, testAPIKey) {
		t.Errorf("log exposes a secret:\n%s", logged)
	}
	if len(logger.lines) != 3 {
		t.Fatalf("%d log lines, want one per attempt (3)", len(logger.lines))
	}
	first, second := logger.lines[0], logger.lines[1]
	for _, field := range []string{"method", "path", "status", "attempt", "duration_ms"} {
		if _, ok := first[field]; !ok {
			t.Errorf("field %s missing in %v", field, first)
		}
	}
	if first["status"] != http.StatusTooManyRequests || second["attempt"] != 1 || second["method"] != "POST" || second["path"] != "/" {
		t.Errorf("log lines = %v", logger.lines)
	}
	if !strings.Contains(second["request_body"].(string), `"hmac":"***"`) ||
		!strings.Contains(second["response_body"].(string), `"hmac":"***"`) {
		t.Errorf("bodies not logged redacted: %v", second)
	}
}
