package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

const phoneNumberAddress = "daily_phone_number.test"

// phoneNumberConfig is the provider block plus daily_phone_number.test with body.
func phoneNumberConfig(env *accEnv, body string) string {
	return env.ProviderConfig() + "resource \"daily_phone_number\" \"test\" {\n" + body + "\n}\n"
}

// availableNumber returns a number for sale in areacode: a fixed one added
// to the emulator, or the first one the live API offers.
func (e *accEnv) availableNumber(t *testing.T, areacode, number string) string {
	t.Helper()
	if e.Emu != nil {
		e.Emu.AddAvailable(emulator.AvailableNumber{Number: number, Region: "CA", City: "San Francisco"})
		return number
	}
	found, err := e.Client(t).ListAvailableNumbers(context.Background(), client.NumberSearch{Areacode: areacode})
	if err != nil || len(found) == 0 {
		t.Fatalf("no live number for sale in %s: %v", areacode, err)
	}
	return found[0].Number
}

// checkOwned verifies through the API that the domain owns the number that
// resourceName holds in its state, under the same id.
func (e *accEnv) checkOwned(t *testing.T, resourceName string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[resourceName]
		if !ok {
			return fmt.Errorf("%s not in state", resourceName)
		}
		number := rs.Primary.Attributes["number"]
		owned, err := e.Client(t).ListPurchasedNumbers(context.Background(), client.PurchasedFilter{Number: number})
		if err != nil {
			return err
		}
		for _, n := range owned {
			if n.Number == number && n.ID == rs.Primary.ID {
				return nil
			}
		}
		return fmt.Errorf("the domain does not own %s with id %s", number, rs.Primary.ID)
	}
}

// checkPurchasedCount verifies how many numbers the emulator's domain owns.
func (e *accEnv) checkPurchasedCount(want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(e.Emu.Purchased()); got != want {
			return fmt.Errorf("emulator has %d purchased numbers, want %d: %+v", got, want, e.Emu.Purchased())
		}
		return nil
	}
}

// checkBuyRequests verifies how many buy requests reached the emulator.
func (e *accEnv) checkBuyRequests(want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := e.Emu.Count("POST /buy-phone-number"); n != want {
			return fmt.Errorf("emulator saw %d buy requests, want %d", n, want)
		}
		return nil
	}
}

func expectString(address, attribute, want string) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(address, tfjsonpath.New(attribute), knownvalue.StringExact(want))
}

func TestAccPhoneNumber_exactNumberLifecycle(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireBuying(t)
	number := env.availableNumber(t, "415", "+14155550123")
	config := phoneNumberConfig(env, fmt.Sprintf("  number = %q", number))
	protected := phoneNumberConfig(env, fmt.Sprintf("  number = %q\n  deletion_protection = true", number))
	update := func() resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
		}}
	}

	env.RunBuyingTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.CheckPhoneNumbersReleased(t),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectString(phoneNumberAddress, "number", number),
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("id"), knownvalue.NotNull()),
					expectString(phoneNumberAddress, "type", "purchased_phone_number"),
					expectString(phoneNumberAddress, "status", "verified"),
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("verified"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("name"), knownvalue.Null()),
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("deletion_protection"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("created_date"),
						knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
				},
				Check: env.checkOwned(t, phoneNumberAddress),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{Config: config, ResourceName: phoneNumberAddress, ImportState: true, ImportStateVerify: true},
			{Config: config, ResourceName: phoneNumberAddress, ImportState: true, ImportStateVerify: true, ImportStateId: number},
			{Config: config, ResourceName: phoneNumberAddress, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: number},
			{
				Config: config, ResourceName: phoneNumberAddress, ImportState: true, ImportStateId: "+12125550199",
				ExpectError: errorPattern("The Daily domain has not purchased +12125550199"),
			},
			{
				Config:            protected,
				ConfigPlanChecks:  update(),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true))},
			},
			{
				Config:  protected,
				Destroy: true,
				// Refused at plan time: nothing is destroyed (see TestAccPhoneNumber_protectedWithItsRoute).
				ExpectError: errorPattern("Phone number is protected from deletion", "This plan destroys the daily_phone_number "+number,
					"set deletion_protection = false and apply first"),
			},
			{
				Config:           config,
				ConfigPlanChecks: update(),
				Check:            resource.ComposeTestCheckFunc(env.checkOwned(t, phoneNumberAddress), env.PassReleaseHold()),
			},
		},
	})
}

