// Command daily-bench builds the provider and measures Terraform runs of it
// against the in-process Daily emulator (50 ms added latency, 20 requests/s
// enforced): daily_pinless_dialin_route resources, the exclusive
// daily_pinless_dialin resource and daily_pinless_dialin_config objects,
// each beside its floors, the same values in
// Terraform's built-in terraform_data measured in the same run with the same
// CLI (per-route in two shapes: for_each over a map, as a user writes it, and
// over toset of a list), and against the bars of issues 20 and 12. It prints
// the machine, markdown tables and the bars to stdout, progress to stderr.
// `make bench` runs it.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "daily-bench:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	defaultSizes := "10,100,1000"
	if os.Getenv("BENCH_5000") == "1" {
		defaultSizes += ",5000"
	}
	terraform := flag.String("terraform", "terraform", "terraform binary")
	providerBinary := flag.String("provider", "", "a provider binary to measure instead of building this checkout (to compare builds run by run)")
	sizesFlag := flag.String("sizes", defaultSizes, "numbers of routes, comma-separated (env BENCH_5000=1 adds 5000 to the default)")
	// Naive runs serialize ~0.35 s of requests per change: 100 routes take
	// about 1.5 minutes, 1000 over 10.
	naiveFlag := flag.String("naive-sizes", "100", "sizes at which to also run the naive baseline (batching off), comma-separated; \"\" for none")
	latency := flag.Duration("latency", 50*time.Millisecond, "latency the emulator adds to every request")
	parallelism := flag.Int("parallelism", 10, "terraform -parallelism")
	keep := flag.Bool("keep", false, "keep each scenario's working directory (state, output, the emulator's request log)")
	only := flag.String("only", "", "run only the scenarios whose name matches this regular expression, e.g. 'batched daily_pinless_dialin_route N=1000'")
	profile := flag.String("profile", "", "profile the provider (CPU and heap, pprof) in the scenarios whose name matches this regular expression; the profiles are kept in <dir>/profiles/<phase>")
	tfLog := flag.String("tf-log", "", "TF_LOG level for every command, logged to <dir>/terraform-<phase>.log (slows Terraform: for timelines, not for figures); provider:LEVEL sets TF_LOG_PROVIDER instead; implies -keep")
	providerEnv := flag.String("provider-env", "", "environment variables for the provider process only, e.g. GOGC=50,GOMEMLIMIT=40MiB")
	createOnly := flag.Bool("create-only", false, "measure only the create phase (to compare builds quickly; the table shows zeros for refresh and destroy)")
	timeline := flag.String("timeline", "", "measure nothing: break the waves of a run kept with -tf-log provider:trace (its directory) down into their parts")
	flag.Parse()
	if *timeline != "" {
		for _, p := range []struct{ phase, rpc string }{{"create", "ApplyResourceChange"}, {"refresh", "ReadResource"}, {"destroy", "ApplyResourceChange"}} {
			t, err := bench.Timeline(*timeline, p.phase, p.rpc)
			if err != nil {
				fmt.Printf("%s: %v\n\n", p.phase, err)
				continue
			}
			fmt.Println(t)
		}
		return nil
	}
	sizes, err := parseSizes(*sizesFlag)
	if err != nil {
		return err
	}
	var naiveSizes []int
	if *naiveFlag != "" {
		if naiveSizes, err = parseSizes(*naiveFlag); err != nil {
			return err
		}
	}
	match := func(expr string) (func(bench.Scenario) bool, error) {
		if expr == "" {
			return nil, nil
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, err
		}
		return func(sc bench.Scenario) bool { return re.MatchString(sc.String()) }, nil
	}
	onlyMatch, err := match(*only)
	if err != nil {
		return fmt.Errorf("-only: %w", err)
	}
	profileMatch, err := match(*profile)
	if err != nil {
		return fmt.Errorf("-profile: %w", err)
	}
	var env []string
	if *providerEnv != "" {
		env = strings.Split(*providerEnv, ",")
	}

	provider := *providerBinary
	if provider == "" {
		tmp, err := os.MkdirTemp("", "daily-bench-provider-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		provider = filepath.Join(tmp, "terraform-provider-daily")
		progress("building the provider")
		build := exec.CommandContext(ctx, "go", "build", "-o", provider, "github.com/daily-tf/terraform-provider-daily")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("building the provider: %w", err)
		}
	}

	// Each shape runs right after its floors, so they see the same load.
	var scenarios []bench.Scenario
	for _, n := range sizes {
		scenarios = append(scenarios,
			bench.Scenario{Kind: bench.Routes, N: n, Mode: bench.FloorSet},
			bench.Scenario{Kind: bench.Routes, N: n, Mode: bench.Floor},
			bench.Scenario{Kind: bench.Routes, N: n, Mode: bench.Batched})
		if slices.Contains(naiveSizes, n) {
			scenarios = append(scenarios, bench.Scenario{Kind: bench.Routes, N: n, Mode: bench.Naive})
		}
		scenarios = append(scenarios,
			bench.Scenario{Kind: bench.Configs, N: n, Mode: bench.Floor},
			bench.Scenario{Kind: bench.Configs, N: n, Mode: bench.Batched},
			bench.Scenario{Kind: bench.Exclusive, N: n, Mode: bench.Floor},
			bench.Scenario{Kind: bench.Exclusive, N: n, Mode: bench.Batched})
	}
	if onlyMatch != nil {
		scenarios = slices.DeleteFunc(scenarios, func(sc bench.Scenario) bool { return !onlyMatch(sc) })
	}
	// The config objects' floor is the per-route map floor's configuration:
	// measured once when both are selected (at N = 1000 it takes minutes).
	routeFloors := map[int]bool{}
	for _, sc := range scenarios {
		routeFloors[sc.N] = routeFloors[sc.N] || sc.Kind == bench.Routes && sc.Mode == bench.Floor
	}
	scenarios = slices.DeleteFunc(scenarios, func(sc bench.Scenario) bool {
		return sc.Kind == bench.Configs && sc.Mode == bench.Floor && routeFloors[sc.N]
	})

	opts := bench.Options{
		Terraform: *terraform, Provider: provider, Latency: *latency, Parallelism: *parallelism,
		KeepDir: *keep || *tfLog != "", Profile: profileMatch, TFLog: *tfLog, ProviderEnv: env, CreateOnly: *createOnly,
	}
	var results []bench.Result
	start := time.Now()
	for _, sc := range scenarios {
		progress("running %s", sc)
		r, err := bench.Run(ctx, opts, sc)
		if err != nil {
			return err
		}
		progress("  create %s, refresh %s, destroy %s; provider peak RSS %.1f MB",
			r.Create.Wall.Round(time.Millisecond), r.Refresh.Wall.Round(time.Millisecond), r.Destroy.Wall.Round(time.Millisecond),
			float64(r.PeakRSS())/(1<<20))
		if r.Dir != "" {
			progress("  kept in %s", r.Dir)
		}
		results = append(results, r)
	}

	bars := bench.Bars{RTT: *latency, Parallelism: *parallelism}
	fmt.Printf("Measured %s with `make bench` (emulator latency %s per request, 20 requests/s enforced, terraform -parallelism=%d", time.Now().UTC().Format(time.DateOnly), *latency, *parallelism)
	if len(env) > 0 {
		fmt.Printf(", provider environment %s", strings.Join(env, " "))
	}
	fmt.Printf("); whole run %s.\n\n", time.Since(start).Round(time.Second))
	fmt.Println(machine(ctx, *terraform))
	fmt.Println(bench.Table(results, bars))
	fmt.Printf("Each figure is beside the floors of its shape, what Terraform itself costs for the same values in terraform_data with no provider (same run, same CLI and -parallelism), as the floor's wall time, the seconds above it and the ratio. "+
		"F, the floor the bars use, is written as a user writes it: N resources with for_each over a map of the routes and input = each.value, or one resource holding the N-route map. "+
		"The toset floor is the per-route floor of earlier runs, for_each = toset(a list of numbers) with each input built from each.value, which costs Terraform itself much more at N = 1000. "+
		"The time bars add the round trips no provider can avoid: with parallelism %d, N routes need at least ⌈N/%d⌉ write waves of one read and one write of %s each. "+
		"† marks bars derived here (destroy = refresh + deletes). Peak RSS is the largest high-water mark of the provider processes Terraform started for the command; its bar (60 MB) holds up to N = %d. "+
		"Provider CPU is the CPU time of those processes, Terraform CPU that of Terraform itself.\n\n", *parallelism, *parallelism, *latency, bench.RSSBarN)
	fmt.Println(bench.FloorTable(results))
	if slices.ContainsFunc(results, func(r bench.Result) bool { return r.Kind == bench.Configs && !r.Mode.IsFloor() }) {
		fmt.Println("daily_pinless_dialin_config, one object per number (for_each = local.routes), beside F, the per-route map floor (the same terraform_data configuration, measured in this run):")
		fmt.Println()
		fmt.Println(bench.ConfigTable(results, bars))
		fmt.Printf("The request floor is the waiting on requests no provider of one object per number can avoid: one write per object, %d at a time, %s each (create, destroy), and one listing of every object, its pages of 100 one after another (refresh; destroy refreshes first). "+
			"Requests are counted by method and route, 429s included; other is any request not in a column. "+
			"Requests at %d/s is the least time Daily's limit allows for the requests made (429s left out).\n\n", *parallelism, *latency, bench.DailyRateLimit)
	}
	fmt.Println("Bars (per-route create and refresh: issue 20; the exclusive resource and memory: issue 12):")
	fmt.Println()
	fmt.Println(strings.Join(bench.Goals(results, bars), "\n"))
	return nil
}

func parseSizes(s string) ([]int, error) {
	var sizes []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-sizes: %q is not a positive number", f)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().Format(time.TimeOnly)}, args...)...)
}

// machine describes where the figures were measured, as a markdown list.
func machine(ctx context.Context, terraform string) string {
	tfVersion := "unknown"
	if out, err := exec.CommandContext(ctx, terraform, "version").Output(); err == nil {
		tfVersion, _, _ = strings.Cut(string(out), "\n")
	}
	memory := procField("/proc/meminfo", "MemTotal")
	if kb, err := strconv.ParseFloat(strings.TrimSuffix(memory, " kB"), 64); err == nil {
		memory = fmt.Sprintf("%.1f GiB", kb/(1<<20))
	}
	return fmt.Sprintf("- CPU: %s, %d cores (nproc)\n- Memory: %s\n- OS: %s/%s\n- Go: %s\n- Terraform: %s\n",
		procField("/proc/cpuinfo", "model name"), runtime.NumCPU(), memory,
		runtime.GOOS, runtime.GOARCH, runtime.Version(), tfVersion)
}

// procField returns the value of the first "name: value" line of a /proc file.
func procField(path, name string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
