// Command terraform-provider-daily is the Terraform provider for Daily (daily.co).
package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/daily-tf/terraform-provider-daily/internal/provider"
)

// version is set at release time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if dir := os.Getenv(profileEnv); dir != "" {
		p, err := startProfiling(dir)
		if err != nil {
			log.Fatalf("%s: %v", profileEnv, err)
		}
		defer p.stop()
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/daily-tf/daily",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
