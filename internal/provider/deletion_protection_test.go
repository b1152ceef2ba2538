package provider

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// A protected number and its route: no plan that would release the number
// or remove the route gets to the apply, so that destroy never leaves a
// bought number without its route. Without protection, removing the route
// warns, naming the number and what stops working.
func TestAccPhoneNumber_protectedWithItsRoute(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t) // buys, and moves the clock past the release hold
	number := env.availableNumber(t, "415", "+14155550123")
	other := env.availableNumber(t, "415", "+14155550124")
	wd := newCLIWorkdir(t)
	const webhook = "https://bots.example.test/daily/dialin"
	config := func(number string, numberProtected, withRoute, routeProtected bool) string {
		c := env.ProviderConfig() + fmt.Sprintf(`
resource "daily_phone_number" "bot" {
  number              = %q
  deletion_protection = %t
}
`, number, numberProtected)
		if withRoute {
			c += fmt.Sprintf(`
resource "daily_pinless_dialin_route" "bot" {
  phone_number        = daily_phone_number.bot.number
  room_creation_api   = %q
  deletion_protection = %t
}
`, webhook, routeProtected)
		}
		return c
	}
	wd.write(config(number, true, true, false))
	wd.apply()
	before := env.Emu.DialinArray(client.PinlessDialin)
	env.Emu.ResetCounts()
	nothingWritten := func(when string) {
		t.Helper()
		for _, write := range []string{"POST /", "DELETE /release-phone-number"} {
			if n := env.Emu.Count(write); n != 0 {
				t.Errorf("%s: %d %s requests reached Daily, want none", when, n, write)
			}
		}
		if err := checkUntouched(env.Emu, client.PinlessDialin, before)(); err != nil {
			t.Errorf("%s: %v", when, err)
		}
		if owned := env.Emu.Purchased(); len(owned) != 1 || owned[0].Number != number {
			t.Errorf("%s: the domain owns %v, want %s alone", when, owned, number)
		}
	}

	// terraform destroy with only the number protected: refused at plan
	// time, so the route is not removed either (the issue: it was, and the
	// number then stayed bought without it).
	destroyErr := func() error {
		err := wd.tf.Destroy(t.Context(), wd.reattach)
		finishWrites()
		return err
	}
	err := destroyErr()
	if err == nil || !errorPattern("Phone number is protected from deletion", "This plan destroys the daily_phone_number "+number,
		"The plan is refused, so nothing of it is applied", "set deletion_protection = false and apply first").MatchString(err.Error()) {
		t.Fatalf("terraform destroy: got %v, want it refused for the number", err)
	}
	nothingWritten("terraform destroy")

	// The route protected too: refused again (Terraform plans the route's
	// destroy first, and stops at its refusal).
	wd.write(config(number, true, true, true))
	wd.apply()
	err = destroyErr()
	if err == nil || !errorPattern("protected from deletion", "This plan destroys the daily_").MatchString(err.Error()) {
		t.Fatalf("terraform destroy, both protected: got %v, want it refused", err)
	}
	nothingWritten("terraform destroy, both protected")

	// Another number replaces the resource, and so its route: refused.
	wd.write(config(other, true, true, true))
	err = wd.tryApply()
	if err == nil || !errorPattern("Phone number is protected from deletion", "This plan replaces (number changes to "+other+") the daily_phone_number "+number).MatchString(err.Error()) {
		t.Fatalf("a new number: got %v, want the replacement refused", err)
	}
	nothingWritten("a new number")

	// The route alone, left out of the configuration.
	wd.write(config(number, true, false, true))
	err = wd.tryApply()
	if err == nil || !errorPattern("Dial-in route is protected from deletion", "daily_pinless_dialin_route of "+number).MatchString(err.Error()) {
		t.Fatalf("the route left out: got %v, want its removal refused", err)
	}
	nothingWritten("the route left out")

	// Unprotected, the route goes, with a warning that names the number.
	wd.write(config(number, true, true, false))
	wd.apply()
	wd.write(config(number, true, false, false))
	diags, err := wd.planDiagnostics()
	if err != nil {
		t.Fatalf("terraform plan: %v", err)
	}
	if !diags.has("warning", "Dial-in route will be removed", "This plan destroys the daily_pinless_dialin_route of "+number+" and removes the route from Daily",
		"Calls to the number will no longer reach the webhook "+webhook, "The number "+number+" itself stays bought, and billed, unless this plan also releases it") {
		t.Errorf("the plan removing the route does not warn as it should:\n%s", diags)
	}
	wd.apply()
	if err := checkArrayKeys(env.Emu, client.PinlessDialin)(); err != nil {
		t.Error(err)
	}

	// Unprotected and past Daily's hold, the number is released; the plan warns first.
	wd.write(config(number, false, false, false))
	wd.apply()
	env.Emu.Advance(releaseHold + 24*time.Hour)
	diags, err = wd.planDiagnostics(tfexec.Destroy(true))
	if err != nil {
		t.Fatalf("terraform plan -destroy: %v", err)
	}
	if !diags.has("warning", "Phone number will be released", "This plan releases "+number) {
		t.Errorf("the plan releasing the number does not warn:\n%s", diags)
	}
	wd.destroy()
	if owned := env.Emu.Purchased(); len(owned) != 0 {
		t.Errorf("after the destroy the domain owns %v, want nothing", owned)
	}
}

