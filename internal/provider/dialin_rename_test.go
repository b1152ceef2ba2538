package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// Renaming a for_each key destroys the route at the old address and creates
// it at the new one in the same apply, in no fixed order: the route must
// survive with its secret, with or without a moved block.
func TestAccDialinRoute_renamedForEachKey(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, array, resource, body string
		moved                       bool
	}{
		{"pinless", client.PinlessDialin, "daily_pinless_dialin_route", `room_creation_api = "https://hooks.example.test/x"`, false},
		{"pinless moved", client.PinlessDialin, "daily_pinless_dialin_route", `room_creation_api = "https://hooks.example.test/x"`, true},
		{"pin", client.PinDialin, "daily_pin_dialin_route", `name_prefix = "board"`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newAccEnv(t)
			env.RequireEmulator(t)
			numbers := env.Numbers(t, 3)
			wd := newCLIWorkdir(t)
			config := func(keys ...string) string {
				forEach := ""
				for i, key := range keys {
					forEach += fmt.Sprintf("%s = %q, ", key, numbers[i])
				}
				return fmt.Sprintf("%s\nresource %q \"r\" {\n  for_each     = { %s }\n  phone_number = each.value\n  %s\n}\n",
					env.ProviderConfig(), tc.resource, forEach, tc.body)
			}
			wd.write(config("a", "b", "c"))
			wd.apply()
			before := env.Emu.DialinArray(tc.array)

			// Three renames in one apply: a→d, b→e, c→f.
			renamed := config("d", "e", "f")
			if tc.moved {
				for _, m := range [][2]string{{"a", "d"}, {"b", "e"}, {"c", "f"}} {
					renamed += fmt.Sprintf("moved {\n  from = %s.r[%q]\n  to   = %s.r[%q]\n}\n", tc.resource, m[0], tc.resource, m[1])
				}
			}
			wd.write(renamed)
			wd.apply()
			if err := checkUntouched(env.Emu, tc.array, before)(); err != nil {
				t.Fatalf("after the rename: %v", err)
			}
			if err := checkArrayKeys(env.Emu, tc.array, numbers...)(); err != nil {
				t.Fatal(err)
			}
			if wd.planHasChanges() {
				t.Fatal("the plan after the rename is not empty")
			}
		})
	}
}

// Two resources declaring one number are refused at plan time, before
// anything is written.
func TestAccDialinRoute_numberDeclaredTwice(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	number := env.Numbers(t, 1)[0]
	wd := newCLIWorkdir(t)
	wd.write(fmt.Sprintf(`%s
resource "daily_pinless_dialin_route" "r" {
  for_each          = { a = %q, b = %q }
  phone_number      = each.value
  room_creation_api = "https://hooks.example.test/${each.key}"
}
`, env.ProviderConfig(), number, number))
	err := wd.tryApply()
	if err == nil || !errorPattern("Dial-in route declared twice", number, "is declared by this resource and by another",
		"a daily_pinless_dialin_route with room_creation_api").MatchString(err.Error()) {
		t.Fatalf("got %v, want the duplicate declaration refused", err)
	}
	if got := env.Emu.Count("POST /"); got != 0 {
		t.Errorf("%d writes reached Daily", got)
	}
}

// Terraform plans a replaced resource twice in one run, as it is and anew:
// that is one declaration of its key, not two. A changed phone number, a
// SIP-only route's changed name_prefix and -replace all replace a route.
func TestAccDialinRoute_replaced(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	numbers := env.Numbers(t, 2)
	wd := newCLIWorkdir(t)
	config := func(number, prefix string) string {
		return fmt.Sprintf(`%s
resource "daily_pinless_dialin_route" "number" {
  phone_number      = %q
  room_creation_api = "https://hooks.example.test/number"
}

resource "daily_pinless_dialin_route" "sip" {
  name_prefix       = %q
  room_creation_api = "https://hooks.example.test/sip"
}
`, env.ProviderConfig(), number, prefix)
	}
	wd.write(config(numbers[0], "pbx-a"))
	wd.apply()

	wd.write(config(numbers[1], "pbx-b"))
	wd.apply()
	if err := checkArrayKeys(env.Emu, client.PinlessDialin, numbers[1], "sip:pbx-b")(); err != nil {
		t.Fatal(err)
	}
	before := env.Emu.DialinArray(client.PinlessDialin)

	// Destroyed and created again in one apply, the route keeps its entry.
	err := wd.tf.Apply(context.Background(), wd.reattach, tfexec.Replace("daily_pinless_dialin_route.number"))
	finishWrites()
	if err != nil {
		t.Fatalf("terraform apply -replace: %v", err)
	}
	if err := checkUntouched(env.Emu, client.PinlessDialin, before)(); err != nil {
		t.Fatalf("after -replace: %v", err)
	}
	if wd.planHasChanges() {
		t.Fatal("the plan after the replacements is not empty")
	}
}

