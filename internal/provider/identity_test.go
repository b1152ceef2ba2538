package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// resourceIdentity gates tests of resource identity: import blocks with an
// identity and identities in the state came with Terraform 1.12 and OpenTofu 1.12.
var resourceIdentity = onCLI("resource identity",
	tfversion.SkipBelow(tfversion.Version1_12_0), tfversion.SkipBelow(tfversion.Version1_12_0))

// onIdentityCLI runs checks only where the CLI stores resource identities
// (version 1.12 and later of Terraform and OpenTofu alike), so that tests
// running on every CLI can check identities where they exist.
func onIdentityCLI(checks ...statecheck.StateCheck) statecheck.StateCheck {
	return identityChecks(checks)
}

type identityChecks []statecheck.StateCheck

func (c identityChecks) CheckState(ctx context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	var major, minor int
	if req.State != nil {
		_, _ = fmt.Sscanf(req.State.TerraformVersion, "%d.%d", &major, &minor)
	}
	if major == 1 && minor < 12 {
		return
	}
	for _, check := range c {
		check.CheckState(ctx, req, resp)
		if resp.Error != nil {
			return
		}
	}
}

// sameString is a check that remembers the first value it sees and then
// wants that value every time: an identity that must never change.
func sameString() knownvalue.Check {
	var first *string
	return knownvalue.StringFunc(func(v string) error {
		switch {
		case first == nil:
			first = &v
		case v != *first:
			return fmt.Errorf("changed from %q to %q", *first, v)
		}
		return nil
	})
}

func TestAccPhoneNumber_identity(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireBuying(t)
	number := env.availableNumber(t, "415", "+14155550123")
	config := phoneNumberConfig(env, fmt.Sprintf("  number = %q", number))
	protected := phoneNumberConfig(env, fmt.Sprintf("  number = %q\n  deletion_protection = true", number))
	id := sameString()
	identity := []statecheck.StateCheck{
		statecheck.ExpectIdentity(phoneNumberAddress, map[string]knownvalue.Check{"id": id}),
		statecheck.ExpectIdentityValueMatchesState(phoneNumberAddress, tfjsonpath.New("id")),
	}

	env.RunBuyingTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{resourceIdentity},
		CheckDestroy:             env.CheckPhoneNumbersReleased(t),
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: identity},
			{ResourceName: phoneNumberAddress, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{
				Config: protected,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: identity,
			},
			{RefreshState: true},
			{Config: config, ConfigStateChecks: identity, Check: env.PassReleaseHold()},
		},
	})
}

