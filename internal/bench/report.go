package bench

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Bars are the run's parameters the bars depend on.
type Bars struct {
	RTT         time.Duration // one round trip to the API: the emulator's added latency
	Parallelism int           // terraform -parallelism
}

// Waves is the least number of write waves for n changes: Terraform runs at
// most Parallelism at once, so each wave holds at most that many.
func (b Bars) Waves(n int) int { return (n + b.Parallelism - 1) / b.Parallelism }

// bar is what one phase of one scenario is held to: issue 20 for the
// per-route create and refresh, issue 12 for the rest, always against the
// floor written as a user writes it (Floor, the map shape).
type bar struct {
	factor  float64       // × the floor's wall time
	extra   time.Duration // + the round trips no provider can avoid, + slack
	formula string        // how extra is made
	maxPOST int           // -1: no bound
	maxGET  int           // -1: no bound
	derived bool          // not stated by the issue: destroy = refresh + deletes
}

// barFor returns the bar of a phase, false for scenarios held to none (the
// naive baseline, the floors themselves).
func (b Bars) barFor(sc Scenario, phase string) (bar, bool) {
	if sc.Mode != Batched {
		return bar{}, false
	}
	waves := b.Waves(sc.N)
	writes := 2 * b.RTT * time.Duration(waves) // one read and one write per wave
	writesFormula := fmt.Sprintf("2·%s·%d", b.RTT, waves)
	switch {
	case sc.Kind == Routes && phase == "create":
		return bar{factor: 1.3, extra: writes, formula: writesFormula, maxPOST: waves + 10, maxGET: -1}, true
	case sc.Kind == Routes && phase == "refresh":
		return bar{factor: 1.3, extra: time.Second, formula: "1 s", maxPOST: 0, maxGET: 2}, true
	case sc.Kind == Routes && phase == "destroy":
		return bar{factor: 1.3, extra: time.Second + writes, formula: "1 s + " + writesFormula, maxPOST: waves + 10, maxGET: -1, derived: true}, true
	case sc.Kind == Exclusive && phase == "create":
		// Issue 12 allowed one GET; issue 20 has every write confirmed by a
		// later read, the exclusive one too: the read and the confirming read.
		return bar{factor: 1.5, extra: time.Second, formula: "1 s", maxPOST: 1, maxGET: 2}, true
	case sc.Kind == Exclusive && phase == "refresh":
		return bar{factor: 1.5, extra: time.Second, formula: "1 s", maxPOST: 0, maxGET: 2}, true
	case sc.Kind == Exclusive && phase == "destroy":
		return bar{factor: 1.5, extra: time.Second, formula: "1 s", maxPOST: 1, maxGET: -1, derived: true}, true
	}
	return bar{}, false
}

// RSSBar is the provider's peak memory bar, which holds up to RSSBarN routes.
const (
	RSSBar  = 60 << 20
	RSSBarN = 1000
)

func (br bar) limit(floor time.Duration) time.Duration {
	return time.Duration(br.factor*float64(floor)) + br.extra
}

func (br bar) callsText() string {
	var parts []string
	if br.maxPOST >= 0 {
		parts = append(parts, fmt.Sprintf("POST ≤ %d", br.maxPOST))
	}
	if br.maxGET >= 0 {
		parts = append(parts, fmt.Sprintf("GET ≤ %d", br.maxGET))
	}
	return strings.Join(parts, ", ")
}

func (br bar) callsMet(p Phase) bool {
	return (br.maxPOST < 0 || p.POSTs <= br.maxPOST) && (br.maxGET < 0 || p.GETs <= br.maxGET)
}

