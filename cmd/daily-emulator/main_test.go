package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-key", "k", "-seed-numbers", "3", "-messy-account"}, pw, io.Discard)
	}()

	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`^DAILY_API_URL=(http://127\.0\.0\.1:\d+/v1) DAILY_API_KEY=k\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("line %q", line)
	}
	req, _ := http.NewRequest("GET", m[1]+"/purchased-phone-numbers", nil)
	req.Header.Set("Authorization", "Bearer k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		TotalCount int `json:"total_count"`
	}
	err = json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || list.TotalCount != 3+130 {
		t.Fatalf("%d %+v %v", resp.StatusCode, list, err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not stop")
	}
}

func TestReadingFlags(t *testing.T) {
	t.Setenv(emulator.EnvPutOmittedHMAC, "rotate")
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var logged strings.Builder
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-dialin-store", "separate", "-sip-uri", "on-change", "-sent-sip-uri", "refuse", "-stale-copies", "2", "-stale-objects"}, pw, &syncWriter{w: &logged})
	}()
	if _, err := bufio.NewReader(pr).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if want := "readings: dialin_store=separate put_omitted_hmac=rotate put_semantics=merge sip_uri=on-change sent_sip_uri=refuse"; !strings.Contains(logged.String(), want) {
		t.Fatalf("log %q lacks %q", logged.String(), want)
	}
	for _, bad := range [][]string{{"-dialin-store", "both"}, {"-put-semantics", "patch"}} {
		if err := run(context.Background(), bad, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "not a known reading") {
			t.Errorf("%v: %v", bad, err)
		}
	}
}

// syncWriter serializes writes from the server's logger and the test.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func TestCheckLoopback(t *testing.T) {
	for _, ok := range []string{"127.0.0.1:0", "[::1]:8080", "localhost:1234"} {
		if err := checkLoopback(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{":8080", "0.0.0.0:0", "192.168.1.2:80", "example.com:80", "nonsense"} {
		if err := checkLoopback(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if err := run(context.Background(), []string{"-addr", "0.0.0.0:0"}, io.Discard, io.Discard); err == nil {
		t.Error("run accepted a public address")
	}
}
