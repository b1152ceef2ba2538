package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// stateLacks fails if any value in the state holds one of the secrets.
type stateLacks []string

func (s stateLacks) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil {
		return
	}
	var walk func(v any) bool
	walk = func(v any) bool {
		switch v := v.(type) {
		case string:
			for _, secret := range s {
				if strings.Contains(v, secret) {
					return true
				}
			}
		case map[string]any:
			for _, e := range v {
				if walk(e) {
					return true
				}
			}
		case []any:
			for _, e := range v {
				if walk(e) {
					return true
				}
			}
		}
		return false
	}
	for _, r := range req.State.Values.RootModule.Resources {
		if walk(r.AttributeValues) {
			resp.Error = fmt.Errorf("%s holds a write-only secret in the state", r.Address)
			return
		}
	}
}

func TestAccPinlessDialinRoute_writeOnlyHMAC(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	emu := env.Dialin(t)
	numbers := env.Numbers(t, 2)
	mine, theirs := numbers[0], numbers[1]
	unmanaged := seedUnmanagedRoutes(t, emu, theirs)
	const addr = "daily_pinless_dialin_route.main"
	const first, second, third = "Zmlyc3Qtd28tc2VjcmV0", "c2Vjb25kLXdvLXNlY3JldA==", "dGhpcmQtd28tc2VjcmV0"
	config := func(secret string, version int) string {
		extra := ""
		if secret != "" {
			extra = fmt.Sprintf("  hmac_wo = %q\n  hmac_wo_version = %d", secret, version)
		}
		return pinlessRouteConfig(env.ProviderConfig(), mine, "https://hooks.example/call", extra)
	}
	kept := statecheck.CompareValue(compare.ValuesSame())

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config:      pinlessRouteConfig(env.ProviderConfig(), mine, "https://hooks.example/call", fmt.Sprintf("  hmac = %q\n  hmac_wo = %q\n  hmac_wo_version = 1", first, first)),
				ExpectError: errorPattern(`Attribute "hmac" cannot be specified when "hmac_wo" is specified`),
			},
			{
				Config:      pinlessRouteConfig(env.ProviderConfig(), mine, "https://hooks.example/call", fmt.Sprintf("  hmac_wo = %q", first)),
				ExpectError: errorPattern(`Attribute "hmac_wo_version" must be specified when "hmac_wo" is specified`),
			},
			{
				Config: config(first, 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("hmac"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("hmac_wo"), knownvalue.Null()),
					stateLacks{first},
					checkEntry(emu, client.PinlessDialin, mine, map[string]any{"hmac": first}),
					checkUntouched(emu, client.PinlessDialin, unmanaged),
				},
			},
			{
				// A new value without a new version is invisible to Terraform.
				Config:           config(second, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					checkEntry(emu, client.PinlessDialin, mine, map[string]any{"hmac": first}),
				},
			},
			{
				// A new version sends it.
				Config: config(second, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					stateLacks{first, second},
					checkEntry(emu, client.PinlessDialin, mine, map[string]any{"hmac": second}),
					checkUntouched(emu, client.PinlessDialin, unmanaged),
				},
			},
			{
				// Back to a secret Daily keeps: the current one stays and is read into hmac.
				Config: config("", 0),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("hmac"), knownvalue.StringExact(second)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("hmac_wo_version"), knownvalue.Null()),
					onlyIf(sipURIKept(env), kept.AddStateValue(addr, tfjsonpath.New("sip_uri"))),
					checkEntry(emu, client.PinlessDialin, mine, map[string]any{"hmac": second}),
				},
			},
			{
				// And from a kept secret to a write-only one again.
				Config: config(third, 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("hmac"), knownvalue.Null()),
					onlyIf(sipURIKept(env), kept.AddStateValue(addr, tfjsonpath.New("sip_uri"))),
					stateLacks{third},
					checkEntry(emu, client.PinlessDialin, mine, map[string]any{"hmac": third}),
					checkUntouched(emu, client.PinlessDialin, unmanaged),
				},
			},
			{
				// Import reads the route, which knows nothing of the write-only version.
				ResourceName:                         addr,
				ImportState:                          true,
				ImportStateId:                        mine,
				ImportStateVerify:                    true,
				ImportStateVerifyIgnore:              []string{"hmac", "hmac_wo_version"},
				ImportStateVerifyIdentifierAttribute: "id",
			},
			{
				// Drift: the route deleted out of band is created again, with the secret.
				PreConfig: func() {
					if err := setArray(emu, client.PinlessDialin, unmanaged); err != nil {
						t.Fatal(err)
					}
				},
				Config: config(third, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					checkEntry(emu, client.PinlessDialin, mine, map[string]any{"hmac": third}),
				},
			},
		},
		CheckDestroy: destroyed(checkArrayKeys(emu, client.PinlessDialin, theirs), checkUntouched(emu, client.PinlessDialin, unmanaged)),
	})
}

// The ephemeral route hands one route's live secret to another route's
// hmac_wo without either being stored; echo shows what the read returned.
func TestAccPinlessDialinRoute_ephemeral(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	emu := env.Dialin(t)
	numbers := env.Numbers(t, 2)
	source, target := numbers[0], numbers[1]
	seedUnmanagedRoutes(t, emu, source)
	const secret = "dW5tYW5hZ2VkLXNlY3JldA==" // the seeded route's

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"daily": testAccProtoV6ProviderFactories["daily"],
			"echo":  echoprovider.NewProviderServer(),
		},
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config: env.ProviderConfig() + `
ephemeral "daily_pinless_dialin_route" "missing" {
  phone_number = "+14155550999"
}
provider "echo" {
  data = ephemeral.daily_pinless_dialin_route.missing
}
resource "echo" "read" {}
`,
				ExpectError: errorPattern("Dial-in route not found", "no route for +14155550999"),
			},
			{
				Config: fmt.Sprintf(`%s
ephemeral "daily_pinless_dialin_route" "source" {
  phone_number = %q
}

resource "daily_pinless_dialin_route" "target" {
  phone_number      = %q
  room_creation_api = "https://hooks.example/target"
  hmac_wo           = ephemeral.daily_pinless_dialin_route.source.hmac
  hmac_wo_version   = 1
}

provider "echo" {
  data = ephemeral.daily_pinless_dialin_route.source
}

resource "echo" "read" {}
`, env.ProviderConfig(), source, target),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.read", tfjsonpath.New("data"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"phone_number":      knownvalue.StringExact(source),
						"room_creation_api": knownvalue.StringExact("https://unmanaged.example/hook"),
						"hmac":              knownvalue.StringExact(secret),
					})),
					checkEntry(emu, client.PinlessDialin, target, map[string]any{"hmac": secret}),
					statecheck.ExpectKnownValue("daily_pinless_dialin_route.target", tfjsonpath.New("hmac"), knownvalue.Null()),
				},
			},
		},
	})
}

// A provider configured from an ephemeral value, as an API key from a
// secrets manager would be.
func TestAccProvider_ephemeralAPIKey(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
variable "api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

provider "daily" {
  api_url = %q
  api_key = var.api_key
}

data "daily_phone_numbers" "all" {}
`, env.URL),
			ConfigVariables: map[string]config.Variable{"api_key": config.StringVariable(env.Key)},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.daily_phone_numbers.all", tfjsonpath.New("phone_numbers"), knownvalue.NotNull()),
			},
		}},
	})
}