// Table renders results as a markdown table, one row per scenario and
// phase: the wall time beside each floor of its shape (the same values in
// terraform_data, same run, same CLI), as seconds above it and as a ratio,
// the bar (held against the map-shaped floor) and whether it is met, the
// requests, the provider's peak memory and CPU time. Rows go by shape, mode
// and N, so the growth with N reads down the table. Config objects, which
// make other requests, have ConfigTable.
func Table(results []Result, bars Bars) string {
	results = sorted(results)
	var b strings.Builder
	b.WriteString("| Scenario | N | Phase | Wall | Floor F (map): wall, above, ratio | Floor (toset): wall, above, ratio | Time bar | Met | POST | GET | Calls bar | Met | 429s | Provider peak RSS | Met | Provider CPU | Terraform CPU |\n")
	b.WriteString("|---|--:|---|--:|--:|--:|---|:-:|--:|--:|---|:-:|--:|--:|:-:|--:|--:|\n")
	for _, r := range results {
		if r.Mode.IsFloor() || r.Kind == Configs { // ConfigTable has them
			continue
		}
		floor, hasFloor := find(results, Scenario{Kind: r.Kind, N: r.N, Mode: Floor})
		setFloor, hasSetFloor := find(results, Scenario{Kind: r.Kind, N: r.N, Mode: FloorSet})
		for _, name := range Phases {
			p := *r.Phase(name)
			floorText, setFloorText, timeBar, timeMet := "–", "–", "–", "–"
			callsBar, callsMet := "–", "–"
			br, hasBar := bars.barFor(r.Scenario, name)
			if hasFloor {
				fw := floor.Phase(name).Wall
				floorText = aboveFloor(p.Wall, fw)
				if hasBar {
					timeBar = fmt.Sprintf("%.1f×F + %s = %s", br.factor, br.formula, seconds(br.limit(fw)))
					if br.derived {
						timeBar += " †"
					}
					timeMet = verdict(p.Wall <= br.limit(fw))
				}
			}
			if hasSetFloor {
				setFloorText = aboveFloor(p.Wall, setFloor.Phase(name).Wall)
			}
			if hasBar {
				callsBar, callsMet = br.callsText(), verdict(br.callsMet(p))
				if br.derived {
					callsBar += " †"
				}
			}
			rssMet := "–"
			if r.N <= RSSBarN {
				rssMet = verdict(p.PeakRSS < RSSBar)
			}
			fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s | %s | %d | %d | %s | %s | %d | %s | %s | %s | %s |\n",
				r.label(), r.N, name, seconds(p.Wall), floorText, setFloorText, timeBar, timeMet,
				p.POSTs, p.GETs, callsBar, callsMet, p.RateLimited,
				megabytes(p.PeakRSS), rssMet, seconds(p.ProviderCPU), seconds(p.TerraformCPU))
		}
	}
	return b.String()
}

// aboveFloor is a wall time beside its floor: the floor, the seconds above
// it and the ratio.
func aboveFloor(wall, floor time.Duration) string {
	return fmt.Sprintf("%s, %s, %s", seconds(floor), signedSeconds(wall-floor), ratio(wall, floor))
}

// FloorTable renders the floors: what Terraform alone costs for each shape.
func FloorTable(results []Result) string {
	results = sorted(results)
	var b strings.Builder
	b.WriteString("| Floor (terraform_data) | N | Create wall | Refresh wall | Destroy wall | Terraform CPU (create / refresh / destroy) | Terraform peak RSS |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|\n")
	for _, r := range results {
		if !r.Mode.IsFloor() {
			continue
		}
		shape := fmt.Sprintf("%d resources, for_each = local.routes (a map), input = each.value", r.N)
		switch {
		case r.Mode == FloorSet:
			shape = fmt.Sprintf("%d resources, for_each = toset(local.numbers), input built from each.value", r.N)
		case r.Kind == Exclusive:
			shape = fmt.Sprintf("1 resource, %d-element map", r.N)
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s / %s / %s | %s |\n", shape, r.N,
			seconds(r.Create.Wall), seconds(r.Refresh.Wall), seconds(r.Destroy.Wall),
			seconds(r.Create.TerraformCPU), seconds(r.Refresh.TerraformCPU), seconds(r.Destroy.TerraformCPU),
			megabytes(max(r.Create.TerraformRSS, r.Refresh.TerraformRSS, r.Destroy.TerraformRSS)))
	}
	return b.String()
}

// label names a provider scenario (floors have their own table).
func (r Result) label() string {
	switch r.Mode {
	case Naive:
		return r.Kind.String() + ", naive (0s)"
	}
	return r.Kind.String() + ", batched (100ms)"
}

func sorted(results []Result) []Result {
	return slices.SortedStableFunc(slices.Values(results), func(a, b Result) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Mode, b.Mode), cmp.Compare(a.N, b.N))
	})
}

func find(results []Result, sc Scenario) (Result, bool) {
	for _, r := range results {
		if r.Scenario == sc {
			return r, true
		}
	}
	return Result{}, false
}

func verdict(met bool) string {
	if met {
		return "✓"
	}
	return "**✗**"
}

// goalVerdict is verdict in words, for the list of bars.
func goalVerdict(met bool) string {
	if met {
		return "met"
	}
	return "**NOT met**"
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

func signedSeconds(d time.Duration) string { return fmt.Sprintf("%+.1f s", d.Seconds()) }

func megabytes(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }

func ratio[T int | int64 | time.Duration](a, b T) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("×%.2f", float64(a)/float64(b))
}

