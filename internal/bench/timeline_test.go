package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestTimeline(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	var logText strings.Builder
	logCall := func(id string, received, served int) {
		for _, l := range []struct {
			what string
			ms   int
		}{{"Received", received}, {"Served", served}} {
			fmt.Fprintf(&logText, "%s [TRACE] provider.terraform-provider-daily: %s request: tf_req_id=%s tf_rpc=ApplyResourceChange @module=sdk.proto timestamp=%s\n",
				at(l.ms).Format(time.RFC3339Nano), l.what, id, at(l.ms).Format(time.RFC3339Nano))
		}
	}
	// Two waves of two calls: received at 0 and 10, GET at 110, POST at 170
	// (answered at 220), confirming GET at 420, served at 480 and 530 (the
	// second held); the next wave's calls come at 500 and 510.
	logCall("a", 0, 480)
	logCall("b", 10, 530)
	logCall("c", 500, 980)
	logCall("d", 510, 980)
	fmt.Fprintf(&logText, "%s [TRACE] provider: Received request: tf_req_id=x tf_rpc=PlanResourceChange timestamp=%s\n", at(0).Format(time.RFC3339Nano), at(0).Format(time.RFC3339Nano))
	reqs := &requestLog{}
	for _, off := range []int{0, 500} {
		reqs.entries = append(reqs.entries,
			loggedRequest{start: at(off + 110), end: at(off + 160), method: "GET", path: "/v1/", status: 200},
			loggedRequest{start: at(off + 170), end: at(off + 220), method: "POST", path: "/v1/", status: 200},
			loggedRequest{start: at(off + 420), end: at(off + 470), method: "GET", path: "/v1/", status: 200})
	}
	if err := reqs.write(filepath.Join(dir, "requests-create.tsv"), t0); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "terraform-create.log"), []byte(logText.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := Timeline(dir, "create", "ApplyResourceChange")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"4 ApplyResourceChange calls in 2 waves (POSTs), 6 requests, 2 confirming GETs (0 overlapping",
		"| terraform | 290 ms |",
		"| – answer | 260 ms |",
		"| – held | 50 ms |",
		"| engine | 160 ms |",
		"| – gather | 100 ms |",
		"| – get | 50 ms |",
		"| – mutate | 10 ms |",
		"| post | 50 ms |",
		"| **cycle** (POST answered → next POST answered) | 500 ms | 500 ms |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("timeline lacks %q:\n%s", want, got)
		}
	}
}

func TestReadTimeline(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	var logText strings.Builder
	for _, c := range []struct {
		id               string
		received, served int
	}{{"a", 0, 200}, {"b", 20, 210}, {"c", 300, 310}} {
		for _, l := range []struct {
			what string
			ms   int
		}{{"Received", c.received}, {"Served", c.served}} {
			fmt.Fprintf(&logText, "%s [TRACE] provider: %s request: tf_req_id=%s tf_rpc=ReadResource timestamp=%s\n",
				at(l.ms).Format(time.RFC3339Nano), l.what, c.id, at(l.ms).Format(time.RFC3339Nano))
		}
	}
	reqs := &requestLog{entries: []loggedRequest{{start: at(120), end: at(170), method: "GET", path: "/v1/", status: 200}}}
	if err := reqs.write(filepath.Join(dir, "requests-refresh.tsv"), t0); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "terraform-refresh.log"), []byte(logText.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := Timeline(dir, "refresh", "ReadResource")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"3 ReadResource calls answered by 1 GETs", "| spread | 20 ms |", "| window | 100 ms |", "| answer | 40 ms |", "| terraform | 90 ms |"} {
		if !strings.Contains(got, want) {
			t.Errorf("timeline lacks %q:\n%s", want, got)
		}
	}
}
