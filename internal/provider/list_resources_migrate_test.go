package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// The account of the guide "Bring an existing Daily account under Terraform"
// comes under Terraform with terraform query -generate-config-out and one
// apply, which only imports: no write reaches Daily, and the next plan is
// empty. The guide's query and generated files are the ones used and expected.
func TestAccListResources_migrateAccount(t *testing.T) {
	t.Parallel()
	wd := newCLIWorkdir(t)
	wd.require(listResources)
	env := newAccEnv(t)
	env.RequireEmulator(t)
	const guide = "../../examples/guides/migrate-an-existing-account/"
	numbers := []string{"+13125550142", "+14155550123", "+14155550199"}
	for _, n := range numbers {
		env.Emu.SeedPurchased(n, env.Emu.Now().Add(-30*24*time.Hour))
	}
	pinless := []json.RawMessage{
		json.RawMessage(`{"phone_number":"+14155550123","room_creation_api":"https://bots.example.com/daily/dialin","name_prefix":"support",` +
			`"timeout_config":{"message":"Sorry, all our agents are busy. Please call back later."}}`),
		json.RawMessage(`{"name_prefix":"office-pbx","room_creation_api":"https://bots.example.com/daily/sip"}`),
	}
	pin := []json.RawMessage{json.RawMessage(`{"phone_number":"+13125550142","name_prefix":"meetings",` +
		`"ivr_greeting":{"message":"Welcome to Example Corp. Please enter your meeting PIN."}}`)}
	if err := setArray(env.Emu, client.PinlessDialin, pinless); err != nil {
		t.Fatal(err)
	}
	if err := setArray(env.Emu, client.PinDialin, pin); err != nil {
		t.Fatal(err)
	}
	before := env.Emu.DialinArray(client.PinlessDialin)

	wd.write(env.ProviderConfig())
	query, err := os.ReadFile(guide + "account.tfquery.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(wd.tf.WorkingDir(), "account.tfquery.hcl"), query, 0o600); err != nil {
		t.Fatal(err)
	}
	env.Emu.ResetCounts()

	if found := wd.query("generated.tf"); found != len(numbers)+len(pinless)+len(pin) {
		t.Errorf("query found %d objects, want %d", found, len(numbers)+len(pinless)+len(pin))
	}
	generated, err := os.ReadFile(filepath.Join(wd.tf.WorkingDir(), "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for key, secret := range hmacsOf(env.Emu, client.PinlessDialin) {
		if strings.Contains(string(generated), secret) {
			t.Errorf("generated.tf holds the secret of %s", key)
		}
	}
	shown, err := os.ReadFile(guide + "generated.tf")
	if err != nil {
		t.Fatal(err)
	}
	want := comparableConfig(string(shown))
	if got := comparableConfig(string(generated)); got != want {
		t.Errorf("generated.tf differs from the guide's:\n%s\nwant\n%s", got, want)
	}

	wd.apply()
	for _, write := range []string{"POST /", "POST /buy-phone-number", "DELETE /release-phone-number"} {
		if n := env.Emu.Count(write); n != 0 {
			t.Errorf("adopting the account sent %d %s requests, want none", n, write)
		}
	}
	if wd.planHasChanges() {
		t.Error("the plan after adopting the account is not empty")
	}
	state, err := wd.tf.Show(context.Background(), wd.reattach)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range state.Values.RootModule.Resources {
		if len(r.IdentityValues) == 0 {
			t.Errorf("%s has no identity", r.Address)
		}
		ids[fmt.Sprint(r.AttributeValues["id"])] = true
	}
	wantIDs := []string{"+14155550123", "sip:office-pbx", "+13125550142"} // the routes' keys
	for _, n := range numbers {
		wantIDs = append(wantIDs, purchasedID(t, env, n))
	}
	for _, id := range wantIDs {
		if !ids[id] {
			t.Errorf("%s is not managed after the apply", id)
		}
	}
	if len(ids) != len(wantIDs) {
		t.Errorf("the state holds %d resources, want %d", len(ids), len(wantIDs))
	}
	if err := checkUntouched(env.Emu, client.PinlessDialin, before)(); err != nil {
		t.Error(err) // the secrets included
	}
}

// comparableConfig is generated configuration without what differs between
// runs: Daily's ids, comments and blank lines, and the order of the blocks
// (Terraform writes each list's results as the list completes).
func comparableConfig(config string) string {
	config = uuidPattern.ReplaceAllString(config, "<id>")
	var blocks []string
	for _, line := range strings.Split(config, "\n") {
		switch {
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "resource ") || strings.HasPrefix(line, "import "):
			blocks = append(blocks, line)
		case len(blocks) > 0:
			blocks[len(blocks)-1] += "\n" + line
		}
	}
	slices.Sort(blocks)
	return strings.Join(blocks, "\n")
}

var uuidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
