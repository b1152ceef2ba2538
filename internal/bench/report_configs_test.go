package bench

import (
	"strings"
	"testing"
	"time"
)

func TestConfigTable(t *testing.T) {
	bars := Bars{RTT: 50 * time.Millisecond, Parallelism: 10}
	routesFloor := Result{
		Scenario: Scenario{Kind: Routes, N: 1000, Mode: Floor},
		Create:   Phase{Wall: 50 * time.Second},
		Refresh:  Phase{Wall: 10 * time.Second},
		Destroy:  Phase{Wall: 60 * time.Second},
	}
	configs := Result{
		Scenario: Scenario{Kind: Configs, N: 1000},
		Create: Phase{Wall: 60 * time.Second, RateLimited: 100,
			Counts: map[string]int{"POST /domain-dialin-config": 1100, "GET /domain-dialin-config": 20, "GET /purchased-phone-numbers": 1}},
		Refresh: Phase{Wall: 12 * time.Second, Counts: map[string]int{"GET /domain-dialin-config": 10}},
		Destroy: Phase{Wall: 80 * time.Second, Counts: map[string]int{"DELETE /domain-dialin-config": 1000, "GET /domain-dialin-config/:id": 1000}},
	}
	table := ConfigTable([]Result{routesFloor, configs}, bars)
	for _, want := range []string{
		// F + request floor: 50 s + 100 waves × 50 ms; 1121 requests, 100 of them refused: 1021 at 20/s.
		"| 1000 | create | 60.0 s | 50.0 s, +10.0 s, ×1.20 | 100·50ms = 5.0 s | 55.0 s, +5.0 s, ×1.09 | 1100 | 0 | 0 | 0 | 20 | 0 | 0 | 1 | 100 | 51.0 s |",
		// One listing of 10 pages of 100.
		"| 1000 | refresh | 12.0 s | 10.0 s, +2.0 s, ×1.20 | 10·50ms = 0.5 s | 10.5 s, +1.5 s, ×1.14 | 0 | 0 | 0 | 0 | 10 | 0 | 0 | 0 | 0 | 0.5 s |",
		"| 1000 | destroy | 80.0 s | 60.0 s, +20.0 s, ×1.33 | 10·50ms + 100·50ms = 5.5 s | 65.5 s, +14.5 s, ×1.22 | 0 | 0 | 1000 | 1000 | 0 | 0 | 0 | 0 | 0 | 100.0 s |",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("config table lacks %q:\n%s", want, table)
		}
	}
	if strings.Contains(Table([]Result{routesFloor, configs}, bars), "daily_pinless_dialin_config") {
		t.Error("config objects have rows in the route table")
	}

	// Measured alone, the config objects have a floor of their own.
	ownFloor := Result{Scenario: Scenario{Kind: Configs, N: 1000, Mode: Floor}, Create: Phase{Wall: 40 * time.Second}}
	if table := ConfigTable([]Result{routesFloor, ownFloor, configs}, bars); !strings.Contains(table, "| 1000 | create | 60.0 s | 40.0 s, +20.0 s, ×1.50 |") {
		t.Errorf("config table does not use the config objects' own floor:\n%s", table)
	}
	if table := ConfigTable([]Result{configs}, bars); !strings.Contains(table, "| 1000 | create | 60.0 s | – | 100·50ms = 5.0 s | – |") {
		t.Errorf("config table without a floor:\n%s", table)
	}
}

func TestConfigurationOfConfigs(t *testing.T) {
	nums := numbers(2)
	floor := configuration(Scenario{Kind: Configs, N: 2, Mode: Floor}, "http://x/v1", "k", nums)
	if floor != configuration(Scenario{Kind: Routes, N: 2, Mode: Floor}, "http://x/v1", "k", nums) {
		t.Errorf("the config objects' floor differs from the per-route map floor:\n%s", floor)
	}
	cfg := configuration(Scenario{Kind: Configs, N: 2}, "http://x/v1", "k", nums)
	for _, want := range []string{`resource "daily_pinless_dialin_config" "c" {`, "for_each          = local.routes", "phone_number      = each.value.phone_number", `"+12125550001",`} {
		if !strings.Contains(cfg, want) {
			t.Errorf("configuration lacks %q:\n%s", want, cfg)
		}
	}
}
