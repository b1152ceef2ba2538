// Package bench measures what a Terraform run of the provider costs against
// the Daily emulator: requests to the domain endpoint, wall time, 429s and the
// provider process's peak memory. cmd/daily-bench drives it (make bench).
package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// Options are the settings shared by every scenario.
type Options struct {
	Terraform   string        // terraform binary
	Provider    string        // provider binary, found by Terraform through dev_overrides
	Latency     time.Duration // added by the emulator to every request
	Parallelism int           // terraform -parallelism
	// KeepDir keeps each scenario's working directory (configuration, state
	// and Terraform's output); it is always kept when a scenario fails.
	KeepDir bool
}

// Scenario is one configuration applied, refreshed and destroyed.
type Scenario struct {
	Kind Kind
	N    int
	// Naive sets dialin_batch_window = "0s": every change makes its own
	// GET, POST and confirming GET, and every read its own GET.
	Naive bool
}

func (s Scenario) String() string {
	mode := "batched"
	if s.Naive {
		mode = "naive"
	}
	return fmt.Sprintf("%s %s N=%d", mode, s.Kind, s.N)
}

// Phase is what one Terraform command cost.
type Phase struct {
	GETs, POSTs int // GET / and POST / (the domain config, dial-in arrays included)
	RateLimited int // requests the emulator answered 429 for exceeding 20/s
	Wall        time.Duration
	PeakRSS     int64 // bytes, the provider process Terraform started for the command
}

// Requests is the number of calls to the domain endpoint.
func (p Phase) Requests() int { return p.GETs + p.POSTs }

// Result is a measured scenario.
type Result struct {
	Scenario
	Create  Phase // terraform apply on empty state
	Refresh Phase // terraform plan, which refreshes every resource
	Destroy Phase // terraform destroy, its own refresh included
}

// PeakRSS is the largest provider peak memory of the three commands, in bytes.
func (r Result) PeakRSS() int64 {
	return max(r.Create.PeakRSS, r.Refresh.PeakRSS, r.Destroy.PeakRSS)
}

// RateLimited is the number of 429s over all phases.
func (r Result) RateLimited() int {
	return r.Create.RateLimited + r.Refresh.RateLimited + r.Destroy.RateLimited
}

// Run measures sc against a fresh emulator. The emulator adds opts.Latency
// to every request and enforces Daily's 20 requests/s.
func Run(ctx context.Context, opts Options, sc Scenario) (res Result, err error) {
	res.Scenario = sc
	emu := emulator.New(emulator.Options{})
	defer emu.Close()
	apiURL := emu.StartServer()
	nums := numbers(sc.N)
	for _, n := range nums {
		emu.SeedPurchased(n, emu.Now().AddDate(0, 0, -30))
	}
	emu.SetFaults(emulator.Faults{Latency: opts.Latency, RateLimit: true})

	dir, err := os.MkdirTemp("", "daily-bench-")
	if err != nil {
		return res, err
	}
	defer func() {
		if err != nil {
			err = fmt.Errorf("%s: %w (logs in %s)", sc, err, dir)
		} else if !opts.KeepDir {
			err = os.RemoveAll(dir)
		}
	}()
	window := ""
	if sc.Naive {
		window = "0s"
	}
	provider, err := filepath.Abs(opts.Provider)
	if err != nil {
		return res, err
	}
	files := map[string]string{
		"main.tf": configuration(sc.Kind, apiURL, emu.APIKey(), window, nums),
		// Only our build of the provider: no user mirrors, overrides or caches.
		// Terraform starts it once per command, as it would a released one.
		"cli.tfrc": fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n",
			"daily-tf/daily", filepath.Dir(provider)),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			return res, err
		}
	}
	tfLog, err := os.Create(filepath.Join(dir, "terraform.log"))
	if err != nil {
		return res, err
	}
	defer tfLog.Close()

	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+filepath.Join(dir, "cli.tfrc"),
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
	)
	// measure runs one Terraform command and counts what it cost. With
	// dev_overrides there is nothing to install: no terraform init.
	measure := func(phase *Phase, args ...string) error {
		fmt.Fprintf(tfLog, "\n$ terraform %v\n", args)
		cmd := exec.CommandContext(ctx, opts.Terraform, append(args, "-no-color", "-input=false")...)
		cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, tfLog, tfLog
		emu.ResetCounts()
		limited := emu.FaultStats().RateLimited
		rss := watchRSS(provider)
		start := time.Now()
		err := cmd.Run()
		phase.Wall = time.Since(start)
		phase.PeakRSS = rss.stop()
		phase.GETs, phase.POSTs = emu.Count("GET /"), emu.Count("POST /")
		phase.RateLimited = emu.FaultStats().RateLimited - limited
		if err != nil {
			return fmt.Errorf("terraform %s: %w", args[0], err)
		}
		return nil
	}
	parallelism := "-parallelism=" + strconv.Itoa(opts.Parallelism)

	if err := measure(&res.Create, "apply", "-auto-approve", parallelism); err != nil {
		return res, err
	}
	// A benchmark that silently lost routes would be worthless.
	if err := checkRoutes(emu, nums); err != nil {
		return res, fmt.Errorf("after create: %w", err)
	}
	// -detailed-exitcode fails on any planned change: refresh must find
	// every route exactly as created.
	if err := measure(&res.Refresh, "plan", "-detailed-exitcode", parallelism); err != nil {
		return res, err
	}
	if err := measure(&res.Destroy, "destroy", "-auto-approve", parallelism); err != nil {
		return res, err
	}
	if err := checkRoutes(emu, nil); err != nil {
		return res, fmt.Errorf("after destroy: %w", err)
	}
	return res, nil
}

// checkRoutes fails unless the emulator's pinless_dialin array holds exactly
// one entry for each of want.
func checkRoutes(emu *emulator.Emulator, want []string) error {
	var got []string
	for _, raw := range emu.DialinArray(client.PinlessDialin) {
		var entry struct {
			PhoneNumber string `json:"phone_number"`
		}
		if err := json.Unmarshal(raw, &entry); err != nil {
			return err
		}
		got = append(got, entry.PhoneNumber)
	}
	slices.Sort(got)
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		return errors.New("emulator holds " + strconv.Itoa(len(got)) + " pinless_dialin entries, want exactly the " + strconv.Itoa(len(want)) + " configured")
	}
	return nil
}
