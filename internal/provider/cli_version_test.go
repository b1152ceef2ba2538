package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// The acceptance tests run on Terraform from 1.5 on and on OpenTofu. A test of
// a newer CLI feature declares it with TerraformVersionChecks (resource.Test)
// or cliWorkdir.require (the CLI harness), using these checks:
//
//	tfversion.SkipBelow(tfversion.Version1_12_0)          // compares the CLI's own version number
//	onCLI("removed blocks", tfversion.SkipBelow(tfversion.Version1_7_0), tfversion.SkipBelow(tfversion.Version1_10_0))
//	onCLI("terraform query", tfversion.SkipBelow(tfversion.Version1_14_0), nil) // nil: OpenTofu lacks it
//
// On OpenTofu, tfversion compares OpenTofu's version number, which says
// little about Terraform features: OpenTofu 1.12 has identity and write-only
// attributes but no list resources. onCLI lets a check say what each CLI needs.

// cliUnderTest is the terraform or tofu binary the acceptance tests drive.
type cliUnderTest struct {
	path     string // "" when there is none
	openTofu bool
}

// testCLI finds the binary as terraform-plugin-testing does (TF_ACC_TERRAFORM_PATH,
// else terraform on PATH) and asks it what it is. TestMain calls it first,
// with TF_CLI_CONFIG_FILE already set.
var testCLI = sync.OnceValue(func() cliUnderTest {
	path := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if path == "" {
		path, _ = exec.LookPath("terraform")
	}
	if path == "" {
		return cliUnderTest{}
	}
	out, err := exec.Command(path, "version").Output()
	if err != nil {
		return cliUnderTest{path: path}
	}
	// "OpenTofu v1.12.6" or "Terraform v1.15.9" on its own line.
	return cliUnderTest{path: path, openTofu: strings.Contains(string(out), "OpenTofu v")}
})

// openTofuProviderHost is where OpenTofu resolves a provider source without a host.
const openTofuProviderHost = "registry.opentofu.org"

// setUpCLIEnvironment prepares the environment the CLI runs in, for
// terraform-plugin-testing (which passes on this process's environment) and
// for the CLI harness. It returns a function that removes what it created.
//
//   - TF_CLI_CONFIG_FILE names an empty file: the tests need no CLI config
//     (they install no provider) and must not depend on the machine's. A
//     missing config file also makes OpenTofu print a warning, which breaks
//     terraform-plugin-testing's parsing of its version.
//   - TF_ACC_PROVIDER_HOST, unless set, is OpenTofu's registry on OpenTofu,
//     which resolves the provider "daily" to registry.opentofu.org/hashicorp/daily:
//     terraform-plugin-testing serves the provider under that host.
func setUpCLIEnvironment() (cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "daily-acc-cli")
	if err != nil {
		return func() {}, err
	}
	cleanup = func() { _ = os.RemoveAll(dir) }
	empty := filepath.Join(dir, "empty.tfrc")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		return cleanup, err
	}
	if err := os.Setenv("TF_CLI_CONFIG_FILE", empty); err != nil {
		return cleanup, err
	}
	if testCLI().openTofu && os.Getenv("TF_ACC_PROVIDER_HOST") == "" {
		if err := os.Setenv("TF_ACC_PROVIDER_HOST", openTofuProviderHost); err != nil {
			return cleanup, err
		}
	}
	return cleanup, nil
}

// providerAddress is the address the CLI harness serves the provider under
// and spells in required_providers: on OpenTofu's registry host when the CLI
// is OpenTofu, as terraform-plugin-testing does (TF_ACC_PROVIDER_HOST).
func providerAddress() string {
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
	}
	return strings.TrimSuffix(host, "/") + "/daily-tf/daily"
}

// onCLI checks the CLI version with terraform's check on Terraform and with
// openTofu's on OpenTofu; a nil openTofu check skips the test on OpenTofu.
// feature names what the test needs, in the skip message.
func onCLI(feature string, terraform, openTofu tfversion.TerraformVersionCheck) tfversion.TerraformVersionCheck {
	return cliCheck{feature: feature, terraform: terraform, openTofu: openTofu, isOpenTofu: func() bool { return testCLI().openTofu }}
}

type cliCheck struct {
	feature             string
	terraform, openTofu tfversion.TerraformVersionCheck
	isOpenTofu          func() bool
}

func (c cliCheck) CheckTerraformVersion(ctx context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	check, needs := c.terraform, c.feature
	if c.isOpenTofu() {
		if c.openTofu == nil {
			resp.Skip = fmt.Sprintf("needs %s, which OpenTofu %s does not have: skipping test.", c.feature, req.TerraformVersion)
			return
		}
		check, needs = c.openTofu, c.feature+" (on OpenTofu)"
	}
	check.CheckTerraformVersion(ctx, req, resp)
	if resp.Skip != "" {
		resp.Skip = fmt.Sprintf("needs %s: %s", needs, resp.Skip)
	}
}

// removedBlocksForget gates tests that end with `removed` blocks holding
// lifecycle { destroy = false }: Terraform 1.7, OpenTofu 1.10.
var removedBlocksForget = onCLI("removed blocks with lifecycle { destroy = false }",
	tfversion.SkipBelow(tfversion.Version1_7_0), tfversion.SkipBelow(tfversion.Version1_10_0))

