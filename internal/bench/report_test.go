package bench

import (
	"strings"
	"testing"
	"time"
)

func TestTableRatioAndGoals(t *testing.T) {
	batched := Result{
		Scenario: Scenario{Kind: Routes, N: 100},
		Create:   Phase{POSTs: 10, GETs: 20, Wall: 2 * time.Second, PeakRSS: 30 << 20},
		Refresh:  Phase{GETs: 10, Wall: time.Second},
		Destroy:  Phase{POSTs: 10, GETs: 30, Wall: 2 * time.Second},
	}
	naive := Result{
		Scenario: Scenario{Kind: Routes, N: 100, Naive: true},
		Create:   Phase{POSTs: 100, GETs: 200, Wall: 20 * time.Second, PeakRSS: 30 << 20},
		Refresh:  Phase{GETs: 100, Wall: 2 * time.Second, RateLimited: 3},
		Destroy:  Phase{POSTs: 100, GETs: 300, Wall: 20 * time.Second},
	}
	table := Table([]Result{batched, naive}, []Skipped{{Scenario{Kind: Routes, N: 1000, Naive: true}, "opt-in"}})
	for _, want := range []string{
		"| daily_pinless_dialin_route, naive (0s) | 100 | 100 | 200 | 20.0 s | 100 | 2.0 s | 100 | 300 | 20.0 s | 30.0 MB | 3 |",
		"| **naive ÷ batched** | 100 | ×10.0 | ×10.0 | ×10.0 | ×10.0 | ×2.0 | ×10.0 | ×10.0 | ×10.0 | ×1.0 | |",
		"| daily_pinless_dialin_route, naive (0s) | 1000 | opt-in |",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}

	goals := strings.Join(Goals([]Result{batched, naive}), "\n")
	for _, want := range []string{
		"at most 12 POSTs: met (10 POSTs)",
		"at most a fifth of naive: met (create+refresh+destroy 5.0 s batched vs 42.0 s naive, ×8.4)",
		"without a 429: not measured",
		"under 60 MB: met (highest 30.0 MB",
	} {
		if !strings.Contains(goals, want) {
			t.Errorf("goals lack %q:\n%s", want, goals)
		}
	}
}

func TestConfigurationBatchWindow(t *testing.T) {
	nums := numbers(2)
	if got := configuration(Routes, "http://127.0.0.1:1/v1", "k", "", nums); strings.Contains(got, "dialin_batch_window") {
		t.Errorf("batched configuration sets dialin_batch_window:\n%s", got)
	}
	got := configuration(Exclusive, "http://127.0.0.1:1/v1", "k", "0s", nums)
	for _, want := range []string{`dialin_batch_window = "0s"`, `"+12125550001",`, `resource "daily_pinless_dialin" "all"`} {
		if !strings.Contains(got, want) {
			t.Errorf("configuration lacks %q:\n%s", want, got)
		}
	}
}
