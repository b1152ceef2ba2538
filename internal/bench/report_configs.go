package bench

import (
	"fmt"
	"strings"
	"time"
)

// configColumns are the request counts ConfigTable shows, each the
// emulator's counting key of one route.
var configColumns = []struct{ title, key string }{
	{"POST", "POST /domain-dialin-config"},
	{"PUT", "PUT /domain-dialin-config"},
	{"DELETE", "DELETE /domain-dialin-config"},
	{"GET by id", "GET /domain-dialin-config/:id"},
	{"GET list", "GET /domain-dialin-config"},
	{"GET /", "GET /"},
	{"POST /", "POST /"},
}

// DailyRateLimit is the requests per second Daily admits (the emulator
// answers 429 above it).
const DailyRateLimit = 20

// listPage is the most objects one page of GET /domain-dialin-config holds.
const listPage = 100

// configRequestFloor is the waiting on requests that no provider of one
// object per number can avoid in a phase of n objects: one write per
// object, Parallelism at a time (create, destroy); reading them all back
// as one listing, its pages of 100 one after another (refresh; destroy
// refreshes first). formula shows how it is made.
func (b Bars) configRequestFloor(phase string, n int) (floor time.Duration, formula string) {
	waves, pages := b.Waves(n), (n+listPage-1)/listPage
	writes := fmt.Sprintf("%d·%s", waves, b.RTT)
	reads := fmt.Sprintf("%d·%s", pages, b.RTT)
	switch phase {
	case "create":
		return time.Duration(waves) * b.RTT, writes
	case "refresh":
		return time.Duration(pages) * b.RTT, reads
	}
	return time.Duration(waves+pages) * b.RTT, reads + " + " + writes
}

// floorOf returns the map-shaped floor of sc's shape: for config objects
// their own or, when only that was measured, the per-route one, which is
// the same terraform_data configuration.
func floorOf(results []Result, sc Scenario) (Result, bool) {
	if f, ok := find(results, Scenario{Kind: sc.Kind, N: sc.N, Mode: Floor}); ok || sc.Kind != Configs {
		return f, ok
	}
	return find(results, Scenario{Kind: Routes, N: sc.N, Mode: Floor})
}

// ConfigTable renders the config-object scenarios as a markdown table, one
// row per N and phase: the wall time beside the map-shaped floor F, beside
// F plus the request floor (as seconds above and a ratio), the requests by
// method and route, the least time Daily's 20 requests/s allows for the
// requests made, the provider's peak memory and CPU.
func ConfigTable(results []Result, bars Bars) string {
	var b strings.Builder
	b.WriteString("| N | Phase | Wall | Floor F (map): wall, above, ratio | Request floor | F + request floor: wall, above, ratio |")
	for _, c := range configColumns {
		b.WriteString(" " + c.title + " |")
	}
	fmt.Fprintf(&b, " other | 429s | requests at %d/s | Provider peak RSS | Provider CPU | Terraform CPU |\n", DailyRateLimit)
	b.WriteString("|--:|---|--:|--:|--:|--:|" + strings.Repeat("--:|", len(configColumns)) + "--:|--:|--:|--:|--:|--:|\n")
	for _, r := range sorted(results) {
		if r.Kind != Configs || r.Mode.IsFloor() {
			continue
		}
		floor, hasFloor := floorOf(results, r.Scenario)
		for _, name := range Phases {
			p := *r.Phase(name)
			requestFloor, formula := bars.configRequestFloor(name, r.N)
			floorText, lowerText := "–", "–"
			if hasFloor {
				fw := floor.Phase(name).Wall
				floorText, lowerText = aboveFloor(p.Wall, fw), aboveFloor(p.Wall, fw+requestFloor)
			}
			fmt.Fprintf(&b, "| %d | %s | %s | %s | %s = %s | %s |", r.N, name, seconds(p.Wall), floorText, formula, seconds(requestFloor), lowerText)
			listed := 0
			for _, c := range configColumns {
				fmt.Fprintf(&b, " %d |", p.Counts[c.key])
				listed += p.Counts[c.key]
			}
			total := 0
			for _, count := range p.Counts {
				total += count
			}
			admitted := time.Duration(total-p.RateLimited) * time.Second / DailyRateLimit
			fmt.Fprintf(&b, " %d | %d | %s | %s | %s | %s |\n", total-listed, p.RateLimited, seconds(admitted),
				megabytes(p.PeakRSS), seconds(p.ProviderCPU), seconds(p.TerraformCPU))
		}
	}
	return b.String()
}
