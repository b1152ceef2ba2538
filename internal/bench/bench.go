// Package bench measures what a Terraform run of the provider costs against
// the Daily emulator: requests to the domain endpoint, wall time, 429s, CPU
// and the provider process's peak memory, each beside its floor: the same
// shape of values in Terraform's built-in terraform_data, measured in the
// same run with the same CLI. cmd/daily-bench drives it (make bench).
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// ProfileEnv is the provider's switch for writing pprof profiles of itself
// into a directory (see the provider's main package).
const ProfileEnv = "DAILY_PROVIDER_PROFILE"

// Options are the settings shared by every scenario.
type Options struct {
	Terraform   string        // terraform binary
	Provider    string        // provider binary, found by Terraform through dev_overrides
	Latency     time.Duration // added by the emulator to every request
	Parallelism int           // terraform -parallelism
	// KeepDir keeps each scenario's working directory (configuration, state,
	// Terraform's output and the emulator's request log); it is always kept
	// when a scenario fails or is profiled.
	KeepDir bool
	// Profile makes the provider write CPU and heap profiles into
	// <dir>/profiles/<phase>/ for the scenarios it returns true for.
	Profile func(Scenario) bool
	// TFLog, when set, is the TF_LOG level of every command, logged to
	// <dir>/terraform-<phase>.log (slows Terraform down: for timelines only);
	// "provider:LEVEL" sets TF_LOG_PROVIDER instead, for the provider's log
	// alone.
	TFLog string
	// ProviderEnv is added to the provider's environment only (not
	// Terraform's), e.g. GOGC=50, through a wrapper script.
	ProviderEnv []string
	// CreateOnly measures the create phase alone (to compare builds
	// quickly); refresh and destroy are left at zero.
	CreateOnly bool
}

// Scenario is one configuration applied, refreshed and destroyed.
type Scenario struct {
	Kind Kind
	N    int
	Mode Mode
}

func (s Scenario) String() string {
	return fmt.Sprintf("%s %s N=%d", s.Mode, s.Kind, s.N)
}

// Phase is what one Terraform command cost.
type Phase struct {
	GETs, POSTs int // GET / and POST / (the domain config, dial-in arrays included)
	// Counts is every request by the emulator's counting key ("METHOD
	// /path", e.g. "POST /domain-dialin-config" or "GET
	// /domain-dialin-config/:id"), refused ones (429) included.
	Counts      map[string]int
	RateLimited int // requests the emulator answered 429 for exceeding 20/s
	Wall        time.Duration
	// PeakRSS is the largest high-water mark (VmHWM) of the provider
	// processes Terraform started for the command, in bytes.
	PeakRSS int64
	// ProviderCPU is the CPU time (user + system) of those processes, and
	// TerraformCPU that of Terraform itself.
	ProviderCPU, TerraformCPU time.Duration
	// TerraformRSS is Terraform's own high-water mark, in bytes.
	TerraformRSS int64
}

// procStats is what watchProcesses saw of the processes of one command.
type procStats struct {
	peakRSS      int64         // bytes, largest VmHWM of a provider process
	cpu          time.Duration // provider processes, user + system
	terraformRSS int64         // bytes
}

// Requests is the number of calls to the domain endpoint.
func (p Phase) Requests() int { return p.GETs + p.POSTs }

// Result is a measured scenario.
type Result struct {
	Scenario
	Create  Phase // terraform apply on empty state
	Refresh Phase // terraform plan, which refreshes every resource
	Destroy Phase // terraform destroy, its own refresh included
	Dir     string
}

// Phases names the three commands, in order.
var Phases = []string{"create", "refresh", "destroy"}

