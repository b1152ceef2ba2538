package provider

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// seedOddPinless seeds, as Daily holds them, a plain route on numbers[0], a
// Daily Bots route on numbers[1] (room_creation_api "dailybots"), a SIP-only
// entry without name_prefix and two SIP-only entries sharing "shared-trunk";
// it returns the array as seeded.
func seedOddPinless(t *testing.T, env *accEnv, numbers []string) []json.RawMessage {
	t.Helper()
	entries := []json.RawMessage{
		json.RawMessage(fmt.Sprintf(`{"phone_number":%q,"room_creation_api":"https://bots.example.test/a","hmac":"c2VjcmV0LWE=","sip_uri":"sip:a@sip.daily.co"}`, numbers[0])),
		json.RawMessage(fmt.Sprintf(`{"phone_number":%q,"room_creation_api":"dailybots","hmac":"c2VjcmV0LWI=","sip_uri":"sip:b@sip.daily.co"}`, numbers[1])),
		json.RawMessage(`{"room_creation_api":"https://pbx.example.test/sip","hmac":"c2VjcmV0LWM=","sip_uri":"sip:c@sip.daily.co"}`),
		json.RawMessage(`{"name_prefix":"shared-trunk","room_creation_api":"https://pbx.example.test/sip","hmac":"c2VjcmV0LWQ=","sip_uri":"sip:d@sip.daily.co"}`),
		json.RawMessage(`{"name_prefix":"shared-trunk","room_creation_api":"https://pbx.example.test/sip","hmac":"c2VjcmV0LWU=","sip_uri":"sip:e@sip.daily.co"}`),
	}
	if err := env.Emu.SeedDialinArray(client.PinlessDialin, entries); err != nil {
		t.Fatal(err)
	}
	return env.Emu.DialinArray(client.PinlessDialin)
}

// An array holding entries no route key addresses: the data source leaves
// them out with a warning saying which and why; the exclusive resource
// refuses the array on import and on create; the per-route resources refuse
// the ambiguous key on import and on create, and manage the Daily Bots route
// like any other. Nothing of this writes to Daily but the one update asked
// for, which sends every odd entry back byte for byte.
func TestAccDialin_oddEntries(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t) // seeds what the API would refuse
	numbers := env.Numbers(t, 2)
	before := seedOddPinless(t, env, numbers)
	wd := newCLIWorkdir(t)
	nothingWritten := func(when string) {
		t.Helper()
		if n := env.Emu.Count("POST /"); n != 0 {
			t.Errorf("%s: %d writes reached Daily, want none", when, n)
		}
		if err := checkUntouched(env.Emu, client.PinlessDialin, before)(); err != nil {
			t.Errorf("%s: %v", when, err)
		}
	}

	// The data source: the two addressable routes, and a warning.
	wd.write(env.ProviderConfig() + `data "daily_pinless_dialin" "all" {}` + "\n")
	diags, err := wd.planDiagnostics()
	if err != nil {
		t.Fatalf("terraform plan: %v", err)
	}
	if !diags.has("warning", "Dial-in entries left out", "The domain's pinless_dialin array holds 3 of its 5 entries that no route key addresses",
		`entry 3 (SIP-only, with neither phone_number nor name_prefix; sip_uri "sip:c@sip.daily.co")`,
		`entries 4 and 5 (SIP-only, all with name_prefix "shared-trunk"`, "left out of this data source's routes", "stay at Daily exactly as they are") {
		t.Errorf("no warning naming the odd entries:\n%s", diags)
	}
	wd.apply()
	routes, _ := dataSourceAttributes(t, wd, "data.daily_pinless_dialin.all")["routes"].(map[string]any)
	var keys []string
	for key := range routes {
		keys = append(keys, key)
	}
	if slices.Sort(keys); !slices.Equal(keys, numbers) {
		t.Errorf("the data source holds routes %v, want %v", keys, numbers)
	}
	if hook := routes[numbers[1]].(map[string]any)["room_creation_api"]; hook != "dailybots" {
		t.Errorf("the Daily Bots route reads as %v", hook)
	}
	nothingWritten("the data source")

	for _, tc := range []struct {
		name, config string
		want         []string
	}{
		{"importing the exclusive resource", fmt.Sprintf(`
import {
  to = daily_pinless_dialin.all
  id = "pinless_dialin"
}
resource "daily_pinless_dialin" "all" {
  routes = { %q = { room_creation_api = "https://bots.example.test/a" } }
}
`, numbers[0]), []string{"Dial-in array holds entries this resource cannot manage", "entries 4 and 5",
			"daily_pinless_dialin keys its routes by phone number or sip:<name_prefix>", "manage its routes with daily_pinless_dialin_route"}},
		{"creating the exclusive resource", fmt.Sprintf(`
resource "daily_pinless_dialin" "all" {
  routes = { %q = { room_creation_api = "https://bots.example.test/a" } }
}
`, numbers[0]), []string{"Dial-in array holds entries this resource cannot manage", "entry 3 (SIP-only, with neither phone_number nor name_prefix"}},
		{"importing an ambiguous route", `
import {
  to = daily_pinless_dialin_route.trunk
  id = "sip:shared-trunk"
}
resource "daily_pinless_dialin_route" "trunk" {
  name_prefix       = "shared-trunk"
  room_creation_api = "https://pbx.example.test/sip"
}
`, []string{"Dial-in route key held by several entries", "Cannot read the pinless dial-in route sip:shared-trunk",
			`holds it as entries 4 and 5 (SIP-only, all with name_prefix "shared-trunk"`, "Nothing was changed"}},
		{"creating an ambiguous route", `
resource "daily_pinless_dialin_route" "trunk" {
  name_prefix       = "shared-trunk"
  room_creation_api = "https://pbx.example.test/sip"
}
`, []string{"Dial-in route key held by several entries", "Cannot create the pinless dial-in route sip:shared-trunk", "entries 4 and 5"}},
	} {
		wd.write(env.ProviderConfig() + tc.config)
		err := wd.tryApply()
		if err == nil || !errorPattern(tc.want...).MatchString(err.Error()) {
			t.Errorf("%s: got %v\nwant an error with %q", tc.name, err, tc.want)
		}
		nothingWritten(tc.name)
	}

	// The Daily Bots route imports, plans clean, and keeps "dailybots" through a write.
	dailybots := fmt.Sprintf(`
import {
  to = daily_pinless_dialin_route.bots
  id = %q
}
resource "daily_pinless_dialin_route" "bots" {
  phone_number      = %[1]q
  room_creation_api = "dailybots"
%s}
`, numbers[1], "%s")
	wd.write(env.ProviderConfig() + fmt.Sprintf(dailybots, ""))
	wd.apply()
	nothingWritten("importing the Daily Bots route")
	if wd.planHasChanges() {
		t.Error("the plan after importing the Daily Bots route is not empty")
	}
	wd.write(env.ProviderConfig() + fmt.Sprintf(dailybots, "  hold_music_url    = \"https://cdn.example.test/hold.mp3\"\n"))
	wd.apply()
	if err := checkEntry(env.Emu, client.PinlessDialin, numbers[1], map[string]any{
		"room_creation_api": "dailybots", "hold_music_url": "https://cdn.example.test/hold.mp3", "hmac": "c2VjcmV0LWI=",
	})(); err != nil {
		t.Error(err)
	}
	if err := checkUntouched(env.Emu, client.PinlessDialin, slices.Delete(slices.Clone(before), 1, 2))(); err != nil {
		t.Errorf("the write of the Daily Bots route changed another entry: %v", err)
	}
}

