// Command terraform-provider-daily is the Terraform provider for Daily (daily.co).
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/debug"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/daily-tf/terraform-provider-daily/internal/provider"
)

// Set at release time by GoReleaser:
// -ldflags "-X main.version=0.2.0 -X main.commit=<full commit hash>".
var (
	version = "dev"
	commit  = ""
)

// memoryLimit is the Go runtime's soft memory limit unless GOMEMLIMIT sets
// one. A plan of a 1000-route exclusive array allocates some 500 MB of
// short-lived framework values over a live heap of about 16 MB; with the
// default pacing alone the process then holds 60 to 70 MB. Measured at 1000
// routes, the limit cuts that to about 50 MB at no cost in time; a heap that
// outgrows it (several thousand routes) makes the collector run more often,
// which the runtime caps at half the CPU.
const memoryLimit = 36 << 20

// finishTimeout bounds the wait for the last writes' confirming reads when
// Terraform stops the provider; Terraform kills it 2 s after asking it to stop.
const finishTimeout = 1500 * time.Millisecond

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	quietUnlessTerraformLogs()
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	if dir := os.Getenv(profileEnv); dir != "" {
		p, err := startProfiling(dir)
		if err != nil {
			log.Fatalf("%s: %v", profileEnv, err)
		}
		defer p.stop()
	}

	var opts []tf6server.ServeOpt
	if debugMode {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	server := provider.NewServer(fullVersion(version, commit, buildRevision()))
	err := tf6server.Serve("registry.terraform.io/daily-tf/daily", func() tfprotov6.ProviderServer { return server }, opts...)

	ctx, cancel := context.WithTimeout(context.Background(), finishTimeout)
	server.FinishWrites(ctx)
	cancel()
	if err != nil {
		log.Fatal(err)
	}
}

// quietUnlessTerraformLogs turns the provider's logs off when Terraform was
// not asked to log: Terraform would parse and discard them, and the
// framework's trace lines alone cost a third of the provider's CPU and a
// fifth of Terraform's on a 1000-route plan. Each subsystem is turned off by
// name: a logger left at its default level still looks itself up for every
// value of a large attribute, through a context the framework deepens at
// each value, which makes a 1000-route map cost seconds.
func quietUnlessTerraformLogs() {
	names := []string{"TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}
	for _, name := range append(names, "TF_LOG", "TF_ACC_LOG") {
		if os.Getenv(name) != "" {
			return
		}
	}
	for _, name := range names {
		_ = os.Setenv(name, "off")
	}
}

// fullVersion is the version the provider reports, in its User-Agent too: the
// release version with the commit as semver build metadata, e.g.
// 0.2.0+1a2b3c4d5e6f. Without a stamped commit it uses the revision Go
// recorded from the source checkout (go build / go install), if any.
func fullVersion(version, commit, revision string) string {
	switch {
	case commit != "":
		return version + "+" + commit[:min(len(commit), 12)]
	case revision != "":
		return version + "+" + revision
	}
	return version
}

// buildRevision is the VCS revision Go stamped into the binary, with
// ".dirty" when the checkout had uncommitted changes; "" when there is none.
func buildRevision() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var revision, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = ".dirty"
			}
		}
	}
	if revision == "" {
		return ""
	}
	return revision[:min(len(revision), 12)] + dirty
}
