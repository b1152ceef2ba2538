package bench

import (
	"fmt"
	"strings"
	"time"
)

// Table renders results as a markdown table, one row per scenario, followed
// by a "naive ÷ batched" row for every size measured both ways. Skipped
// scenarios get a row saying how to run them.
func Table(results []Result, skipped []Skipped) string {
	var b strings.Builder
	b.WriteString("| Scenario | N | Create POST | Create GET | Create wall | Refresh GET | Refresh wall | Destroy POST | Destroy GET | Destroy wall | Provider peak RSS | 429s |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, r := range results {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %s | %d | %s | %d | %d | %s | %.1f MB | %d |\n",
			r.label(), r.N,
			r.Create.POSTs, r.Create.GETs, seconds(r.Create.Wall),
			r.Refresh.GETs, seconds(r.Refresh.Wall),
			r.Destroy.POSTs, r.Destroy.GETs, seconds(r.Destroy.Wall),
			float64(r.PeakRSS())/(1<<20), r.RateLimited())
		if !r.Naive {
			continue
		}
		if base, ok := find(results, Scenario{Kind: r.Kind, N: r.N}); ok {
			fmt.Fprintf(&b, "| **naive ÷ batched** | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | |\n",
				r.N,
				ratio(r.Create.POSTs, base.Create.POSTs), ratio(r.Create.GETs, base.Create.GETs),
				ratio(r.Create.Wall, base.Create.Wall),
				ratio(r.Refresh.GETs, base.Refresh.GETs), ratio(r.Refresh.Wall, base.Refresh.Wall),
				ratio(r.Destroy.POSTs, base.Destroy.POSTs), ratio(r.Destroy.GETs, base.Destroy.GETs),
				ratio(r.Destroy.Wall, base.Destroy.Wall),
				ratio(r.PeakRSS(), base.PeakRSS()))
		}
	}
	for _, s := range skipped {
		fmt.Fprintf(&b, "| %s | %d | %s | | | | | | | | | |\n", Result{Scenario: s.Scenario}.label(), s.N, s.Reason)
	}
	return b.String()
}

// Skipped is a scenario left out of a run, and why.
type Skipped struct {
	Scenario
	Reason string
}

func (r Result) label() string {
	mode := "batched (100ms)"
	if r.Naive {
		mode = "naive (0s)"
	}
	return fmt.Sprintf("%s, %s", r.Kind, mode)
}

func find(results []Result, sc Scenario) (Result, bool) {
	for _, r := range results {
		if r.Scenario == sc {
			return r, true
		}
	}
	return Result{}, false
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

func ratio[T int | int64 | time.Duration](a, b T) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("×%.1f", float64(a)/float64(b))
}

// Goals checks the targets against results; a goal whose scenario
// was not measured is reported as such.
func Goals(results []Result) []string {
	var lines []string
	check := func(goal string, sc Scenario, measured func(Result) (string, bool)) {
		r, ok := find(results, sc)
		if !ok {
			lines = append(lines, fmt.Sprintf("- %s: not measured", goal))
			return
		}
		got, met := measured(r)
		verdict := "met"
		if !met {
			verdict = "**NOT met**"
		}
		lines = append(lines, fmt.Sprintf("- %s: %s (%s)", goal, verdict, got))
	}
	routes100 := Scenario{Kind: Routes, N: 100}
	check("creating 100 routes takes at most 12 POSTs", routes100, func(r Result) (string, bool) {
		return fmt.Sprintf("%d POSTs", r.Create.POSTs), r.Create.POSTs <= 12
	})
	check("refreshing 100 routes takes at most 12 GETs", routes100, func(r Result) (string, bool) {
		return fmt.Sprintf("%d GETs", r.Refresh.GETs), r.Refresh.GETs <= 12
	})
	if naive, ok := find(results, Scenario{Kind: Routes, N: 100, Naive: true}); ok {
		check("batched wall time for 100 routes at most a fifth of naive", routes100, func(r Result) (string, bool) {
			b, n := r.wall(), naive.wall()
			return fmt.Sprintf("create+refresh+destroy %s batched vs %s naive, %s", seconds(b), seconds(n), ratio(n, b)), 5*b <= n
		})
	} else {
		lines = append(lines, "- batched wall time for 100 routes at most a fifth of naive: not measured")
	}
	check("1000 routes complete without a 429", Scenario{Kind: Routes, N: 1000}, func(r Result) (string, bool) {
		return fmt.Sprintf("%d × 429", r.RateLimited()), r.RateLimited() == 0
	})
	check("exclusive resource with 1000 routes: one GET and one POST for an apply", Scenario{Kind: Exclusive, N: 1000}, func(r Result) (string, bool) {
		return fmt.Sprintf("%d GET, %d POST", r.Create.GETs, r.Create.POSTs), r.Create.GETs == 1 && r.Create.POSTs == 1
	})
	if len(results) > 0 {
		peak := results[0]
		for _, r := range results[1:] {
			if r.PeakRSS() > peak.PeakRSS() {
				peak = r
			}
		}
		mb := float64(peak.PeakRSS()) / (1 << 20)
		verdict := "met"
		if mb >= 60 {
			verdict = "**NOT met**"
		}
		lines = append(lines, fmt.Sprintf("- provider peak memory under 60 MB: %s (highest %.1f MB, %s)", verdict, mb, peak.Scenario))
	}
	return lines
}

// wall is the time of all three phases.
func (r Result) wall() time.Duration { return r.Create.Wall + r.Refresh.Wall + r.Destroy.Wall }
