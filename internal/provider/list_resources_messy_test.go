package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// The messy account of issue 19 (130 numbers, 100 numbered pinless routes
// two of them Daily Bots', 12 PIN routes, SIP-only interconnects with one
// entry lacking name_prefix and two sharing one, and the per-object configs)
// comes under Terraform as the guide "Bring an existing Daily account under
// Terraform" says: terraform query -generate-config-out, deletion_protection
// set on every block, one apply. The query leaves the three odd entries out
// with a warning naming them; the apply imports every other entry and every
// number, sends Daily no write, and leaves every entry byte for byte as it
// was; the next plan is clean.
func TestAccListResources_adoptMessyAccount(t *testing.T) {
	t.Parallel()
	wd := newCLIWorkdir(t)
	wd.require(listResources)
	env := newAccEnv(t)
	env.RequireEmulator(t)
	account := env.Emu.SeedMessyAccount()
	arrays := []string{client.PinlessDialin, client.PinDialin}
	before := map[string][]json.RawMessage{}
	for _, a := range arrays {
		before[a] = env.Emu.DialinArray(a)
	}
	configsBefore := env.Emu.DialinConfigs()
	const odd = 3 // the entry without name_prefix, and the two sharing one
	if account.NoPrefix != 1 || account.SharedPrefix == "" {
		t.Fatalf("the messy account is not the one this test expects: %+v", account)
	}
	addressable := map[string]bool{}
	for _, a := range arrays {
		for _, raw := range before[a] {
			if key := keyOf(raw); key != dialin.SIPKeyPrefix && key != dialin.SIPKeyPrefix+account.SharedPrefix {
				addressable[key] = true
			}
		}
	}
	if n := len(before[client.PinlessDialin]) + len(before[client.PinDialin]); len(addressable) != n-odd {
		t.Fatalf("%d addressable entries of %d, want all but %d", len(addressable), n, odd)
	}

	wd.write(env.ProviderConfig())
	const guide = "../../examples/guides/migrate-an-existing-account/"
	query, err := os.ReadFile(guide + "account.tfquery.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(wd.tf.WorkingDir(), "account.tfquery.hcl"), query, 0o600); err != nil {
		t.Fatal(err)
	}
	env.Emu.ResetCounts()

	// The config objects the arrays do not show (all of them where objects
	// are a store of their own) are found by the config lists.
	shown := map[string]bool{} // by key and secret, as the config lists tell
	for _, a := range arrays {
		for _, raw := range before[a] {
			entry, _ := dialin.ParseEntry(raw)
			shown[entry.Key()+" "+entry.Text("hmac")] = true
		}
	}
	objects := 0
	for _, o := range objectsIn(t, env.Emu, "") {
		if !shown[o.key()+" "+o.text("hmac")] {
			objects++
		}
	}
	found, warnings := wd.queryWithWarnings("generated.tf")
	if want := len(account.Numbers) + len(addressable) + objects; found != want {
		t.Errorf("query found %d objects, want %d: %d numbers, %d addressable routes and %d config objects", found, want, len(account.Numbers), len(addressable), objects)
	}
	wantWarning := errorPattern("Dial-in entries left out", "holds 3 of its", "entry ", "SIP-only, with neither phone_number nor name_prefix",
		fmt.Sprintf("SIP-only, all with name_prefix %q", account.SharedPrefix), "left out of the results", "stay at Daily exactly as they are")
	if !anyMatches(warnings, wantWarning) {
		t.Errorf("the query does not warn of the odd entries; its warnings:\n%s", strings.Join(warnings, "\n"))
	}
	path := filepath.Join(wd.tf.WorkingDir(), "generated.tf")
	generated, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arrays {
		for key, secret := range hmacsOf(env.Emu, a) {
			if bytes.Contains(generated, []byte(secret)) {
				t.Errorf("generated.tf holds the secret of %s", key)
			}
		}
	}
	if n := strings.Count(string(generated), `room_creation_api   = "dailybots"`); n != len(account.Dailybots) {
		t.Errorf("generated.tf has %d Daily Bots routes, want %d", n, len(account.Dailybots))
	}
	if strings.Contains(string(generated), account.SharedPrefix) {
		t.Errorf("generated.tf declares a route sharing name_prefix %q", account.SharedPrefix)
	}
	// As the guide says: protect every number and route before the first apply.
	protected := regexp.MustCompile(`deletion_protection\s*=\s*false`).ReplaceAll(generated, []byte("deletion_protection = true"))
	if err := os.WriteFile(path, protected, 0o600); err != nil {
		t.Fatal(err)
	}

	wd.apply()
	for _, write := range []string{"POST /", "POST /buy-phone-number", "DELETE /release-phone-number",
		"POST /domain-dialin-config", "PUT /domain-dialin-config/:id", "DELETE /domain-dialin-config/:id"} {
		if n := env.Emu.Count(write); n != 0 {
			t.Errorf("adopting the account sent %d %s requests, want none", n, write)
		}
	}
	for _, a := range arrays {
		after := env.Emu.DialinArray(a)
		if len(after) != len(before[a]) {
			t.Errorf("%s holds %d entries, had %d", a, len(after), len(before[a]))
			continue
		}
		for i := range after {
			if !bytes.Equal(after[i], before[a][i]) {
				t.Errorf("%s entry %d changed:\nwas %s\nnow %s", a, i+1, before[a][i], after[i])
			}
		}
	}
	if after := env.Emu.DialinConfigs(); !equalRaws(after, configsBefore) {
		t.Errorf("the dial-in config objects changed:\nwas %s\nnow %s", joinRaw(configsBefore), joinRaw(after))
	}

	state, err := wd.tf.Show(t.Context(), wd.reattach)
	if err != nil {
		t.Fatal(err)
	}
	managed := map[string]bool{}
	for _, r := range state.Values.RootModule.Resources {
		if r.AttributeValues["deletion_protection"] != true {
			t.Errorf("%s is not protected", r.Address)
		}
		managed[fmt.Sprint(r.AttributeValues["id"])] = true
	}
	for key := range addressable {
		if !managed[key] {
			t.Errorf("route %s is not managed after the apply", key)
		}
	}
	for _, n := range account.Numbers {
		if !managed[purchasedID(t, env, n)] {
			t.Errorf("number %s is not managed after the apply", n)
		}
	}
	if len(managed) != found {
		t.Errorf("the state holds %d resources, want the %d found", len(managed), found)
	}
	t.Logf("%d numbers and %d routes adopted, %d odd entries left out, in %d requests to Daily",
		len(account.Numbers), len(addressable), odd, totalCount(env.Emu.Counts()))

	if wd.planHasChanges() {
		t.Error("the plan after adopting the account is not empty")
	}
}

