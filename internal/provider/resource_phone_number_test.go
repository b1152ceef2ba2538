package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
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
				Config:      protected,
				Destroy:     true,
				ExpectError: errorPattern("Phone number is protected from deletion", "Set deletion_protection = false and apply first"),
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
					statecheck.ExpectKnownValue(cityAddress, tfjsonpath.New("number"), knownvalue.StringRegexp(regexp.MustCompile(`^\+1416`))),
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

func TestAccPhoneNumber_releasedOutOfBand(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	config := phoneNumberConfig(env, "")
	var firstID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.CheckPhoneNumbersReleased(t),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(s *terraform.State) error {
					firstID = s.RootModule().Resources[phoneNumberAddress].Primary.ID
					return nil
				},
			},
			{
				PreConfig: func() {
					if !env.Emu.ReleaseOutOfBand(firstID) {
						t.Fatalf("%s was not purchased", firstID)
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(env.checkOwned(t, phoneNumberAddress), env.checkPurchasedCount(1),
					env.PassReleaseHold()),
				ConfigStateChecks: []statecheck.StateCheck{onIdentityCLI(
					statecheck.ExpectIdentityValueMatchesState(phoneNumberAddress, tfjsonpath.New("id")),
					statecheck.ExpectIdentityValue(phoneNumberAddress, tfjsonpath.New("id"), knownvalue.StringFunc(func(id string) error {
						if id == firstID {
							return fmt.Errorf("the number bought again has the released number's identity %s", id)
						}
						return nil
					})),
				)},
			},
		},
	})
}

// Daily refuses releases within 14 days of purchase; the error names the day it will work.
func TestAccPhoneNumber_releaseHold(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	created := env.Emu.Now().Add(-2 * 24 * time.Hour).UTC().Truncate(time.Second)
	seeded := env.Emu.SeedPurchased("+13125550142", created)
	config := env.ProviderConfig() + fmt.Sprintf(`
import {
  to = daily_phone_number.test
  id = %q
}
resource "daily_phone_number" "test" {
  number = %q
}
`, seeded.ID, seeded.Number)
	releasableAt := created.Add(releaseHold).Format(time.RFC3339)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.CheckPhoneNumbersReleased(t),
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{expectString(phoneNumberAddress, "created_date", created.Format(time.RFC3339))},
			},
			{
				Config:      config,
				Destroy:     true,
				ExpectError: errorPattern("Phone number cannot be released yet", "within 14 days of purchase; release will succeed from "+releasableAt),
			},
			{
				PreConfig: func() { env.Emu.Advance(releaseHold) },
				Config:    config,
				Destroy:   true,
			},
		},
	})
}

func TestAccPhoneNumber_dailyErrors(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      phoneNumberConfig(env, `  number = "+12125550100"`),
				ExpectError: errorPattern("Cannot buy phone number", "HTTP 400 invalid-request-error: +12125550100 is not available"),
			},
			{
				Config:      phoneNumberConfig(env, `  areacode = "999"`),
				ExpectError: errorPattern("No phone number for sale matches", `areacode = "999"`),
			},
		},
	})
	if n := len(env.Emu.Purchased()); n != 0 {
		t.Errorf("%d numbers bought after failed buys", n)
	}
}