// Phase returns the phase named as in Phases.
func (r *Result) Phase(name string) *Phase {
	switch name {
	case "create":
		return &r.Create
	case "refresh":
		return &r.Refresh
	case "destroy":
		return &r.Destroy
	}
	return nil
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
	profile := opts.Profile != nil && opts.Profile(sc) && !sc.Mode.IsFloor()
	emu := emulator.New(emulator.Options{})
	defer emu.Close()
	requests := &requestLog{}
	srv := httptest.NewServer(requests.wrap(emu))
	defer srv.Close()
	apiURL := srv.URL + "/v1"
	nums := numbers(sc.N)
	for _, n := range nums {
		emu.SeedPurchased(n, emu.Now().AddDate(0, 0, -30))
	}
	emu.SetFaults(emulator.Faults{Latency: opts.Latency, RateLimit: true})

	dir, err := os.MkdirTemp("", "daily-bench-")
	if err != nil {
		return res, err
	}
	res.Dir = dir
	defer func() {
		if err != nil {
			err = fmt.Errorf("%s: %w (logs in %s)", sc, err, dir)
		} else if !opts.KeepDir && !profile {
			res.Dir = ""
			err = os.RemoveAll(dir)
		}
	}()
	provider, err := filepath.Abs(opts.Provider)
	if err != nil {
		return res, err
	}
	overrideDir, err := providerDir(dir, provider, opts.ProviderEnv)
	if err != nil {
		return res, err
	}
	if err := os.Mkdir(filepath.Join(dir, "no-mirror"), 0o755); err != nil {
		return res, err
	}
	files := map[string]string{
		"main.tf": configuration(sc, apiURL, emu.APIKey(), nums),
		// Only our build of the provider, for every scenario, floors included:
		// no user mirrors, overrides or caches, and nothing to download (no
		// terraform init runs; an install could only look in an empty mirror).
		// Terraform starts the provider once or more per command, as it would a
		// released one.
		"cli.tfrc": fmt.Sprintf("disable_checkpoint = true\n\nprovider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  filesystem_mirror {\n    path = %q\n  }\n}\n",
			"daily-tf/daily", overrideDir, filepath.Join(dir, "no-mirror")),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			return res, err
		}
	}
	tfOut, err := os.Create(filepath.Join(dir, "terraform.out"))
	if err != nil {
		return res, err
	}
	defer tfOut.Close()

	var env []string
	for _, kv := range os.Environ() {
		// The user's logging, CLI configuration or profiling would skew the figures.
		if !strings.HasPrefix(kv, "TF_") && !strings.HasPrefix(kv, ProfileEnv+"=") {
			env = append(env, kv)
		}
	}
	env = append(env,
		"TF_CLI_CONFIG_FILE="+filepath.Join(dir, "cli.tfrc"),
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
	)
	// measure runs one Terraform command and counts what it cost. With
	// dev_overrides there is nothing to install: no terraform init.
	measure := func(name string, args ...string) error {
		phase := res.Phase(name)
		fmt.Fprintf(tfOut, "\n$ terraform %v\n", args)
		cmd := exec.CommandContext(ctx, opts.Terraform, append(args, "-no-color", "-input=false")...)
		cmd.Dir, cmd.Stdout, cmd.Stderr = dir, tfOut, tfOut
		cmd.Env = slices.Clone(env)
		if profile {
			cmd.Env = append(cmd.Env, ProfileEnv+"="+filepath.Join(dir, "profiles", name))
		}
		if opts.TFLog != "" {
			variable, level := "TF_LOG", opts.TFLog
			if l, ok := strings.CutPrefix(level, "provider:"); ok {
				variable, level = "TF_LOG_PROVIDER", l
			}
			cmd.Env = append(cmd.Env, variable+"="+level, "TF_LOG_PATH="+filepath.Join(dir, "terraform-"+name+".log"))
		}
		emu.ResetCounts()
		limited := emu.FaultStats().RateLimited
		requests.reset()
		start := time.Now()
		if err := cmd.Start(); err != nil {
			return err
		}
		procs := watchProcesses(provider, cmd.Process.Pid)
		err := cmd.Wait()
		phase.Wall = time.Since(start)
		stats := procs.stop()
		phase.PeakRSS, phase.ProviderCPU, phase.TerraformRSS = stats.peakRSS, stats.cpu, stats.terraformRSS
		if ps := cmd.ProcessState; ps != nil {
			// Terraform's usage includes the provider processes it waited for.
			phase.TerraformCPU = max(0, ps.UserTime()+ps.SystemTime()-stats.cpu)
		}
		phase.Counts = emu.Counts()
		phase.GETs, phase.POSTs = phase.Counts["GET /"], phase.Counts["POST /"]
		phase.RateLimited = emu.FaultStats().RateLimited - limited
		if werr := requests.write(filepath.Join(dir, "requests-"+name+".tsv"), start); werr != nil && err == nil {
			err = werr
		}
		if err != nil {
			return fmt.Errorf("terraform %s: %w", args[0], err)
		}
		return nil
	}
	parallelism := "-parallelism=" + strconv.Itoa(opts.Parallelism)

	if err := measure("create", "apply", "-auto-approve", parallelism); err != nil {
		return res, err
	}
	// A benchmark that silently lost routes would be worthless.
	if err := checkDialin(emu, sc, nums); err != nil {
		return res, fmt.Errorf("after create: %w", err)
	}
	if opts.CreateOnly {
		return res, nil
	}
	// -detailed-exitcode fails on any planned change: refresh must find
	// every route exactly as created.
	if err := measure("refresh", "plan", "-detailed-exitcode", parallelism); err != nil {
		return res, err
	}
	if err := measure("destroy", "destroy", "-auto-approve", parallelism); err != nil {
		return res, err
	}
	if err := checkDialin(emu, sc, nil); err != nil {
		return res, fmt.Errorf("after destroy: %w", err)
	}
	return res, nil
}

// providerDir returns the directory dev_overrides points at: the provider's
// own, or with env set, one holding a script that starts the provider with
// env added to its environment (Terraform's stays as it is).
func providerDir(workDir, provider string, env []string) (string, error) {
	if len(env) == 0 {
		return filepath.Dir(provider), nil
	}
	dir := filepath.Join(workDir, "provider")
	if err := os.Mkdir(dir, 0o755); err != nil {
		return "", err
	}
	quoted := make([]string, len(env))
	for i, kv := range env {
		quoted[i] = "'" + strings.ReplaceAll(kv, "'", `'\''`) + "'"
	}
	script := fmt.Sprintf("#!/bin/sh\nexec env %s '%s' \"$@\"\n", strings.Join(quoted, " "), provider)
	return dir, os.WriteFile(filepath.Join(dir, filepath.Base(provider)), []byte(script), 0o755)
}

// checkDialin fails unless the emulator holds exactly one route for each
// of want where the scenario's kind keeps them: config objects for Configs,
// the pinless_dialin array otherwise. Floors must leave both empty.
func checkDialin(emu *emulator.Emulator, sc Scenario, want []string) error {
	if sc.Mode.IsFloor() {
		want = nil
	}
	where, held := "pinless_dialin entries", emu.DialinArray(client.PinlessDialin)
	if sc.Kind == Configs {
		where, held = "dial-in config objects", emu.DialinConfigs()
	}
	var got []string
	for _, raw := range held {
		var route struct {
			PhoneNumber string   `json:"phone_number"`
			Config      struct { // an object's fields
				PhoneNumber string `json:"phone_number"`
			} `json:"config"`
		}
		if err := json.Unmarshal(raw, &route); err != nil {
			return err
		}
		got = append(got, route.PhoneNumber+route.Config.PhoneNumber)
	}
	slices.Sort(got)
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		return fmt.Errorf("emulator holds %d %s, want exactly the %d configured", len(got), where, len(want))
	}
	return nil
}