// Goals checks the bars at N = 1000 against results: per-route create and
// refresh of issue 20 (against the map-shaped floor), the exclusive
// resource's and memory of issue 12. A bar whose scenario was not measured
// is reported as such.
func Goals(results []Result, bars Bars) []string {
	var lines []string
	check := func(goal string, sc Scenario, measured func(r, floor Result) (string, bool)) {
		r, ok := find(results, sc)
		floor, okFloor := find(results, Scenario{Kind: sc.Kind, N: sc.N, Mode: Floor})
		if !ok || !okFloor {
			lines = append(lines, fmt.Sprintf("- %s: not measured", goal))
			return
		}
		got, met := measured(r, floor)
		lines = append(lines, fmt.Sprintf("- %s: %s (%s)", goal, goalVerdict(met), got))
	}
	timeGoal := func(phase string) func(r, floor Result) (string, bool) {
		return func(r, floor Result) (string, bool) {
			br, _ := bars.barFor(r.Scenario, phase)
			p, fw := r.Phase(phase), floor.Phase(phase).Wall
			got := fmt.Sprintf("%s vs bar %s; floor %s, %s above it, %s", seconds(p.Wall), seconds(br.limit(fw)), seconds(fw), signedSeconds(p.Wall-fw), ratio(p.Wall, fw))
			if set, ok := find(results, Scenario{Kind: r.Kind, N: r.N, Mode: FloorSet}); ok {
				sw := set.Phase(phase).Wall
				got += fmt.Sprintf("; toset floor %s, %s above it, %s", seconds(sw), signedSeconds(p.Wall-sw), ratio(p.Wall, sw))
			}
			return got, p.Wall <= br.limit(fw)
		}
	}
	routes := Scenario{Kind: Routes, N: RSSBarN}
	exclusive := Scenario{Kind: Exclusive, N: RSSBarN}
	routesCreate, _ := bars.barFor(routes, "create")
	routesRefresh, _ := bars.barFor(routes, "refresh")
	exclusiveCreate, _ := bars.barFor(exclusive, "create")
	exclusiveRefresh, _ := bars.barFor(exclusive, "refresh")
	check(fmt.Sprintf("1000 routes, apply within %.1f × the map-shaped floor + %s (2 round trips × %d waves)", routesCreate.factor, seconds(routesCreate.extra), bars.Waves(RSSBarN)), routes, timeGoal("create"))
	check(fmt.Sprintf("1000 routes, apply with at most %d POSTs", routesCreate.maxPOST), routes, func(r, _ Result) (string, bool) {
		return fmt.Sprintf("%d POSTs", r.Create.POSTs), r.Create.POSTs <= routesCreate.maxPOST
	})
	check(fmt.Sprintf("1000 routes, plan (refresh) within %.1f × the map-shaped floor + %s", routesRefresh.factor, routesRefresh.formula), routes, timeGoal("refresh"))
	check(fmt.Sprintf("1000 routes, plan (refresh) with at most %d GETs", routesRefresh.maxGET), routes, func(r, _ Result) (string, bool) {
		return fmt.Sprintf("%d GETs", r.Refresh.GETs), r.Refresh.GETs <= routesRefresh.maxGET
	})
	check(fmt.Sprintf("exclusive resource with 1000 routes, apply within %.1f × floor + %s", exclusiveCreate.factor, exclusiveCreate.formula), exclusive, timeGoal("create"))
	check(fmt.Sprintf("exclusive resource with 1000 routes, plan within %.1f × floor + %s", exclusiveRefresh.factor, exclusiveRefresh.formula), exclusive, timeGoal("refresh"))
	for _, sc := range []Scenario{routes, exclusive} {
		check(fmt.Sprintf("%s with 1000 routes, provider peak RSS under 60 MB in every phase", sc.Kind), sc, func(r, _ Result) (string, bool) {
			return fmt.Sprintf("create %s, refresh %s, destroy %s", megabytes(r.Create.PeakRSS), megabytes(r.Refresh.PeakRSS), megabytes(r.Destroy.PeakRSS)), r.PeakRSS() < RSSBar
		})
	}
	if r, ok := find(results, routes); ok {
		lines = append(lines, fmt.Sprintf("- 1000 routes complete without a 429: %s (%d × 429)", goalVerdict(r.RateLimited() == 0), r.RateLimited()))
	}
	return lines
}
