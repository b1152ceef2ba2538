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