// Identities of a pinless route, a SIP-only pinless route and a PIN route:
// set on create, kept by updates and refreshes, imported from, and the same
// again after the routes were deleted out of band and created anew.
func TestAccDialinRoute_identity(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	emu := env.Dialin(t)
	numbers := env.Numbers(t, 2)
	pinless, pin := numbers[0], numbers[1]
	config := func(webhook, greeting string) string {
		return fmt.Sprintf(`%s
resource "daily_pinless_dialin_route" "number" {
  phone_number      = %q
  room_creation_api = %q
}

resource "daily_pinless_dialin_route" "trunk" {
  name_prefix       = "office-pbx"
  room_creation_api = %q
}

resource "daily_pin_dialin_route" "meetings" {
  phone_number = %q
  ivr_greeting = { message = %q }
}
`, env.ProviderConfig(), pinless, webhook, webhook, pin, greeting)
	}
	identity := []statecheck.StateCheck{
		statecheck.ExpectIdentity("daily_pinless_dialin_route.number", map[string]knownvalue.Check{
			"phone_number": knownvalue.StringExact(pinless), "name_prefix": knownvalue.Null(),
		}),
		statecheck.ExpectIdentity("daily_pinless_dialin_route.trunk", map[string]knownvalue.Check{
			"phone_number": knownvalue.Null(), "name_prefix": knownvalue.StringExact("office-pbx"),
		}),
		statecheck.ExpectIdentity("daily_pin_dialin_route.meetings", map[string]knownvalue.Check{
			"phone_number": knownvalue.StringExact(pin),
		}),
	}
	importByIdentity := func(addr string) resource.TestStep {
		return resource.TestStep{ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{resourceIdentity},
		Steps: []resource.TestStep{
			{Config: config("https://hooks.example/v1", "Welcome."), ConfigStateChecks: identity},
			{Config: config("https://hooks.example/v2", "Hello."), ConfigStateChecks: identity},
			{RefreshState: true},
			importByIdentity("daily_pinless_dialin_route.number"),
			importByIdentity("daily_pinless_dialin_route.trunk"),
			importByIdentity("daily_pin_dialin_route.meetings"),
			{
				PreConfig: func() {
					for _, array := range []string{client.PinlessDialin, client.PinDialin} {
						if err := setArray(emu, array, nil); err != nil {
							t.Fatal(err)
						}
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config("https://hooks.example/v2", "Hello."),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("daily_pinless_dialin_route.number", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("daily_pinless_dialin_route.trunk", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("daily_pin_dialin_route.meetings", plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: identity,
			},
		},
		CheckDestroy: destroyed(checkArrayKeys(emu, client.PinlessDialin), checkArrayKeys(emu, client.PinDialin)),
	})
}

// The exclusive resources are identified by their domain.
func TestAccDialinExclusive_identity(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	numbers := env.Numbers(t, 2)
	domain := envDomainID(t, env)
	config := func(webhook string) string {
		return fmt.Sprintf(`%s
resource "daily_pinless_dialin" "all" {
  routes = {
    %q = { room_creation_api = %q }
  }
}

resource "daily_pin_dialin" "all" {
  routes = {
    %q = { name_prefix = "meetings" }
  }
}
`, env.ProviderConfig(), numbers[0], webhook, numbers[1])
	}
	identity := []statecheck.StateCheck{
		statecheck.ExpectIdentity("daily_pinless_dialin.all", map[string]knownvalue.Check{"domain_id": knownvalue.StringExact(domain)}),
		statecheck.ExpectIdentity("daily_pin_dialin.all", map[string]knownvalue.Check{"domain_id": knownvalue.StringExact(domain)}),
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{resourceIdentity},
		Steps: []resource.TestStep{
			{Config: config("https://hooks.example/v1"), ConfigStateChecks: identity},
			{Config: config("https://hooks.example/v2"), ConfigStateChecks: identity},
			{RefreshState: true},
			{ResourceName: "daily_pinless_dialin.all", ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{ResourceName: "daily_pin_dialin.all", ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
		},
	})
}

// An identity naming another domain than the API key selects is refused,
// before anything is written.
func TestAccDialinExclusive_identityOfAnotherDomain(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	const other = "00000000-0000-4000-8000-000000000000"
	config := func(array string) string {
		return fmt.Sprintf(`%s
import {
  to = daily_%s.all
  identity = {
    domain_id = %q
  }
}

resource "daily_%s" "all" {
  routes = {}
}
`, env.ProviderConfig(), array, other, array)
	}
	var steps []resource.TestStep
	for _, array := range []string{client.PinlessDialin, client.PinDialin} {
		steps = append(steps, resource.TestStep{
			Config:      config(array),
			ExpectError: errorPattern("Identity names another domain", "The identity names domain "+other, "import with domain_id = "),
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{resourceIdentity},
		Steps:                    steps,
	})
	if env.Emu != nil && env.Emu.Count("POST /") != 0 {
		t.Errorf("refused imports sent %d writes", env.Emu.Count("POST /"))
	}
}

// envDomainID is the id of the domain the environment's API key selects.
func envDomainID(t *testing.T, env *accEnv) string {
	t.Helper()
	dom, err := env.Client(t).GetDomain(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return dom.DomainID
}