// A protected number and route can still be forgotten: a removed block with
// lifecycle { destroy = false } plans no destroy.
func TestAccPhoneNumber_protectedForgotten(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	wd := newCLIWorkdir(t)
	wd.require(removedBlocksForget)
	number := env.availableNumber(t, "415", "+14155550123")
	wd.write(env.ProviderConfig() + fmt.Sprintf(`
resource "daily_phone_number" "bot" {
  number              = %q
  deletion_protection = true
}

resource "daily_pinless_dialin_route" "bot" {
  phone_number        = daily_phone_number.bot.number
  room_creation_api   = "https://bots.example.test/daily/dialin"
  deletion_protection = true
}
`, number))
	wd.apply()
	before := env.Emu.DialinArray(client.PinlessDialin)
	env.Emu.ResetCounts()
	wd.write(env.ProviderConfig() + `
removed {
  from = daily_phone_number.bot
  lifecycle {
    destroy = false
  }
}

removed {
  from = daily_pinless_dialin_route.bot
  lifecycle {
    destroy = false
  }
}
`)
	wd.apply()
	if n := env.Emu.Count("POST /") + env.Emu.Count("DELETE /release-phone-number"); n != 0 {
		t.Errorf("forgetting sent %d writes to Daily, want none", n)
	}
	if err := checkUntouched(env.Emu, client.PinlessDialin, before)(); err != nil {
		t.Error(err)
	}
	state, err := wd.stateResources()
	if err != nil {
		t.Fatal(err)
	}
	if len(state) != 0 {
		t.Errorf("the state still holds %d resources after forgetting them", len(state))
	}
}

