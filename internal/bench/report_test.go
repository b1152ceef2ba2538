package bench

import (
	"strings"
	"testing"
	"time"
)

func TestTableBarsAndGoals(t *testing.T) {
	bars := Bars{RTT: 50 * time.Millisecond, Parallelism: 10}
	floor := Result{
		Scenario: Scenario{Kind: Routes, N: 1000, Mode: Floor},
		Create:   Phase{Wall: 10 * time.Second},
		Refresh:  Phase{Wall: 5 * time.Second},
		Destroy:  Phase{Wall: 10 * time.Second},
	}
	setFloor := Result{
		Scenario: Scenario{Kind: Routes, N: 1000, Mode: FloorSet},
		Create:   Phase{Wall: 25 * time.Second, TerraformCPU: 40 * time.Second},
		Refresh:  Phase{Wall: 8 * time.Second},
		Destroy:  Phase{Wall: 20 * time.Second},
	}
	routes := Result{
		Scenario: Scenario{Kind: Routes, N: 1000},
		// Bar: 1.3 × 10 s + 2 × 50 ms × 100 waves = 23 s.
		Create:  Phase{POSTs: 100, GETs: 200, Wall: 22 * time.Second, PeakRSS: 70 << 20, ProviderCPU: 3 * time.Second},
		Refresh: Phase{GETs: 100, Wall: 7 * time.Second, PeakRSS: 50 << 20},
		Destroy: Phase{POSTs: 100, GETs: 300, Wall: 30 * time.Second, PeakRSS: 50 << 20},
	}
	naive := Result{
		Scenario: Scenario{Kind: Routes, N: 1000, Mode: Naive},
		Create:   Phase{POSTs: 1000, GETs: 2000, Wall: 350 * time.Second, RateLimited: 3},
	}
	exclusive := Result{
		Scenario: Scenario{Kind: Exclusive, N: 1000},
		Create:   Phase{POSTs: 1, GETs: 1, Wall: 12 * time.Second, PeakRSS: 40 << 20},
	}
	exclusiveFloor := Result{
		Scenario: Scenario{Kind: Exclusive, N: 1000, Mode: Floor},
		Create:   Phase{Wall: 2 * time.Second, TerraformCPU: 1500 * time.Millisecond, TerraformRSS: 300 << 20},
	}
	results := []Result{setFloor, floor, routes, naive, exclusiveFloor, exclusive}
	table := Table(results, bars)
	for _, want := range []string{
		"| daily_pinless_dialin_route, batched (100ms) | 1000 | create | 22.0 s | 10.0 s, +12.0 s, ×2.20 | 25.0 s, -3.0 s, ×0.88 | 1.3×F + 2·50ms·100 = 23.0 s | ✓ | 100 | 200 | POST ≤ 110 | ✓ | 0 | 70.0 MB | **✗** | 3.0 s | 0.0 s |",
		"| daily_pinless_dialin_route, batched (100ms) | 1000 | refresh | 7.0 s | 5.0 s, +2.0 s, ×1.40 | 8.0 s, -1.0 s, ×0.88 | 1.3×F + 1 s = 7.5 s | ✓ | 0 | 100 | POST ≤ 0, GET ≤ 2 | **✗** |",
		"| destroy | 30.0 s | 10.0 s, +20.0 s, ×3.00 | 20.0 s, +10.0 s, ×1.50 | 1.3×F + 1 s + 2·50ms·100 = 24.0 s † | **✗** |",
		"| daily_pinless_dialin_route, naive (0s) | 1000 | create | 350.0 s | 10.0 s, +340.0 s, ×35.00 | 25.0 s, +325.0 s, ×14.00 | – | – | 1000 | 2000 | – | – | 3 |",
		"| daily_pinless_dialin, batched (100ms) | 1000 | create | 12.0 s | 2.0 s, +10.0 s, ×6.00 | – | 1.5×F + 1 s = 4.0 s | **✗** | 1 | 1 | POST ≤ 1, GET ≤ 2 | ✓ |",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if strings.Contains(table, "floor for") {
		t.Errorf("floors have rows of their own in the main table:\n%s", table)
	}
	floors := FloorTable(results)
	for _, want := range []string{
		"| 1 resource, 1000-element map | 1000 | 2.0 s | 0.0 s | 0.0 s | 1.5 s / 0.0 s / 0.0 s | 300.0 MB |",
		"| 1000 resources, for_each = local.routes (a map), input = each.value | 1000 | 10.0 s | 5.0 s | 10.0 s |",
		"| 1000 resources, for_each = toset(local.numbers), input built from each.value | 1000 | 25.0 s | 8.0 s | 20.0 s | 40.0 s / 0.0 s / 0.0 s |",
	} {
		if !strings.Contains(floors, want) {
			t.Errorf("floor table lacks %q:\n%s", want, floors)
		}
	}

	goals := strings.Join(Goals(results, bars), "\n")
	for _, want := range []string{
		"apply within 1.3 × the map-shaped floor + 10.0 s (2 round trips × 100 waves): met (22.0 s vs bar 23.0 s; floor 10.0 s, +12.0 s above it, ×2.20; toset floor 25.0 s, -3.0 s above it, ×0.88)",
		"apply with at most 110 POSTs: met (100 POSTs)",
		"plan (refresh) with at most 2 GETs: **NOT met** (100 GETs)",
		"exclusive resource with 1000 routes, apply within 1.5 × floor + 1 s: **NOT met** (12.0 s vs bar 4.0 s; floor 2.0 s, +10.0 s above it, ×6.00)",
		"daily_pinless_dialin_route with 1000 routes, provider peak RSS under 60 MB in every phase: **NOT met** (create 70.0 MB",
		"without a 429: met (0 × 429)",
	} {
		if !strings.Contains(goals, want) {
			t.Errorf("goals lack %q:\n%s", want, goals)
		}
	}
	if goals := strings.Join(Goals(nil, bars), "\n"); !strings.Contains(goals, "at most 110 POSTs: not measured") {
		t.Errorf("goals without results:\n%s", goals)
	}
}

func TestWaves(t *testing.T) {
	bars := Bars{Parallelism: 10}
	for n, want := range map[int]int{1: 1, 10: 1, 11: 2, 1000: 100, 5000: 500} {
		if got := bars.Waves(n); got != want {
			t.Errorf("Waves(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestConfiguration(t *testing.T) {
	nums := numbers(2)
	if got := configuration(Scenario{Kind: Routes}, "http://127.0.0.1:1/v1", "k", nums); strings.Contains(got, "dialin_batch_window") {
		t.Errorf("batched configuration sets dialin_batch_window:\n%s", got)
	}
	got := configuration(Scenario{Kind: Exclusive, Mode: Naive}, "http://127.0.0.1:1/v1", "k", nums)
	for _, want := range []string{`dialin_batch_window = "0s"`, `"+12125550001",`, `resource "daily_pinless_dialin" "all"`} {
		if !strings.Contains(got, want) {
			t.Errorf("configuration lacks %q:\n%s", want, got)
		}
	}
	// Per-route resources are written as a user writes them: for_each over a
	// map of the routes; the toset floor keeps the earlier shape.
	for mode, want := range map[Mode]string{Batched: "for_each          = local.routes", Floor: "for_each = local.routes\n  input    = each.value", FloorSet: "for_each = toset(local.numbers)"} {
		if got := configuration(Scenario{Kind: Routes, Mode: mode}, "http://127.0.0.1:1/v1", "k", nums); !strings.Contains(got, want) {
			t.Errorf("%s routes lack %q:\n%s", mode, want, got)
		}
	}
	// The floors need no provider: Terraform must not look for one.
	for _, sc := range []Scenario{{Kind: Routes, Mode: Floor}, {Kind: Routes, Mode: FloorSet}, {Kind: Exclusive, Mode: Floor}} {
		kind := sc.Kind
		got := configuration(sc, "http://127.0.0.1:1/v1", "k", nums)
		for _, unwanted := range []string{"daily", "required_providers"} {
			if strings.Contains(got, unwanted) {
				t.Errorf("%s floor mentions %q:\n%s", kind, unwanted, got)
			}
		}
		if !strings.Contains(got, `resource "terraform_data"`) || !strings.Contains(got, "room_creation_api = \"https://example.com/calls/") {
			t.Errorf("%s floor lacks its terraform_data:\n%s", kind, got)
		}
	}
}

func TestTableOrder(t *testing.T) {
	bars := Bars{RTT: 50 * time.Millisecond, Parallelism: 10}
	// Run order interleaves shapes by size; the table reads by shape, then N.
	table := Table([]Result{
		{Scenario: Scenario{Kind: Routes, N: 10}},
		{Scenario: Scenario{Kind: Exclusive, N: 10}},
		{Scenario: Scenario{Kind: Routes, N: 100}},
		{Scenario: Scenario{Kind: Exclusive, N: 100}},
	}, bars)
	var order []string
	for line := range strings.Lines(table) {
		if strings.Contains(line, "| create |") {
			f := strings.Split(line, "|")
			order = append(order, strings.TrimSpace(f[1])+" "+strings.TrimSpace(f[2]))
		}
	}
	want := []string{
		"daily_pinless_dialin_route, batched (100ms) 10", "daily_pinless_dialin_route, batched (100ms) 100",
		"daily_pinless_dialin, batched (100ms) 10", "daily_pinless_dialin, batched (100ms) 100",
	}
	if strings.Join(order, ";") != strings.Join(want, ";") {
		t.Errorf("rows in order %q, want %q", order, want)
	}
}