// Two new resources with the same configuration are still two declarations.
func TestAccDialinRoute_identicalDeclarations(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	number := env.Numbers(t, 1)[0]
	wd := newCLIWorkdir(t)
	route := fmt.Sprintf(`{
  phone_number      = %q
  room_creation_api = "https://hooks.example.test/same"
}
`, number)
	wd.write(env.ProviderConfig() + `resource "daily_pinless_dialin_route" "a" ` + route + `resource "daily_pinless_dialin_route" "b" ` + route)
	err := wd.tryApply()
	if err == nil || !errorPattern("Dial-in route declared twice", number).MatchString(err.Error()) {
		t.Fatalf("got %v, want the duplicate declaration refused", err)
	}
	if got := env.Emu.Count("POST /"); got != 0 {
		t.Errorf("%d writes reached Daily", got)
	}
}

// Two resources declaring one number that is known only at apply (a number
// bought in the same apply) cannot be told apart by the plan, which plans
// both. The apply plans each again just before writing it: it writes the
// first and refuses the second as declared twice. Nothing is lost (the
// number and the route written are in the state, Daily holds that one
// route), and once the configuration keeps only the route written, the
// next plan is clean.
func TestAccDialinRoute_declaredTwiceOnANumberBoughtInTheSameApply(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t) // buys
	number := env.availableNumber(t, "415", "+14155550123")
	wd := newCLIWorkdir(t)
	// Bought by area code: its number is unknown until the apply buys it.
	phone := env.ProviderConfig() + "\nresource \"daily_phone_number\" \"p\" {\n  areacode = \"415\"\n}\n"
	route := func(name string) string {
		return fmt.Sprintf(`
resource "daily_pinless_dialin_route" %q {
  phone_number      = daily_phone_number.p.number
  room_creation_api = "https://hooks.example.test/%s"
}
`, name, name)
	}
	wd.write(phone + route("a") + route("b"))
	planned, err := wd.plannedChanges()
	if err != nil {
		t.Fatalf("terraform plan: %v", err)
	}
	if len(planned) != 3 {
		t.Fatalf("the plan holds %v, want the number and both routes created", planned)
	}

	err = wd.tryApply()
	if err == nil || !errorPattern("Dial-in route declared twice", number+" is declared by this resource and by another in this configuration",
		"a daily_pinless_dialin_route with room_creation_api").MatchString(err.Error()) {
		t.Fatalf("got %v, want the second route refused as declared twice", err)
	}
	state, err := wd.stateResources()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := state["daily_phone_number.p"]; !ok {
		t.Fatal("the number bought is not in the state")
	}
	written, failed := "a", "b"
	if _, ok := state["daily_pinless_dialin_route.b"]; ok {
		written, failed = "b", "a"
	}
	if _, ok := state["daily_pinless_dialin_route."+written]; !ok || len(state) != 2 {
		t.Fatalf("the state holds %d resources, want the number and one route", len(state))
	}
	if err := checkArrayKeys(env.Emu, client.PinlessDialin, number)(); err != nil {
		t.Fatal(err)
	}
	if err := checkEntry(env.Emu, client.PinlessDialin, number, map[string]any{
		"room_creation_api": "https://hooks.example.test/" + written,
		"hmac":              state["daily_pinless_dialin_route."+written]["hmac"],
	})(); err != nil {
		t.Fatalf("Daily does not hold the route written as the state has it: %v", err)
	}
	t.Logf("route %s written, route %s refused", written, failed)

	wd.write(phone + route(written))
	if wd.planHasChanges() {
		t.Error("the plan after removing the refused route is not empty")
	}
	if n := len(env.Emu.Purchased()); n != 1 {
		t.Errorf("the domain owns %d numbers, want the 1 bought", n)
	}
}