// SIP-only and PIN routes: the removal warning says what stops working,
// a protected route's replacement is refused at plan time, and the
// replacement the plan cannot see (-replace) is refused by the apply before
// anything is written.
func TestAccDialinRoute_deletionProtection(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	numbers := env.Numbers(t, 2)
	wd := newCLIWorkdir(t)
	config := func(pinNumber string, protected bool, routes ...string) string {
		c := env.ProviderConfig()
		for _, r := range routes {
			switch r {
			case "sip":
				c += fmt.Sprintf(`
resource "daily_pinless_dialin_route" "pbx" {
  name_prefix         = "office-pbx"
  room_creation_api   = "https://bots.example.test/daily/sip"
  deletion_protection = %t
}
`, protected)
			case "pin":
				c += fmt.Sprintf(`
resource "daily_pin_dialin_route" "meetings" {
  phone_number        = %q
  name_prefix         = "meetings"
  deletion_protection = %t
}
`, pinNumber, protected)
			}
		}
		return c
	}
	wd.write(config(numbers[0], true, "sip", "pin"))
	wd.apply()
	store := env.Dialin(t)
	pinless, pin := store.DialinArray(client.PinlessDialin), store.DialinArray(client.PinDialin)
	untouched := func(when string) {
		t.Helper()
		for array, before := range map[string][]json.RawMessage{client.PinlessDialin: pinless, client.PinDialin: pin} {
			if err := checkUntouched(store, array, before)(); err != nil {
				t.Errorf("%s: %v", when, err)
			}
		}
	}

	// A new number replaces the PIN route: refused, naming the old number.
	wd.write(config(numbers[1], true, "sip", "pin"))
	err := wd.tryApply()
	if err == nil || !errorPattern("Dial-in route is protected from deletion",
		"This plan replaces (phone_number changes) the daily_pin_dialin_route of "+numbers[0]).MatchString(err.Error()) {
		t.Fatalf("a new number: got %v, want the replacement refused", err)
	}
	untouched("a new number")

	// -replace: the plan cannot tell, the apply refuses before any write.
	wd.write(config(numbers[0], true, "sip", "pin"))
	err = wd.tf.Apply(t.Context(), wd.reattach, tfexec.Replace("daily_pin_dialin_route.meetings"))
	finishWrites()
	if err == nil || !errorPattern("Dial-in route is protected from deletion", "deletion_protection is true for the daily_pin_dialin_route of "+numbers[0],
		"so the apply did not remove the route").MatchString(err.Error()) {
		t.Fatalf("-replace: got %v, want the destroy refused", err)
	}
	untouched("-replace")

	// Unprotected and left out: each warns of what stops working.
	wd.write(config(numbers[0], false, "sip", "pin"))
	wd.apply()
	wd.write(config(numbers[0], false))
	diags, err := wd.planDiagnostics()
	if err != nil {
		t.Fatalf("terraform plan: %v", err)
	}
	sipURI, _ := entryOf(store, client.PinlessDialin, "sip:office-pbx")
	for _, want := range [][]string{
		{"Dial-in route will be removed", `daily_pinless_dialin_route of the SIP-only route name_prefix = "office-pbx"`,
			fmt.Sprintf("Calls to its SIP URI %s will no longer reach the webhook https://bots.example.test/daily/sip", sipURI["sip_uri"])},
		{"Dial-in route will be removed", "daily_pin_dialin_route of " + numbers[0],
			"Callers of the number will no longer be asked for a PIN nor reach a room", "The number " + numbers[0] + " itself stays bought"},
	} {
		if !diags.has("warning", want...) {
			t.Errorf("no warning with %q in:\n%s", want, diags)
		}
	}
	wd.apply()
	if err := checkArrayKeys(store, client.PinlessDialin)(); err != nil {
		t.Error(err)
	}
	if err := checkArrayKeys(store, client.PinDialin)(); err != nil {
		t.Error(err)
	}
}

// planDiagnostic is a diagnostic of terraform plan -json.
type planDiagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
}

type planDiagnostics []planDiagnostic

// has reports whether a diagnostic of this severity holds parts, in order,
// in its summary and detail.
func (ds planDiagnostics) has(severity string, parts ...string) bool {
	for _, d := range ds {
		if d.Severity == severity && errorPattern(parts...).MatchString(d.Summary+"\n"+d.Detail) {
			return true
		}
	}
	return false
}

func (ds planDiagnostics) String() string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "  %s: %s (%s): %s\n", d.Severity, d.Summary, d.Address, d.Detail)
	}
	return b.String()
}

// planDiagnostics runs terraform plan -json and returns its diagnostics; the
// error is the plan's.
func (w *cliWorkdir) planDiagnostics(opts ...tfexec.PlanOption) (planDiagnostics, error) {
	w.t.Helper()
	var out bytes.Buffer
	_, err := w.tf.PlanJSON(context.Background(), &out, append([]tfexec.PlanOption{w.reattach}, opts...)...)
	w.tf.SetStdout(nil) // PlanJSON leaves its writer as every later command's stdout
	var diags planDiagnostics
	lines := bufio.NewScanner(&out)
	lines.Buffer(nil, 16<<20)
	for lines.Scan() {
		var msg struct {
			Type       string         `json:"type"`
			Diagnostic planDiagnostic `json:"diagnostic"`
		}
		if json.Unmarshal(lines.Bytes(), &msg) == nil && msg.Type == "diagnostic" {
			diags = append(diags, msg.Diagnostic)
		}
	}
	return diags, err
}