// A buy whose answer is lost must adopt the number it bought, not buy another.
func TestAccPhoneNumber_buyAnswerLost(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	number := env.availableNumber(t, "415", "+14155550188")
	env.Emu.SetFaults(emulator.Faults{DropRate: 1, Routes: []string{"POST /buy-phone-number"}})
	config := phoneNumberConfig(env, fmt.Sprintf("  number = %q", number)) + `
resource "daily_phone_number" "random" {}
resource "daily_phone_number" "criteria" {
  areacode = "212"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.CheckPhoneNumbersReleased(t),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				expectString(phoneNumberAddress, "number", number),
			},
			Check: resource.ComposeTestCheckFunc(
				env.checkOwned(t, phoneNumberAddress),
				env.checkOwned(t, "daily_phone_number.random"),
				env.checkOwned(t, "daily_phone_number.criteria"),
				env.checkPurchasedCount(3),
				env.checkBuyRequests(3),
				func(*terraform.State) error {
					if env.Emu.FaultStats().Dropped != 3 {
						return fmt.Errorf("fault stats %+v: want every buy dropped", env.Emu.FaultStats())
					}
					return nil
				},
				env.PassReleaseHold(),
			),
		}},
	})
}

func TestAccPhoneNumber_buyServerError(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	env.Emu.SetFaults(emulator.Faults{FailRate: 1, FailStatuses: []int{500}, Routes: []string{"POST /buy-phone-number"}})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      phoneNumberConfig(env, ""),
			ExpectError: errorPattern("buying failed 3 times and Daily lists no new number, so nothing was bought", "HTTP 500"),
		}},
	})
	if n := len(env.Emu.Purchased()); n != 0 {
		t.Errorf("%d numbers bought, want none", n)
	}
	if n := env.Emu.Count("POST /buy-phone-number"); n != maxBuyAttempts {
		t.Errorf("%d buy requests, want %d", n, maxBuyAttempts)
	}
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

func TestPhoneNumberResource_modifyPlanWarnings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := &phoneNumberResource{}
	var schemaResp fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &schemaResp)
	s := schemaResp.Schema
	null := tftypes.NewValue(s.Type().TerraformType(ctx), nil)

	held := func(age time.Duration) phoneNumberModel {
		return phoneNumberModel{
			purchasedPhoneNumberModel: purchasedPhoneNumberModel{
				ID: types.StringValue("id-1"), Number: types.StringValue("+14155550123"),
				Name: types.StringNull(), Type: types.StringValue("purchased_phone_number"),
				Status: types.StringValue("verified"), Verified: types.BoolValue(true),
				CreatedDate: types.StringValue(time.Now().Add(-age).UTC().Format(time.RFC3339)),
			},
			DeletionProtection: types.BoolValue(false),
		}
	}
	raw := func(m *phoneNumberModel) tftypes.Value {
		if m == nil {
			return null
		}
		st := tfsdk.State{Schema: s, Raw: null}
		if diags := st.Set(ctx, m); diags.HasError() {
			t.Fatal(diags)
		}
		return st.Raw
	}
	withNumber := func(m phoneNumberModel, number string) *phoneNumberModel {
		m.Number = types.StringValue(number)
		return &m
	}
	configOnly := func(number types.String) *phoneNumberModel {
		return &phoneNumberModel{purchasedPhoneNumberModel: purchasedPhoneNumberModel{Number: number}}
	}
	young, old := held(2*24*time.Hour), held(30*24*time.Hour)

	cases := []struct {
		name                string
		state, plan, config *phoneNumberModel
		want, wantNot       []string
	}{
		{"create", nil, &young, configOnly(types.StringNull()), nil, nil},
		{"destroy young", &young, nil, nil, []string{"releases +14155550123", "cannot be undone", "refuse the release until"}, nil},
		{"destroy old", &old, nil, nil, []string{"releases +14155550123"}, []string{"refuse"}},
		{"replace", &old, withNumber(old, "+14155550999"), configOnly(types.StringValue("+14155550999")), []string{"releases +14155550123"}, nil},
		{"number unset", &old, &old, configOnly(types.StringNull()), nil, nil},
		{"same number", &old, &old, configOnly(types.StringValue("+14155550123")), nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := fwresource.ModifyPlanRequest{
				State:  tfsdk.State{Schema: s, Raw: raw(c.state)},
				Plan:   tfsdk.Plan{Schema: s, Raw: raw(c.plan)},
				Config: tfsdk.Config{Schema: s, Raw: raw(c.config)},
			}
			resp := fwresource.ModifyPlanResponse{Plan: req.Plan}
			r.ModifyPlan(ctx, req, &resp)
			if resp.Diagnostics.HasError() {
				t.Fatal(resp.Diagnostics)
			}
			warnings := resp.Diagnostics.Warnings()
			if len(c.want) == 0 {
				if len(warnings) != 0 {
					t.Fatalf("unexpected warnings %v", warnings)
				}
				return
			}
			if len(warnings) != 1 {
				t.Fatalf("want one warning, got %v", resp.Diagnostics)
			}
			for _, fragment := range c.want {
				if !strings.Contains(warnings[0].Detail(), fragment) {
					t.Errorf("warning %q lacks %q", warnings[0].Detail(), fragment)
				}
			}
			for _, fragment := range c.wantNot {
				if strings.Contains(warnings[0].Detail(), fragment) {
					t.Errorf("warning %q has %q", warnings[0].Detail(), fragment)
				}
			}
		})
	}
}

// Daily documents other shapes for some answers; the resource must work with all of them.
func TestAccPhoneNumber_responseVariants(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t, emulator.Options{Variants: emulator.Variants{
		AvailableKeyPhoneNumber: true, ReleaseDeletedBody: true, RFC1123Dates: true,
	}})
	env.RequireEmulator(t)
	number := env.availableNumber(t, "415", "+14155550166")
	config := phoneNumberConfig(env, `  ends_with = "0166"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.CheckPhoneNumbersReleased(t),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					expectString(phoneNumberAddress, "number", number),
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("created_date"),
						knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
				},
				Check: resource.ComposeTestCheckFunc(env.checkOwned(t, phoneNumberAddress), env.PassReleaseHold()),
			},
		},
	})
}

