package provider

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

const providerAddress = "registry.terraform.io/daily-tf/daily"

// cliWorkdir runs the terraform CLI against a provider served by this test
// process. Unlike terraform-plugin-testing it handles for_each instances, and
// each plan or apply is exactly one Terraform command, so request counts are exact.
type cliWorkdir struct {
	t        *testing.T
	tf       *tfexec.Terraform
	reattach *tfexec.ReattachOption
}

// newCLIWorkdir serves a fresh provider instance (its own dial-in engine, as a
// separate terraform process would have) and returns a working dir attached to
// it. serveOpts adds to how the provider is served, e.g. a logging sink: by
// default an in-process provider logs nowhere a test can read.
func newCLIWorkdir(t *testing.T, serveOpts ...tf6server.ServeOpt) *cliWorkdir {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run tests that drive the terraform CLI")
	}
	binary := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if binary == "" {
		var err error
		if binary, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("no terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
		}
	}
	dir := t.TempDir()
	tf, err := tfexec.NewTerraform(dir, binary)
	if err != nil {
		t.Fatal(err)
	}
	// No CLI config from the machine: tests must not depend on it.
	if err := tf.SetEnv(map[string]string{"TF_CLI_CONFIG_FILE": filepath.Join(dir, "none.tfrc"), "CHECKPOINT_DISABLE": "1"}); err != nil {
		t.Fatal(err)
	}
	return &cliWorkdir{t: t, tf: tf, reattach: tfexec.Reattach(serveProvider(t, serveOpts...))}
}

func serveProvider(t *testing.T, serveOpts ...tf6server.ServeOpt) tfexec.ReattachInfo {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig)
	closed := make(chan struct{})
	go func() {
		opts := append([]tf6server.ServeOpt{
			tf6server.WithDebug(ctx, reattach, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithoutLogStderrOverride(),
		}, serveOpts...)
		err := tf6server.Serve(providerAddress, providerserver.NewProtocol6(New("test")()), opts...)
		if err != nil {
			t.Error(err)
		}
	}()
	cfg := <-reattach
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	return tfexec.ReattachInfo{providerAddress: {
		Protocol:        string(cfg.Protocol),
		ProtocolVersion: cfg.ProtocolVersion,
		Pid:             cfg.Pid,
		Test:            cfg.Test,
		Addr:            tfexec.ReattachConfigAddr{Network: cfg.Addr.Network(), String: cfg.Addr.String()},
	}}
}

// write replaces the configuration; the first call also runs terraform init.
func (w *cliWorkdir) write(config string) {
	w.t.Helper()
	first := true
	if _, err := os.Stat(filepath.Join(w.tf.WorkingDir(), "main.tf")); err == nil {
		first = false
	}
	config = "terraform {\n  required_providers {\n    daily = { source = \"daily-tf/daily\" }\n  }\n}\n" + config
	if err := os.WriteFile(filepath.Join(w.tf.WorkingDir(), "main.tf"), []byte(config), 0o600); err != nil {
		w.t.Fatal(err)
	}
	if first {
		if err := w.tf.Init(context.Background(), w.reattach); err != nil {
			w.t.Fatalf("terraform init: %v", err)
		}
	}
}

func (w *cliWorkdir) apply() {
	w.t.Helper()
	if err := w.tf.Apply(context.Background(), w.reattach); err != nil {
		w.t.Fatalf("terraform apply: %v", err)
	}
}

// planHasChanges runs one plan (with its refresh).
func (w *cliWorkdir) planHasChanges() bool {
	w.t.Helper()
	changes, err := w.tf.Plan(context.Background(), w.reattach)
	if err != nil {
		w.t.Fatalf("terraform plan: %v", err)
	}
	return changes
}

func (w *cliWorkdir) destroy() {
	w.t.Helper()
	if err := w.tf.Destroy(context.Background(), w.reattach); err != nil {
		w.t.Fatalf("terraform destroy: %v", err)
	}
}

// tryApply runs one apply and returns its error, which holds Terraform's stderr.
func (w *cliWorkdir) tryApply() error {
	return w.tf.Apply(context.Background(), w.reattach)
}

// importInstance runs terraform import for one resource instance.
func (w *cliWorkdir) importInstance(address, id string) error {
	return w.tf.Import(context.Background(), address, id, w.reattach)
}
