// Command terraform-provider-daily is the Terraform provider for Daily (daily.co).
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/daily-tf/terraform-provider-daily/internal/provider"
)

// Set at release time by GoReleaser:
// -ldflags "-X main.version=0.2.0 -X main.commit=<full commit hash>".
var (
	version = "dev"
	commit  = ""
)

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if dir := os.Getenv(profileEnv); dir != "" {
		p, err := startProfiling(dir)
		if err != nil {
			log.Fatalf("%s: %v", profileEnv, err)
		}
		defer p.stop()
	}

	err := providerserver.Serve(context.Background(), provider.New(fullVersion(version, commit, buildRevision())), providerserver.ServeOpts{
		Address: "registry.terraform.io/daily-tf/daily",
		Debug:   debugMode,
	})
	if err != nil {
		log.Fatal(err)
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
