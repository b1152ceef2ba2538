package dialin

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

func TestRejectedBatchFailsOnlyTheBadChange(t *testing.T) {
	f := newFakeDaily()
	f.beforePost = func(_ int, arrays map[string][]json.RawMessage) error {
		for _, raw := range arrays[client.PinlessDialin] {
			if strings.Contains(string(raw), "+15550009999") {
				return &client.APIError{StatusCode: 400, Type: "invalid-request-error", Info: "+15550009999 is not associated with domain fake"}
			}
		}
		return nil
	}
	eng := New(f, testOptions())

	var wg sync.WaitGroup
	results := map[string]error{}
	var mu sync.Mutex
	for _, n := range []string{"+15550000010", "+15550009999", "+15550000011"} {
		wg.Go(func() {
			_, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec(n, "https://hook.example"))
			mu.Lock()
			results[n] = err
			mu.Unlock()
		})
	}
	wg.Wait()

	var apiErr *client.APIError
	if !errors.As(results["+15550009999"], &apiErr) || apiErr.Type != "invalid-request-error" {
		t.Errorf("bad number: got %v, want Daily's invalid-request-error", results["+15550009999"])
	}
	for _, n := range []string{"+15550000010", "+15550000011"} {
		if results[n] != nil {
			t.Errorf("%s failed with the other change's error: %v", n, results[n])
		}
		if !f.has(client.PinlessDialin, n) {
			t.Errorf("%s missing", n)
		}
	}
}

func TestLostResponseAfterCommitIsRetriedWithoutRotatingTheHMAC(t *testing.T) {
	f := newFakeDaily()
	f.afterPost = func(n int) error {
		if n == 1 {
			return io.ErrUnexpectedEOF
		}
		return nil
	}
	eng := New(f, testOptions())
	got, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000020", "https://hook.example"))
	if err != nil {
		t.Fatalf("create after a lost answer: %v", err)
	}
	if got.Text("hmac") != "minted-1" {
		t.Errorf("hmac = %q, want the one minted by the first, committed write", got.Text("hmac"))
	}
}

func TestServerErrorsAreRetriedThenReported(t *testing.T) {
	f := newFakeDaily()
	fail := &client.APIError{StatusCode: 503, Type: "server-error"}
	f.beforePost = func(n int, _ map[string][]json.RawMessage) error {
		if n <= 2 {
			return fail
		}
		return nil
	}
	eng := New(f, testOptions())
	if _, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000030", "https://hook.example")); err != nil {
		t.Fatalf("two 503s then success: %v", err)
	}

	f.beforePost = func(int, map[string][]json.RawMessage) error { return fail }
	_, err := eng.Create(context.Background(), client.PinlessDialin, routeSpec("+15550000031", "https://hook.example"))
	if !errors.As(err, new(*client.APIError)) || !strings.Contains(err.Error(), "8 attempts") {
		t.Errorf("endless 503s: got %v, want Daily's error after 8 attempts", err)
	}
}