// Concurrent buys whose answers are randomly lost must each adopt their own
// number: buys are serialized so that each reconciliation sees one new number.
func TestAccPhoneNumber_concurrentBuysLoseAnswers(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	env.Emu.SetFaults(emulator.Faults{DropRate: 0.5, Routes: []string{"POST /buy-phone-number"}})
	const count = 6
	config := env.ProviderConfig() + fmt.Sprintf(`
resource "daily_phone_number" "many" {
  count = %d
}
`, count)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.CheckPhoneNumbersReleased(t),
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeTestCheckFunc(
				env.checkPurchasedCount(count),
				func(s *terraform.State) error {
					for i := range count {
						if err := env.checkOwned(t, fmt.Sprintf("daily_phone_number.many.%d", i))(s); err != nil {
							return err
						}
					}
					return nil
				},
				env.checkBuyRequests(count),
				env.PassReleaseHold(),
			),
		}},
	})
}

// A buy answered with a server error may or may not have happened: the first
// one below never reaches the emulator and is retried; the second does and is adopted.
func TestAccPhoneNumber_buyServerErrorReconciled(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	var buys atomic.Int32
	proxied := *env
	proxied.URL = interceptingProxy(t, env.URL, func(w http.ResponseWriter, r *http.Request, forward http.Handler) bool {
		if !isBuy(r) {
			return false
		}
		switch buys.Add(1) {
		case 1:
			writeAPIError(w, http.StatusServiceUnavailable, "server-error")
			return true
		case 2:
			forward.ServeHTTP(httptest.NewRecorder(), r)
			writeAPIError(w, http.StatusBadGateway, "server-error")
			return true
		}
		return false
	})
	config := phoneNumberConfig(&proxied, "") + `
resource "daily_phone_number" "second" {}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.CheckPhoneNumbersReleased(t),
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeTestCheckFunc(
				env.checkOwned(t, phoneNumberAddress),
				env.checkOwned(t, "daily_phone_number.second"),
				env.checkPurchasedCount(2),
				env.checkBuyRequests(2),
				env.PassReleaseHold(),
			),
		}},
	})
}

// A number bought but not read back is recorded anyway (not tainted: a
// replacement would release it), and the next refresh fills in its details.
func TestAccPhoneNumber_boughtButNotReadBack(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	var bought, failed atomic.Bool
	proxied := *env
	proxied.URL = interceptingProxy(t, env.URL, func(w http.ResponseWriter, r *http.Request, _ http.Handler) bool {
		if isBuy(r) {
			bought.Store(true)
			return false
		}
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/purchased-phone-numbers") &&
			bought.Load() && failed.CompareAndSwap(false, true) {
			writeAPIError(w, http.StatusBadRequest, "invalid-request-error")
			return true
		}
		return false
	})
	config := phoneNumberConfig(&proxied, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.CheckPhoneNumbersReleased(t),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{emuCheck(func() error {
					if !failed.Load() {
						return errors.New("the read after the buy was not failed: this test proved nothing")
					}
					if n := len(env.Emu.Purchased()); n != 1 {
						return fmt.Errorf("%d numbers purchased, want 1", n)
					}
					return nil
				})},
				Check: env.checkOwned(t, phoneNumberAddress),
			},
			{
				// The refresh before this plan filled in the details: nothing to do.
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectString(phoneNumberAddress, "status", "verified"),
				},
				Check: resource.ComposeTestCheckFunc(env.checkPurchasedCount(1), env.PassReleaseHold()),
			},
		},
	})
}

func isBuy(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/buy-phone-number")
}

func writeAPIError(w http.ResponseWriter, status int, errorType string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"error":%q,"info":"injected by the test proxy"}`, errorType)
}

// interceptingProxy serves the API at target through a local proxy and
// returns the proxy's base URL. intercept may answer a request itself
// (returning true), after forwarding it or not.
func interceptingProxy(t *testing.T, target string, intercept func(w http.ResponseWriter, r *http.Request, forward http.Handler) bool) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	forward := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !intercept(w, r, forward) {
			forward.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + u.Path
}
