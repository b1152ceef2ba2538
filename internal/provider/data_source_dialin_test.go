package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// data "daily_pinless_dialin" stores no route's secret unless
// include_hmacs asks for them: read for its webhooks, it must not put every
// secret of the domain into the state.
func TestAccPinlessDialinDataSource_hmacsOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	store := env.Dialin(t)
	numbers := env.Numbers(t, 2)
	secrets := []string{"ZGF0YS1zb3VyY2Utc2VjcmV0LW9uZQ==", "ZGF0YS1zb3VyY2Utc2VjcmV0LXR3bw=="}
	var entries []json.RawMessage
	for i, n := range numbers {
		entries = append(entries, json.RawMessage(fmt.Sprintf(
			`{"phone_number":%q,"room_creation_api":"https://hooks.example.test/%d","hmac":%q}`, n, i, secrets[i])))
	}
	if err := setArray(store, client.PinlessDialin, entries); err != nil {
		t.Fatal(err)
	}
	before := store.DialinArray(client.PinlessDialin)
	wd := newCLIWorkdir(t)
	config := func(include string) string {
		return env.ProviderConfig() + fmt.Sprintf(`
data "daily_pinless_dialin" "all" {%s}

output "webhooks" {
  value = { for key, route in data.daily_pinless_dialin.all.routes : key => route.room_creation_api }
}
`, include)
	}
	stateFile := filepath.Join(wd.tf.WorkingDir(), "terraform.tfstate")

	wd.write(config(""))
	wd.apply()
	state, err := os.ReadFile(stateFile)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range secrets {
		if strings.Contains(string(state), s) {
			t.Errorf("without include_hmacs, the state holds the secret of %s", numbers[i])
		}
	}
	attrs := dataSourceAttributes(t, wd, "data.daily_pinless_dialin.all")
	if attrs["hmacs"] != nil || attrs["include_hmacs"] != false {
		t.Errorf("without include_hmacs: hmacs = %v, include_hmacs = %v; want null and false", attrs["hmacs"], attrs["include_hmacs"])
	}
	if routes, _ := attrs["routes"].(map[string]any); len(routes) != len(numbers) {
		t.Errorf("routes = %v, want the %d routes", attrs["routes"], len(numbers))
	}

	wd.write(config("\n  include_hmacs = true\n"))
	wd.apply()
	attrs = dataSourceAttributes(t, wd, "data.daily_pinless_dialin.all")
	hmacs, _ := attrs["hmacs"].(map[string]any)
	for i, n := range numbers {
		if hmacs[n] != secrets[i] {
			t.Errorf("with include_hmacs = true, hmacs[%s] = %v, want Daily's secret", n, hmacs[n])
		}
	}
	if err := checkUntouched(store, client.PinlessDialin, before)(); err != nil {
		t.Error(err) // a data source only reads
	}
}

// dataSourceAttributes are the attribute values of a data source in the
// state, as terraform show -json has them (secrets included).
func dataSourceAttributes(t *testing.T, wd *cliWorkdir, address string) map[string]any {
	t.Helper()
	resources, err := wd.stateResources()
	if err != nil {
		t.Fatal(err)
	}
	attrs, ok := resources[address]
	if !ok {
		t.Fatalf("the state has no %s", address)
	}
	return attrs
}
