package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// An account holding routes in both places, array entries and config
// objects, comes under Terraform with the guide's query and one apply that
// only imports: each route is found once (as a route where the arrays show
// it, as a config object where they do not), no write reaches Daily, and
// the next plan is empty.
func TestAccListResources_adoptRoutesAndObjects(t *testing.T) {
	t.Parallel()
	forEachStoreReading(t, func(t *testing.T, env *accEnv) {
		env.RequireEmulator(t)
		wd := newCLIWorkdir(t)
		wd.require(listResources)
		arrays, store := env.Dialin(t), env.Objects(t)
		numbers := env.Numbers(t, 6)
		if err := setArray(arrays, client.PinlessDialin, []json.RawMessage{
			json.RawMessage(fmt.Sprintf(`{"phone_number":%q,"room_creation_api":"https://bots.example.com/daily/dialin","hmac":"cm91dGUtc2VjcmV0"}`, numbers[0])),
			json.RawMessage(`{"name_prefix":"office-pbx","room_creation_api":"https://bots.example.com/daily/sip","hmac":"cGJ4LXNlY3JldA=="}`),
		}); err != nil {
			t.Fatal(err)
		}
		if err := setArray(arrays, client.PinDialin, []json.RawMessage{
			json.RawMessage(fmt.Sprintf(`{"phone_number":%q,"name_prefix":"meetings"}`, numbers[1])),
		}); err != nil {
			t.Fatal(err)
		}
		objects := []storedObject{
			seedObject(t, store, client.PinlessDialin, fmt.Sprintf(
				`{"phone_number":%q,"name_prefix":"agents","room_creation_api":"https://agents.example.com/call","timeout_config":{"message":"Busy."}}`, numbers[2])),
			seedObject(t, store, client.PinlessDialin, `{"name_prefix":"agents-sip","room_creation_api":"https://agents.example.com/sip"}`),
			seedObject(t, store, client.PinDialin, fmt.Sprintf(`{"phone_number":%q,"ivr_greeting":{"message":"Welcome."}}`, numbers[3])),
		}
		entriesBefore := map[string][]json.RawMessage{}
		for _, array := range []string{client.PinlessDialin, client.PinDialin} {
			entriesBefore[array] = arrays.DialinArray(array)
		}
		objectsBefore := store.DialinConfigs()

		wd.write(env.ProviderConfig())
		query, err := os.ReadFile("../../examples/guides/migrate-an-existing-account/account.tfquery.hcl")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(wd.tf.WorkingDir(), "account.tfquery.hcl"), query, 0o600); err != nil {
			t.Fatal(err)
		}
		env.Emu.ResetCounts()

		// Six numbers, three array routes, three objects: under either reading
		// every route once.
		if found, want := wd.query("generated.tf"), len(numbers)+3+len(objects); found != want {
			t.Errorf("query found %d objects, want %d", found, want)
		}
		generated, err := os.ReadFile(filepath.Join(wd.tf.WorkingDir(), "generated.tf"))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objectsIn(t, store, client.PinlessDialin) {
			if strings.Contains(string(generated), o.text("hmac")) {
				t.Errorf("generated.tf holds the secret of %s", o.key())
			}
		}
		configs := strings.Count(string(generated), `resource "daily_pinless_dialin_config"`) + strings.Count(string(generated), `resource "daily_pin_dialin_config"`)
		predict(t, env, "adopting objects with terraform query", "the route lists find them as array entries", "the config lists find them as objects",
			configs == 0)

		wd.apply()
		for _, write := range []string{"POST /", "POST /domain-dialin-config", "PUT /domain-dialin-config", "DELETE /domain-dialin-config",
			"POST /buy-phone-number", "DELETE /release-phone-number"} {
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
		managed := map[string]bool{}
		for _, r := range state.Values.RootModule.Resources {
			if len(r.IdentityValues) == 0 {
				t.Errorf("%s has no identity", r.Address)
			}
			if strings.HasSuffix(r.Type, "_dialin_route") || strings.HasSuffix(r.Type, "_dialin_config") {
				key := fmt.Sprint(r.AttributeValues["phone_number"])
				if r.AttributeValues["phone_number"] == nil {
					key = "sip:" + fmt.Sprint(r.AttributeValues["name_prefix"])
				}
				if managed[key] {
					t.Errorf("%s is managed twice", key)
				}
				managed[key] = true
			}
		}
		for _, key := range []string{numbers[0], "sip:office-pbx", numbers[1], numbers[2], "sip:agents-sip", numbers[3]} {
			if !managed[key] {
				t.Errorf("the route of %s is not managed after the apply", key)
			}
		}
		if env.storeReading() == emulator.DialinStoreSeparate {
			for _, o := range objects {
				if !strings.Contains(string(generated), o.ID) {
					t.Errorf("generated.tf does not import the object %s (%s) as a config", o.ID, o.key())
				}
			}
		}
		for array, before := range entriesBefore {
			if err := checkUntouched(arrays, array, before)(); err != nil {
				t.Error(err) // the secrets included
			}
		}
		if err := checkObjectsUntouched(store, objectsBefore)(); err != nil {
			t.Error(err)
		}
	})
}
