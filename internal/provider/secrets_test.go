package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// With TF_LOG=TRACE, neither the API key nor any hmac reaches the logs of a
// full apply and destroy: not Terraform's own log, not the provider's. The
// plan shows hmac as sensitive.
//
// Not parallel: the provider's log sink reads TF_LOG and TF_ACC_LOG_PATH from
// the environment of this process.
func TestAccSecrets_notInTraceLogs(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run tests that drive the terraform CLI")
	}
	const apiKey = "sk-daily-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
	userHMACs := []string{"dXNlci1zZWNyZXQtb25lLWZvci1hLXJvdXRl", "dXNlci1zZWNyZXQtdHdvLWZvci1hLXJvdXRl"}
	emu := emulator.New(emulator.Options{APIKey: apiKey})
	url := emu.StartServer()
	t.Cleanup(emu.Close)
	numbers := seedNumbers(emu, 4)
	// An unmanaged route: its secret travels in every GET and POST too.
	seedUnmanagedRoutes(t, emu, numbers[3])

	dir := t.TempDir()
	providerLog, coreLog := filepath.Join(dir, "provider.log"), filepath.Join(dir, "terraform.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", providerLog)
	wd := newCLIWorkdir(t) // its provider logs through the test sink
	if err := wd.tf.SetLog("TRACE"); err != nil {
		t.Fatal(err)
	}
	if err := wd.tf.SetLogPath(coreLog); err != nil {
		t.Fatal(err)
	}

	wd.write(fmt.Sprintf(`
provider "daily" {
  api_url = %q
  api_key = %q
}
resource "daily_pinless_dialin_route" "explicit1" {
  phone_number      = %q
  room_creation_api = "https://hooks.example/one"
  hmac              = %q
}
resource "daily_pinless_dialin_route" "explicit2" {
  phone_number      = %q
  room_creation_api = "https://hooks.example/two"
  hmac              = %q
}
resource "daily_pinless_dialin_route" "minted" {
  phone_number      = %q
  room_creation_api = "https://hooks.example/three"
}
`, url, apiKey, numbers[0], userHMACs[0], numbers[1], userHMACs[1], numbers[2]))

	// The plan marks hmac sensitive, and its text never shows one.
	planFile := filepath.Join(wd.tf.WorkingDir(), "tfplan")
	if _, err := wd.tf.Plan(context.Background(), wd.reattach, tfexec.Out(planFile)); err != nil {
		t.Fatal(err)
	}
	plan, err := wd.tf.ShowPlanFile(context.Background(), planFile, wd.reattach)
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range plan.ResourceChanges {
		sensitive, _ := rc.Change.AfterSensitive.(map[string]any)
		if sensitive["hmac"] != true {
			t.Errorf("%s: hmac is not marked sensitive in the plan (after_sensitive = %v)", rc.Address, rc.Change.AfterSensitive)
		}
	}
	planText, err := wd.tf.ShowPlanFileRaw(context.Background(), planFile, wd.reattach)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(regexp.MustCompile(`\bhmac += \(sensitive value\)`).FindAllString(planText, -1)); n != 3 {
		t.Errorf("the plan shows %d hmacs as (sensitive value), want 3:\n%s", n, planText)
	}

	wd.apply()
	if wd.planHasChanges() {
		t.Error("the plan after apply is not empty")
	}
	// Every secret Daily holds now, minted ones included.
	secrets := map[string]string{"the API key": apiKey}
	for number, hmac := range hmacsOf(emu, client.PinlessDialin) {
		secrets["the hmac of "+number] = hmac
	}
	if len(secrets) != 5 {
		t.Fatalf("want the key and 4 hmacs, got %d secrets", len(secrets))
	}
	wd.destroy()

	logs := map[string]string{}
	for name, path := range map[string]string{"the provider log": providerLog, "the terraform log": coreLog} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		logs[name] = string(b)
	}
	// The test must not pass because nothing was logged.
	for name, marker := range map[string]string{
		"the provider log":  `daily API request`,
		"the terraform log": `ApplyResourceChange`,
	} {
		if !strings.Contains(logs[name], marker) {
			t.Fatalf("%s has no %q line: the log was not captured, so this test would prove nothing", name, marker)
		}
	}
	if !strings.Contains(logs["the provider log"], `"hmac":"***"`) && !strings.Contains(logs["the provider log"], `\"hmac\":\"***\"`) {
		t.Error("the provider log shows no redacted hmac: request bodies were not logged, so redaction was not exercised")
	}
	for logName, text := range logs {
		for what, secret := range secrets {
			if strings.Contains(text, secret) {
				i := strings.Index(text, secret)
				t.Errorf("%s contains %s: …%s…", logName, what, text[max(0, i-200):min(len(text), i+len(secret)+50)])
			}
		}
	}
	t.Logf("secrets: %d secrets (API key and %d hmacs) searched in %d bytes of provider log and %d bytes of terraform log",
		len(secrets), len(secrets)-1, len(logs["the provider log"]), len(logs["the terraform log"]))
}