// writeOnlyAttributes gates configurations that set write-only attributes
// (hmac_wo): Terraform 1.11, OpenTofu 1.11.
var writeOnlyAttributes = onCLI("write-only attributes",
	tfversion.SkipBelow(tfversion.Version1_11_0), tfversion.SkipBelow(tfversion.Version1_11_0))

// require runs version checks against the harness's CLI, as TerraformVersionChecks
// do for resource.Test: it skips the test, with the check's reason, or fails it.
func (w *cliWorkdir) require(checks ...tfversion.TerraformVersionCheck) {
	w.t.Helper()
	if skip := w.check(checks); skip != "" {
		w.t.Skip(skip)
	}
}

// supports reports whether the harness's CLI passes the version checks, for
// a test that leaves out what the CLI lacks instead of skipping.
func (w *cliWorkdir) supports(checks ...tfversion.TerraformVersionCheck) bool {
	w.t.Helper()
	return w.check(checks) == ""
}

// check runs version checks against the harness's CLI and returns the first
// reason to skip, "" when all pass; it fails the test on an error.
func (w *cliWorkdir) check(checks []tfversion.TerraformVersionCheck) string {
	w.t.Helper()
	v, _, err := w.tf.Version(context.Background(), false)
	if err != nil {
		w.t.Fatalf("terraform version: %v", err)
	}
	for _, check := range checks {
		var resp tfversion.CheckTerraformVersionResponse
		check.CheckTerraformVersion(context.Background(), tfversion.CheckTerraformVersionRequest{TerraformVersion: v}, &resp)
		if resp.Error != nil {
			w.t.Fatal(resp.Error)
		}
		if resp.Skip != "" {
			return resp.Skip
		}
	}
	return ""
}

func TestOnCLI(t *testing.T) {
	t.Parallel()
	listCheck := func(openTofu bool) tfversion.TerraformVersionCheck {
		c := onCLI("list resources", tfversion.SkipBelow(tfversion.Version1_14_0), nil).(cliCheck)
		c.isOpenTofu = func() bool { return openTofu }
		return c
	}
	removed := func(openTofu bool) tfversion.TerraformVersionCheck {
		c := removedBlocksForget.(cliCheck)
		c.isOpenTofu = func() bool { return openTofu }
		return c
	}
	type cli = tfversion.CheckTerraformVersionRequest
	for _, tc := range []struct {
		name     string
		check    tfversion.TerraformVersionCheck
		cli      cli
		wantSkip string // "" to run
	}{
		{"Terraform with the feature", listCheck(false), cli{TerraformVersion: tfversion.Version1_15_0}, ""},
		{"Terraform without the feature", listCheck(false), cli{TerraformVersion: tfversion.Version1_13_0},
			"needs list resources: Terraform CLI version 1.13.0 is below minimum version 1.14.0"},
		{"OpenTofu never has it", listCheck(true), cli{TerraformVersion: tfversion.Version1_15_0},
			"needs list resources, which OpenTofu 1.15.0 does not have"},
		{"removed on Terraform 1.7", removed(false), cli{TerraformVersion: tfversion.Version1_7_0}, ""},
		{"removed on Terraform 1.5", removed(false), cli{TerraformVersion: tfversion.Version1_5_0},
			"needs removed blocks with lifecycle { destroy = false }: Terraform CLI version 1.5.0 is below minimum version 1.7.0"},
		{"removed on OpenTofu 1.9", removed(true), cli{TerraformVersion: tfversion.Version1_9_0},
			"needs removed blocks with lifecycle { destroy = false } (on OpenTofu): Terraform CLI version 1.9.0 is below minimum version 1.10.0"},
		{"removed on OpenTofu 1.12", removed(true), cli{TerraformVersion: tfversion.Version1_12_0}, ""},
	} {
		var resp tfversion.CheckTerraformVersionResponse
		tc.check.CheckTerraformVersion(context.Background(), tc.cli, &resp)
		switch {
		case resp.Error != nil:
			t.Errorf("%s: error %v", tc.name, resp.Error)
		case tc.wantSkip == "" && resp.Skip != "":
			t.Errorf("%s: skipped: %s", tc.name, resp.Skip)
		case !strings.Contains(resp.Skip, tc.wantSkip):
			t.Errorf("%s: skip %q, want one containing %q", tc.name, resp.Skip, tc.wantSkip)
		}
	}
}

// The CLI harness applies the same checks to the CLI it drives.
func TestAccCLIWorkdir_require(t *testing.T) {
	t.Parallel()
	var skipped *testing.T
	t.Run("skips", func(t *testing.T) {
		skipped = t
		newCLIWorkdir(t).require(tfversion.SkipAbove(tfversion.Version0_12_26))
		t.Error("a CLI above 0.12.26 was not skipped")
	})
	if skipped != nil && !skipped.Skipped() {
		t.Error("require did not skip the test")
	}

	wd := newCLIWorkdir(t)
	wd.require(tfversion.SkipBelow(tfversion.Version1_5_0)) // the oldest CLI the suite supports
	v, _, err := wd.tf.Version(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	var queried bool
	t.Run("query", func(t *testing.T) {
		newCLIWorkdir(t).require(onCLI("terraform query", tfversion.SkipBelow(tfversion.Version1_14_0), nil))
		queried = true
	})
	if want := !testCLI().openTofu && !v.LessThan(tfversion.Version1_14_0); queried != want {
		t.Errorf("on %s (OpenTofu: %t), a test that needs terraform query ran: %t, want %t", v, testCLI().openTofu, queried, want)
	}
}
