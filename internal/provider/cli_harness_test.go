package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// cliWorkdir runs the terraform CLI against a provider served by this test
// process. Unlike terraform-plugin-testing it handles for_each instances, and
// each plan or apply is exactly one Terraform command, so request counts are exact.
type cliWorkdir struct {
	t        *testing.T
	tf       *tfexec.Terraform
	reattach *tfexec.ReattachOption
	server   *Server // the provider every command of this workdir talks to
}

// newCLIWorkdir serves a fresh provider instance (its own dial-in engine, as a
// separate terraform process would have) and returns a working dir attached to
// it. serveOpts adds to how the provider is served. The provider logs through
// terraform-plugin-log's test sink, as under terraform-plugin-testing: nothing
// unless TF_LOG is set, and then to TF_ACC_LOG_PATH if that is set.
func newCLIWorkdir(t *testing.T, serveOpts ...tf6server.ServeOpt) *cliWorkdir {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run tests that drive the terraform CLI")
	}
	binary := testCLI().path
	if binary == "" {
		t.Fatal("no terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
	}
	dir := t.TempDir()
	tf, err := tfexec.NewTerraform(dir, binary)
	if err != nil {
		t.Fatal(err)
	}
	// No CLI config from the machine: tests must not depend on it. An empty
	// file rather than none, about which OpenTofu warns.
	empty := filepath.Join(dir, "empty.tfrc")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := tf.SetEnv(map[string]string{"TF_CLI_CONFIG_FILE": empty, "CHECKPOINT_DISABLE": "1"}); err != nil {
		t.Fatal(err)
	}
	info, server := serveProvider(t, serveOpts...)
	return &cliWorkdir{t: t, tf: tf, reattach: tfexec.Reattach(info), server: server}
}

func serveProvider(t *testing.T, serveOpts ...tf6server.ServeOpt) (tfexec.ReattachInfo, *Server) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig)
	closed := make(chan struct{})
	server := newTestServer()
	go func() {
		opts := append([]tf6server.ServeOpt{
			tf6server.WithDebug(ctx, reattach, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithoutLogStderrOverride(),
			// Without a sink, the provider would log at TRACE to stderr.
			tf6server.WithLoggingSink(t),
		}, serveOpts...)
		err := tf6server.Serve(providerAddress(), func() tfprotov6.ProviderServer { return server }, opts...)
		if err != nil {
			t.Error(err)
		}
	}()
	cfg := <-reattach
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	return tfexec.ReattachInfo{providerAddress(): {
		Protocol:        string(cfg.Protocol),
		ProtocolVersion: cfg.ProtocolVersion,
		Pid:             cfg.Pid,
		Test:            cfg.Test,
		Addr:            tfexec.ReattachConfigAddr{Network: cfg.Addr.Network(), String: cfg.Addr.String()},
	}}, server
}

// write replaces the configuration; the first call also runs terraform init.
func (w *cliWorkdir) write(config string) {
	w.t.Helper()
	first := true
	if _, err := os.Stat(filepath.Join(w.tf.WorkingDir(), "main.tf")); err == nil {
		first = false
	}
	config = fmt.Sprintf("terraform {\n  required_providers {\n    daily = { source = %q }\n  }\n}\n", providerAddress()) + config
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
	err := w.tf.Apply(context.Background(), w.reattach)
	finishWrites()
	if err != nil {
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
	err := w.tf.Destroy(context.Background(), w.reattach)
	finishWrites()
	if err != nil {
		w.t.Fatalf("terraform destroy: %v", err)
	}
}

// tryApply runs terraform apply and returns its error, which holds
// Terraform's stderr, for applies that may fail.
func (w *cliWorkdir) tryApply() error {
	w.t.Helper()
	defer finishWrites()
	return w.tf.Apply(context.Background(), w.reattach)
}

// servedInProcess holds every provider server this test process started.
var servedInProcess struct {
	sync.Mutex
	servers []*Server
}

// newTestServer starts a provider server for a test, as Terraform starts a
// provider process.
func newTestServer() *Server {
	s := NewServer("test")
	servedInProcess.Lock()
	defer servedInProcess.Unlock()
	servedInProcess.servers = append(servedInProcess.servers, s)
	return s
}

// finishWrites does what the provider's main does when Terraform stops it
// after a command, and Terraform waits for: it lets the last writes'
// confirming reads happen (Server.FinishWrites), for every server of this
// process. A provider served in-process is never stopped, so tests that look
// at Daily after an apply call this first.
func finishWrites() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	servedInProcess.Lock()
	servers := slices.Clone(servedInProcess.servers)
	servedInProcess.Unlock()
	for _, s := range servers {
		s.FinishWrites(ctx)
	}
}

// providerStopWait is how long the provider's main waits for the last
// writes' confirming reads when Terraform stops it (main's finishTimeout).
const providerStopWait = 1500 * time.Millisecond

// stopProvider does for this workdir's provider alone what main does when
// Terraform stops it after a command: it lets the last writes' confirming
// reads happen, for at most providerStopWait. Unlike finishWrites it leaves
// the providers of other workdirs (another pipeline's, another test's) alone,
// so the command "ends" when its own provider would have exited.
func (w *cliWorkdir) stopProvider() {
	ctx, cancel := context.WithTimeout(context.Background(), providerStopWait)
	defer cancel()
	w.server.FinishWrites(ctx)
}

// importInstance runs terraform import for one resource instance.
func (w *cliWorkdir) importInstance(address, id string) error {
	return w.tf.Import(context.Background(), address, id, w.reattach)
}
