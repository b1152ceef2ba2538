package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

func TestAccPinlessDialinConfig_writeOnlyHMAC(t *testing.T) {
	t.Parallel()
	forEachStoreReading(t, func(t *testing.T, env *accEnv) {
		store := env.Objects(t)
		mine := env.Numbers(t, 1)[0]
		const addr = "daily_pinless_dialin_config.main"
		const first, second, third = "Zmlyc3Qtd28tc2VjcmV0", "c2Vjb25kLXdvLXNlY3JldA==", "dGhpcmQtd28tc2VjcmV0"
		config := func(secret string, version int) string {
			body := fmt.Sprintf("  phone_number = %q\n  room_creation_api = \"https://hooks.example/call\"", mine)
			if secret != "" {
				body += fmt.Sprintf("\n  hmac_wo = %q\n  hmac_wo_version = %d", secret, version)
			}
			return env.ProviderConfig() + configHCL("pinless_dialin", "main", body)
		}
		sameID := statecheck.CompareValue(compare.ValuesSame())

		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			TerraformVersionChecks:   []tfversion.TerraformVersionCheck{writeOnlyAttributes},
			Steps: []resource.TestStep{
				{
					Config:      config(first, 1) + "\n# hmac too\n" + configHCL("pinless_dialin", "both", fmt.Sprintf("  name_prefix = \"x\"\n  room_creation_api = \"https://hooks.example/call\"\n  hmac = %q\n  hmac_wo = %q\n  hmac_wo_version = 1", first, first)),
					ExpectError: errorPattern(`Attribute "hmac" cannot be specified when "hmac_wo" is specified`),
				},
				{
					Config: config(first, 1),
					ConfigStateChecks: []statecheck.StateCheck{
						sameID.AddStateValue(addr, tfjsonpath.New("id")),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("hmac"), knownvalue.Null()),
						stateLacks{first},
						checkObject(t, store, client.PinlessDialin, mine, map[string]any{"hmac": first}),
					},
				},
				{
					// A new value without a new version is invisible to Terraform.
					Config:            config(second, 1),
					ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					ConfigStateChecks: []statecheck.StateCheck{checkObject(t, store, client.PinlessDialin, mine, map[string]any{"hmac": first})},
				},
				{
					Config: config(second, 2),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					}},
					ConfigStateChecks: []statecheck.StateCheck{
						sameID.AddStateValue(addr, tfjsonpath.New("id")),
						stateLacks{first, second},
						checkObject(t, store, client.PinlessDialin, mine, map[string]any{"hmac": second}),
					},
				},
				{
					// Back to a secret Daily keeps: the current one stays and is read into hmac.
					Config: config("", 0),
					ConfigStateChecks: []statecheck.StateCheck{
						sameID.AddStateValue(addr, tfjsonpath.New("id")),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("hmac"), knownvalue.StringExact(second)),
						checkObject(t, store, client.PinlessDialin, mine, map[string]any{"hmac": second}),
					},
				},
				{
					Config: config(third, 1),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("hmac"), knownvalue.Null()),
						stateLacks{third},
						checkObject(t, store, client.PinlessDialin, mine, map[string]any{"hmac": third}),
					},
				},
				{
					ResourceName:            addr,
					ImportState:             true,
					ImportStateId:           mine,
					ImportStateVerify:       true,
					ImportStateVerifyIgnore: []string{"hmac", "hmac_wo_version"},
				},
				{
					// Deleted out of band, it is made again with the secret.
					PreConfig: func() { deleteObject(t, store, client.PinlessDialin, mine) },
					Config:    config(third, 1),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					}},
					ConfigStateChecks: []statecheck.StateCheck{checkObject(t, store, client.PinlessDialin, mine, map[string]any{"hmac": third})},
				},
			},
			CheckDestroy: destroyed(checkObjectKeys(t, store, client.PinlessDialin)),
		})
	})
}
