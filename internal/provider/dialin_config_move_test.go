package provider

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// engineOrdersMoves says whether the dial-in engine makes an object's
// create wait for, and then follow, this engine's Delete of the array entry
// that holds its number, whatever the order in which Terraform hands it the
// two. Today it waits only when the Delete is under way as Daily refuses the
// create, and only when Daily names an array as the holder; so the create
// fails when Terraform runs it first (seen under load, where objects are a
// store of their own) and always where objects are the arrays' entries
// (Daily then names the entry's object). Set it with that change to the
// engine: the one-apply move must then succeed at once.
const engineOrdersMoves = false

// Moving routes from daily_pinless_dialin_route to
// daily_pinless_dialin_config in one apply, as the guide shows: the route
// resources leave the configuration and config resources on the same
// numbers, with the same secrets, arrive. At the end each number has one
// route, signed with the secret it had, reachable by a call, and the plan
// is empty. Until the engine orders the two halves (engineOrdersMoves), an
// apply refused because the entry still held a number is logged and run
// again, as the guide tells users to.
func TestAccDialinConfig_moveRouteToConfig(t *testing.T) {
	t.Parallel()
	forEachStoreReading(t, func(t *testing.T, env *accEnv) {
		wd := newCLIWorkdir(t)
		wd.require(writeOnlyAttributes)
		arrays, store := env.Dialin(t), env.Objects(t)
		numbers := env.Numbers(t, 3)
		kept, writeOnly, theirs := numbers[0], numbers[1], numbers[2]
		unmanaged := seedUnmanagedRoutes(t, arrays, theirs)
		const secretKept, secretWO = "a2VwdC1zZWNyZXQtb2YtdGhlLXJvdXRl", "d3JpdGUtb25seS1zZWNyZXQ="
		hook := newSigningWebhook(map[string]string{kept: secretKept, writeOnly: secretWO})
		t.Cleanup(hook.Close)
		webhook := hook.URL + "/call"
		if env.Emu == nil {
			webhook = "https://hooks.example/call" // Daily cannot reach this test's server
		}
		body := func(number, secret string) string {
			return fmt.Sprintf("  phone_number = %q\n  room_creation_api = %q\n%s", number, webhook, secret)
		}
		hmacKept := fmt.Sprintf("  hmac = %q", secretKept)
		hmacWO := fmt.Sprintf("  hmac_wo = %q\n  hmac_wo_version = 1", secretWO)

		wd.write(env.ProviderConfig() +
			fmt.Sprintf("\nresource \"daily_pinless_dialin_route\" \"kept\" {\n%s\n}\n", body(kept, hmacKept)) +
			fmt.Sprintf("\nresource \"daily_pinless_dialin_route\" \"write_only\" {\n%s\n}\n", body(writeOnly, hmacWO)))
		wd.apply()
		for number, secret := range map[string]string{kept: secretKept, writeOnly: secretWO} {
			if err := checkEntry(arrays, client.PinlessDialin, number, map[string]any{"hmac": secret})(); err != nil {
				t.Fatal(err)
			}
		}

		wd.write(env.ProviderConfig() + configHCL("pinless_dialin", "kept", body(kept, hmacKept)) + configHCL("pinless_dialin", "write_only", body(writeOnly, hmacWO)))
		if err := wd.tryApply(); err != nil {
			if engineOrdersMoves || !strings.Contains(err.Error(), "is already held by another dial-in config") {
				t.Fatalf("moving the routes: %v", err)
			}
			t.Logf("the move's create was refused while the route's entry still held its number (engineOrdersMoves): applying again")
			wd.apply()
		}
		for number, secret := range map[string]string{kept: secretKept, writeOnly: secretWO} {
			if err := checkObject(t, store, client.PinlessDialin, number, map[string]any{"hmac": secret, "room_creation_api": webhook})(); err != nil {
				t.Error(err)
			}
			if env.Emu != nil {
				if status, err := env.Emu.SimulateCall(context.Background(), number, "+15550001111"); err != nil || status != http.StatusOK {
					t.Errorf("a call to %s after the move: webhook status %d, %v", number, status, err)
				}
			}
		}
		predict(t, env, "a route moved to a config object", "the pinless_dialin array shows the object's entry", "the array no longer has the route",
			inArray(arrays, client.PinlessDialin, kept))
		if inArray(arrays, client.PinlessDialin, kept) != inArray(arrays, client.PinlessDialin, writeOnly) {
			t.Errorf("the array shows one moved route and not the other: %v", keysOf(arrays, client.PinlessDialin))
		}
		if err := checkUntouched(arrays, client.PinlessDialin, unmanaged)(); err != nil {
			t.Error(err)
		}
		if wd.planHasChanges() {
			t.Error("the plan after the move is not empty")
		}

		wd.destroy()
		if err := checkUntouched(arrays, client.PinlessDialin, unmanaged)(); err != nil {
			t.Error(err)
		}
		for _, number := range []string{kept, writeOnly} {
			if _, ok := objectByKey(t, store, client.PinlessDialin, number); ok {
				t.Errorf("the object for %s survived the destroy", number)
			}
		}
	})
}