// queryWithWarnings runs terraform query as query does, and also returns
// the warnings it printed, each as summary and detail.
func (w *cliWorkdir) queryWithWarnings(generateConfigOut string) (found int, warnings []string) {
	w.t.Helper()
	messages, err := w.tf.QueryJSON(context.Background(), w.reattach, tfexec.GenerateConfigOut(generateConfigOut))
	if err != nil {
		w.t.Fatalf("terraform query: %v", err)
	}
	defer w.tf.SetStdout(nil) // QueryJSON leaves its pipe as every later command's stdout
	for m := range messages {
		if m.Err != nil {
			w.t.Fatalf("terraform query: %v", m.Err)
		}
		switch msg := m.Msg.(type) {
		case nil:
		case tfjson.ListResourceFoundMessage:
			found++
		case tfjson.DiagnosticLogMessage:
			if msg.Severity == tfjson.DiagnosticSeverityError {
				w.t.Fatalf("terraform query: %s: %s", msg.Summary, msg.Detail)
			}
			warnings = append(warnings, msg.Summary+": "+msg.Detail)
		default:
			if msg.Level() == tfjson.Error {
				w.t.Fatalf("terraform query: %s", msg.Message())
			}
		}
	}
	return found, warnings
}

func anyMatches(texts []string, re *regexp.Regexp) bool {
	for _, s := range texts {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

func equalRaws(a, b []json.RawMessage) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

func totalCount(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}
