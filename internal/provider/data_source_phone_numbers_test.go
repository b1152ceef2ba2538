package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccPhoneNumbersDataSource_allPages(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	created := env.Emu.Now().Add(-30 * 24 * time.Hour).UTC().Truncate(time.Second)
	const seeded = 120 // more than two pages of 50
	for i := range seeded {
		env.Emu.SeedPurchased(fmt.Sprintf("+1303555%04d", i), created)
	}
	target := env.Emu.Purchased()[17]

	config := env.ProviderConfig() + fmt.Sprintf(`
data "daily_phone_numbers" "all" {}
data "daily_phone_numbers" "one" {
  number = %q
}
data "daily_phone_numbers" "named" {
  name = "Acme"
}
`, target.Number)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.daily_phone_numbers.all", tfjsonpath.New("phone_numbers"), knownvalue.ListSizeExact(seeded)),
				statecheck.ExpectKnownValue("data.daily_phone_numbers.one", tfjsonpath.New("phone_numbers"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":           knownvalue.StringExact(target.ID),
						"number":       knownvalue.StringExact(target.Number),
						"name":         knownvalue.Null(),
						"type":         knownvalue.StringExact("purchased_phone_number"),
						"status":       knownvalue.StringExact("verified"),
						"verified":     knownvalue.Bool(true),
						"created_date": knownvalue.StringExact(created.Format(time.RFC3339)),
					}),
				})),
				statecheck.ExpectKnownValue("data.daily_phone_numbers.named", tfjsonpath.New("phone_numbers"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

func TestAccPhoneNumbersDataSource_invalidFilter(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.ProviderConfig() + `data "daily_phone_numbers" "x" { number = "4155550123" }`,
			ExpectError: errorPattern("Attribute number must be an E.164 phone number"),
		}},
	})
}
