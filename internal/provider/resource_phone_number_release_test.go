package provider

import (
	"context"
	"fmt"
	"strings"
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
)

// Releasing a daily_phone_number: a number gone out of band, the 14-day
// hold, and the warnings planned before a release.

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