// A route this provider manages whose key another entry takes up out of
// band is refused from then on: the refresh fails, and nothing is written
// or removed, since which entry is meant cannot be told.
func TestAccPinlessDialinRoute_keyMadeAmbiguousOutOfBand(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	wd := newCLIWorkdir(t)
	wd.write(env.ProviderConfig() + `
resource "daily_pinless_dialin_route" "pbx" {
  name_prefix       = "pbx"
  room_creation_api = "https://pbx.example.test/sip"
}
`)
	wd.apply()
	entries := append(env.Emu.DialinArray(client.PinlessDialin),
		json.RawMessage(`{"name_prefix":"pbx","room_creation_api":"https://elsewhere.example.test/sip","hmac":"b3RoZXI="}`))
	if err := env.Emu.SeedDialinArray(client.PinlessDialin, entries); err != nil {
		t.Fatal(err)
	}
	before := env.Emu.DialinArray(client.PinlessDialin)
	env.Emu.ResetCounts()

	_, err := wd.tf.Plan(t.Context(), wd.reattach)
	if err == nil || !errorPattern("Dial-in route key held by several entries", "Cannot read the pinless dial-in route sip:pbx", "entries 1 and 2").MatchString(err.Error()) {
		t.Fatalf("terraform plan: got %v, want the refresh refused", err)
	}
	err = wd.tf.Destroy(t.Context(), wd.reattach)
	finishWrites()
	if err == nil || !errorPattern("Dial-in route key held by several entries").MatchString(err.Error()) {
		t.Fatalf("terraform destroy: got %v, want it refused", err)
	}
	if n := env.Emu.Count("POST /"); n != 0 {
		t.Errorf("%d writes reached Daily, want none", n)
	}
	if err := checkUntouched(env.Emu, client.PinlessDialin, before)(); err != nil {
		t.Error(err)
	}
}