// The move without a gap, where Daily's objects are the arrays' entries:
// the route already is an object, so importing it by its number and
// forgetting the route resource (removed, destroy = false) moves it with no
// write at all. Where they are not (separate), there is no object to
// import: the subtest only checks that and stops.
func TestAccDialinConfig_moveWithoutGap(t *testing.T) {
	t.Parallel()
	forEachStoreReading(t, func(t *testing.T, env *accEnv) {
		arrays, store := env.Dialin(t), env.Objects(t)
		numbers := env.Numbers(t, 2)
		number := numbers[0]
		unmanaged := seedUnmanagedRoutes(t, arrays, numbers...)
		route, isObject := objectByKey(t, store, client.PinlessDialin, number)
		predict(t, env, "importing an array route as a config object", "the route is the object, found by its number", "there is no object to import",
			isObject)
		if !isObject {
			t.Skip("the arrays' routes are not objects: the move takes one apply and one write's gap (TestAccDialinConfig_moveRouteToConfig)")
		}
		const webhook = "https://unmanaged.example/hook"
		adopt := env.ProviderConfig() + fmt.Sprintf(`
resource "daily_pinless_dialin_route" "r" {
  phone_number      = %q
  room_creation_api = %q
}

import {
  to = daily_pinless_dialin_route.r
  id = %q
}
`, number, webhook, number)
		move := env.ProviderConfig() + configHCL("pinless_dialin", "c", fmt.Sprintf("  phone_number = %q\n  room_creation_api = %q", number, webhook)) +
			fmt.Sprintf(`
import {
  to = daily_pinless_dialin_config.c
  id = %q
}

removed {
  from = daily_pinless_dialin_route.r
  lifecycle {
    destroy = false
  }
}
`, number)
		noWrites := emuCheck(func() error {
			if env.Emu != nil {
				for _, w := range barWrites {
					if n := env.Emu.Count(w); n != 0 {
						return fmt.Errorf("the move sent %d %s", n, w)
					}
				}
			}
			return checkUntouched(arrays, client.PinlessDialin, unmanaged)()
		})
		sameObject := emuCheck(func() error {
			if o, _ := objectByKey(t, store, client.PinlessDialin, number); o.ID != route.ID || o.text("hmac") != route.text("hmac") {
				return fmt.Errorf("the route's object was %s (hmac %s), is %s (hmac %s)", route.ID, route.text("hmac"), o.ID, o.text("hmac"))
			}
			return nil
		})
		resetCounts := func() {
			if env.Emu != nil {
				env.Emu.ResetCounts()
			}
		}

		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{removedBlocksForget},
			Steps: []resource.TestStep{
				{PreConfig: resetCounts, Config: adopt, ConfigStateChecks: []statecheck.StateCheck{noWrites}},
				{PreConfig: resetCounts, Config: move, ConfigStateChecks: []statecheck.StateCheck{noWrites, sameObject}},
				{Config: move, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			},
		})
	})
}

// signingWebhook is a room_creation_api that answers 200 only to calls
// signed with the secret of the number called, as a webhook that verifies
// Daily's signature does (daily-api.md section 4), and 401 otherwise.
type signingWebhook struct {
	*httptest.Server
	mu      sync.Mutex
	secrets map[string]string // by number called
}

func newSigningWebhook(secrets map[string]string) *signingWebhook {
	w := &signingWebhook{secrets: secrets}
	w.Server = httptest.NewServer(http.HandlerFunc(w.serve))
	return w
}

func (w *signingWebhook) serve(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var call struct{ To string }
	_ = json.Unmarshal(body, &call)
	w.mu.Lock()
	secret := w.secrets[call.To]
	w.mu.Unlock()
	key, err := base64.StdEncoding.DecodeString(secret)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(r.Header.Get("X-Pinless-Timestamp") + "."))
	mac.Write(body)
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if err != nil || secret == "" || !hmac.Equal([]byte(want), []byte(r.Header.Get("X-Pinless-Signature"))) {
		rw.WriteHeader(http.StatusUnauthorized)
		return
	}
	rw.WriteHeader(http.StatusOK)
}