func TestAccPhoneNumber_criteria(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireBuying(t)
	number := env.availableNumber(t, "415", "+14155550177")
	byAreacode := phoneNumberConfig(env, `  areacode = "415"`)
	byStartsWith := phoneNumberConfig(env, `  starts_with = "4155"`)
	const cityAddress = "daily_phone_number.city"
	withCity := byStartsWith + `
resource "daily_phone_number" "city" {
  region = "ON"
  city   = "Toronto"
}
`
	env.RunBuyingTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.CheckPhoneNumbersReleased(t),
		Steps: []resource.TestStep{
			{
				Config: byAreacode,
				ConfigStateChecks: []statecheck.StateCheck{
					expectString(phoneNumberAddress, "number", number),
					expectString(phoneNumberAddress, "areacode", "415"),
				},
				Check: env.checkOwned(t, phoneNumberAddress),
			},
			{
				Config: byAreacode,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{
				// Criteria only matter when buying: changing them keeps the number.
				Config: withCity,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(cityAddress, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectString(phoneNumberAddress, "number", number),
					expectString(phoneNumberAddress, "starts_with", "4155"),
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("areacode"), knownvalue.Null()),
					statecheck.ExpectKnownValue(cityAddress, tfjsonpath.New("number"), knownvalue.StringRegexp(regexp.MustCompile(`^\+1(416|647|437)`))),
				},
				Check: resource.ComposeTestCheckFunc(env.checkOwned(t, phoneNumberAddress), env.checkOwned(t, cityAddress)),
			},
			{
				Config: withCity, ResourceName: phoneNumberAddress, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"starts_with"},
			},
			{Config: withCity, Check: env.PassReleaseHold()},
		},
	})
}

func TestAccPhoneNumber_random(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireBuying(t)
	config := phoneNumberConfig(env, "")
	env.RunBuyingTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.CheckPhoneNumbersReleased(t),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("number"), knownvalue.StringRegexp(nanpPattern)),
				},
				Check: env.checkOwned(t, phoneNumberAddress),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{Config: config, ResourceName: phoneNumberAddress, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
			{Config: config, Check: env.PassReleaseHold()},
		},
	})
}

// A number is replaced only when a configured number changes to another one.
func TestAccPhoneNumber_numberChange(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	first := env.availableNumber(t, "415", "+14155550111")
	second := env.availableNumber(t, "415", "+14155550222")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.CheckPhoneNumbersReleased(t),
		Steps: []resource.TestStep{
			{Config: phoneNumberConfig(env, fmt.Sprintf("  number = %q", first))},
			{
				Config: phoneNumberConfig(env, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectString(phoneNumberAddress, "number", first)},
			},
			{
				PreConfig: func() { env.Emu.Advance(releaseHold + time.Hour) },
				Config:    phoneNumberConfig(env, fmt.Sprintf("  number = %q", second)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{expectString(phoneNumberAddress, "number", second)},
				Check: resource.ComposeTestCheckFunc(env.checkOwned(t, phoneNumberAddress), env.checkPurchasedCount(1),
					env.PassReleaseHold()),
			},
		},
	})
}

func TestAccPhoneNumber_invalidConfig(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	cases := []struct {
		body string
		want string
	}{
		{`number = "+442071234567"`, `number must be a US or Canadian number`},
		{`number = "+11235550100"`, `number must be a US or Canadian number`},
		{`areacode = "12"`, `areacode must be a 3-digit area code`},
		{`region = "California"`, `region must be a two-letter`},
		{`region = "CA"` + "\n" + `city = " "`, `city must be a non-blank string`},
		{`contains = "12"`, `contains must be 3 to 7 digits`},
		{`starts_with = "12345678"`, `starts_with must be 3 to 7 digits`},
		{`ends_with = "12a"`, `ends_with must be 3 to 7 digits`},
		{`number = "+14155550123"` + "\n" + `areacode = "415"`, `areacode cannot be combined with number`},
		{`region = "CA"` + "\n" + `areacode = "415"`, `region cannot be combined with areacode`},
		{`city = "Chicago"`, `city requires region`},
		{`region = "IL"` + "\n" + `city = "Chicago"` + "\n" + `starts_with = "312"`, `city cannot be combined with starts_with`},
		{`starts_with = "415"` + "\n" + `ends_with = "123"`, `starts_with cannot be combined with ends_with`},
		{`ends_with = "123"` + "\n" + `contains = "555"`, `ends_with cannot be combined with contains`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      phoneNumberConfig(env, c.body),
			PlanOnly:    true,
			ExpectError: errorPattern("Attribute " + c.want),
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
}
