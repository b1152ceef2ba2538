// Command daily-bench builds the provider and measures Terraform runs of it
// against the in-process Daily emulator (50 ms added latency, 20 requests/s
// enforced): daily_pinless_dialin_route resources with the dial-in engine's
// batching on (the default) and off (the naive baseline), and the exclusive
// daily_pinless_dialin resource. It prints the machine, a markdown table and
// the goals to stdout, progress to stderr. `make bench` runs it.
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
	"runtime"
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
	terraform := flag.String("terraform", "terraform", "terraform binary")
	sizesFlag := flag.String("sizes", "10,100,1000", "numbers of routes, comma-separated")
	latency := flag.Duration("latency", 50*time.Millisecond, "latency the emulator adds to every request")
	parallelism := flag.Int("parallelism", 10, "terraform -parallelism")
	// Naive runs serialize ~0.35 s of requests per change: 1000 routes take
	// over 10 minutes, so that size is opt-in.
	naive1000 := flag.Bool("naive-1000", os.Getenv("BENCH_NAIVE_1000") == "1", "also run the naive baseline for 1000 routes or more (env BENCH_NAIVE_1000=1)")
	keep := flag.Bool("keep", false, "keep each scenario's working directory")
	flag.Parse()
	sizes, err := parseSizes(*sizesFlag)
	if err != nil {
		return err
	}

	tmp, err := os.MkdirTemp("", "daily-bench-provider-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	provider := filepath.Join(tmp, "terraform-provider-daily")
	progress("building the provider")
	build := exec.CommandContext(ctx, "go", "build", "-o", provider, "github.com/daily-tf/terraform-provider-daily")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building the provider: %w", err)
	}

	var scenarios []bench.Scenario
	var skipped []bench.Skipped
	for _, n := range sizes {
		scenarios = append(scenarios, bench.Scenario{Kind: bench.Routes, N: n})
		naive := bench.Scenario{Kind: bench.Routes, N: n, Naive: true}
		if n >= 1000 && !*naive1000 {
			skipped = append(skipped, bench.Skipped{Scenario: naive, Reason: "not run by default (over 10 min); `BENCH_NAIVE_1000=1 make bench`"})
			continue
		}
		scenarios = append(scenarios, naive)
	}
	scenarios = append(scenarios, bench.Scenario{Kind: bench.Exclusive, N: sizes[len(sizes)-1]})

	opts := bench.Options{Terraform: *terraform, Provider: provider, Latency: *latency, Parallelism: *parallelism, KeepDir: *keep}
	var results []bench.Result
	start := time.Now()
	for _, sc := range scenarios {
		progress("running %s", sc)
		r, err := bench.Run(ctx, opts, sc)
		if err != nil {
			return err
		}
		progress("  create %s, refresh %s, destroy %s", r.Create.Wall.Round(time.Millisecond), r.Refresh.Wall.Round(time.Millisecond), r.Destroy.Wall.Round(time.Millisecond))
		results = append(results, r)
	}

	fmt.Printf("Measured %s with `make bench` (emulator latency %s per request, 20 requests/s enforced, terraform -parallelism=%d); whole run %s.\n\n",
		time.Now().UTC().Format(time.DateOnly), *latency, *parallelism, time.Since(start).Round(time.Second))
	fmt.Println(machine(ctx, *terraform))
	fmt.Println(bench.Table(results, skipped))
	fmt.Println("Goals:")
	fmt.Println()
	fmt.Println(strings.Join(bench.Goals(results), "\n"))
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
