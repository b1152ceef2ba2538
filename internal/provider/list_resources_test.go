package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// listResources gates tests of list resources: terraform query came with
// Terraform 1.14, and OpenTofu has none.
var listResources = onCLI("list resources (terraform query)", tfversion.SkipBelow(tfversion.Version1_14_0), nil)

// seededAccount is a domain as a user brings it to Terraform: numbers
// bought in the dashboard, one of them named, and routes of every kind.
type seededAccount struct {
	numbers []string // in the 415 area code; numbers[2] has no route
	named   string   // in the 312 area code, named "Front desk"
	pinless string   // numbers[0], a pinless route to bots.example.com
	sipOnly string   // the key of a SIP-only pinless route to bots.example.com
	pin     string   // numbers[1], a PIN route
}

func seedAccount(t *testing.T, env *accEnv) seededAccount {
	t.Helper()
	env.RequireEmulator(t)
	a := seededAccount{numbers: env.Numbers(t, 3), named: "+13125550100", sipOnly: "sip:office-pbx"}
	a.pinless, a.pin = a.numbers[0], a.numbers[1]
	env.Emu.SeedPurchased(a.named, env.Emu.Now().Add(-30*24*time.Hour))
	env.Emu.NamePurchased(a.named, "Front desk")
	pinless := []json.RawMessage{
		json.RawMessage(fmt.Sprintf(`{"phone_number":%q,"room_creation_api":"https://bots.example.com/daily/dialin","name_prefix":"support",`+
			`"timeout_config":{"message":"Please call back later."},"hmac":"c3VwcG9ydC1zZWNyZXQ="}`, a.pinless)),
		json.RawMessage(`{"name_prefix":"office-pbx","room_creation_api":"https://BOTS.example.com:8443/daily/sip","hmac":"cGJ4LXNlY3JldA=="}`),
		json.RawMessage(fmt.Sprintf(`{"phone_number":%q,"room_creation_api":"https://other.example.net/hook"}`, a.named)),
	}
	if err := setArray(env.Emu, client.PinlessDialin, pinless); err != nil {
		t.Fatal(err)
	}
	pin := []json.RawMessage{json.RawMessage(fmt.Sprintf(`{"phone_number":%q,"name_prefix":"meetings","ivr_greeting":{"message":"Welcome."}}`, a.pin))}
	if err := setArray(env.Emu, client.PinDialin, pin); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAccListResources_query(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	a := seedAccount(t, env)
	named := queryfilter.ByDisplayName(knownvalue.StringExact(a.named))
	sip := queryfilter.ByDisplayName(knownvalue.StringExact(a.sipOnly))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{listResources},
		Steps: []resource.TestStep{
			{
				// terraform query reads the provider's configuration from the .tf files.
				Config: env.ProviderConfig() + `data "daily_phone_numbers" "all" {}`,
			},
			{
				Query: true,
				Config: `
list "daily_phone_number" "all" {
  provider         = daily
  include_resource = true
}

list "daily_phone_number" "sf" {
  provider = daily
  config {
    number_prefix = "+1415"
  }
}

list "daily_phone_number" "named" {
  provider = daily
  config {
    name = "front"
  }
}

list "daily_phone_number" "two" {
  provider = daily
  limit    = 2
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("daily_phone_number.all", 4),
					querycheck.ExpectLength("daily_phone_number.sf", 3),
					querycheck.ExpectLength("daily_phone_number.named", 1),
					querycheck.ExpectLength("daily_phone_number.two", 2),
					querycheck.ExpectIdentity("daily_phone_number.named", map[string]knownvalue.Check{
						"id": knownvalue.StringExact(purchasedID(t, env, a.named)),
					}),
					querycheck.ExpectResourceDisplayName("daily_phone_number.named",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(purchasedID(t, env, a.named))}),
						knownvalue.StringExact(a.named)),
					querycheck.ExpectResourceKnownValues("daily_phone_number.all", named, []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(purchasedID(t, env, a.named))},
						{Path: tfjsonpath.New("number"), KnownValue: knownvalue.StringExact(a.named)},
						{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("Front desk")},
						{Path: tfjsonpath.New("deletion_protection"), KnownValue: knownvalue.Bool(false)},
						{Path: tfjsonpath.New("created_date"), KnownValue: knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT`))},
						{Path: tfjsonpath.New("areacode"), KnownValue: knownvalue.Null()},
					}),
				},
			},
			{
				Query: true,
				Config: `
list "daily_pinless_dialin_route" "all" {
  provider         = daily
  include_resource = true
}

list "daily_pinless_dialin_route" "bots" {
  provider = daily
  config {
    webhook_host = "bots.example.com"
  }
}

list "daily_pinless_dialin_route" "sf" {
  provider = daily
  config {
    number_prefix = "+1415"
  }
}

list "daily_pin_dialin_route" "all" {
  provider         = daily
  include_resource = true
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("daily_pinless_dialin_route.all", 3),
					querycheck.ExpectLength("daily_pinless_dialin_route.bots", 2),
					querycheck.ExpectLength("daily_pinless_dialin_route.sf", 1),
					querycheck.ExpectLength("daily_pin_dialin_route.all", 1),
					querycheck.ExpectIdentity("daily_pinless_dialin_route.all", map[string]knownvalue.Check{
						"phone_number": knownvalue.Null(), "name_prefix": knownvalue.StringExact("office-pbx"),
					}),
					querycheck.ExpectIdentity("daily_pinless_dialin_route.sf", map[string]knownvalue.Check{
						"phone_number": knownvalue.StringExact(a.pinless), "name_prefix": knownvalue.Null(),
					}),
					querycheck.ExpectIdentity("daily_pin_dialin_route.all", map[string]knownvalue.Check{
						"phone_number": knownvalue.StringExact(a.pin),
					}),
					querycheck.ExpectResourceDisplayName("daily_pinless_dialin_route.all",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"phone_number": knownvalue.Null(), "name_prefix": knownvalue.StringExact("office-pbx")}),
						knownvalue.StringExact(a.sipOnly)),
					querycheck.ExpectResourceKnownValues("daily_pinless_dialin_route.all", sip, []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(a.sipOnly)},
						{Path: tfjsonpath.New("phone_number"), KnownValue: knownvalue.Null()},
						{Path: tfjsonpath.New("name_prefix"), KnownValue: knownvalue.StringExact("office-pbx")},
						{Path: tfjsonpath.New("room_creation_api"), KnownValue: knownvalue.StringExact("https://BOTS.example.com:8443/daily/sip")},
						{Path: tfjsonpath.New("sip_uri"), KnownValue: knownvalue.StringRegexp(regexp.MustCompile(`^.+$`))},
						// terraform query -json prints listed objects in full: the secret is withheld.
						{Path: tfjsonpath.New("hmac"), KnownValue: knownvalue.Null()},
						{Path: tfjsonpath.New("hmac_wo_version"), KnownValue: knownvalue.Null()},
					}),
					querycheck.ExpectResourceKnownValues("daily_pinless_dialin_route.all", queryfilter.ByDisplayName(knownvalue.StringExact(a.pinless)), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("phone_number"), KnownValue: knownvalue.StringExact(a.pinless)},
						{Path: tfjsonpath.New("timeout_config"), KnownValue: knownvalue.ObjectExact(map[string]knownvalue.Check{
							"message": knownvalue.StringExact("Please call back later."),
						})},
					}),
					querycheck.ExpectResourceKnownValues("daily_pin_dialin_route.all", queryfilter.ByDisplayName(knownvalue.StringExact(a.pin)), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(a.pin)},
						{Path: tfjsonpath.New("name_prefix"), KnownValue: knownvalue.StringExact("meetings")},
						{Path: tfjsonpath.New("ivr_greeting"), KnownValue: knownvalue.ObjectExact(map[string]knownvalue.Check{
							"message": knownvalue.StringExact("Welcome."),
						})},
					}),
				},
			},
			{
				Query: true,
				Config: `
list "daily_pinless_dialin_route" "bad" {
  provider = daily
  config {
    number_prefix = "1415"
    webhook_host  = "https://bots.example.com"
  }
}
`,
				ExpectError: errorPattern("number_prefix must be the start of an E.164 phone number"),
			},
		},
	})
}

// purchasedID is Daily's id of a number the emulator's domain owns.
func purchasedID(t *testing.T, env *accEnv, number string) string {
	t.Helper()
	for _, n := range env.Emu.Purchased() {
		if n.Number == number {
			return n.ID
		}
	}
	t.Fatalf("%s is not purchased", number)
	return ""
}

// query runs terraform query, writing the configuration of what it finds to
// generateConfigOut, and returns how many objects it found.
func (w *cliWorkdir) query(generateConfigOut string) int {
	w.t.Helper()
	messages, err := w.tf.QueryJSON(context.Background(), w.reattach, tfexec.GenerateConfigOut(generateConfigOut))
	if err != nil {
		w.t.Fatalf("terraform query: %v", err)
	}
	defer w.tf.SetStdout(nil) // QueryJSON leaves its pipe as every later command's stdout
	found := 0
	for m := range messages {
		if m.Err != nil {
			w.t.Fatalf("terraform query: %v", m.Err)
		}
		switch msg := m.Msg.(type) {
		case nil:
		case tfjson.ListResourceFoundMessage:
			found++
		default:
			if msg.Level() == tfjson.Error {
				w.t.Fatalf("terraform query: %s", msg.Message())
			}
		}
	}
	return found
}
