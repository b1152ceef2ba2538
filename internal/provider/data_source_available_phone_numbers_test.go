package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

func TestAccAvailablePhoneNumbersDataSource(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	env.Emu.AddAvailable(emulator.AvailableNumber{Number: "+14155557788", Region: "CA", City: "San Francisco"})
	config := env.ProviderConfig() + `
data "daily_available_phone_numbers" "ends" {
  ends_with = "7788"
}
data "daily_available_phone_numbers" "city" {
  region = "ON"
  city   = "Toronto"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.daily_available_phone_numbers.ends", tfjsonpath.New("numbers").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"number": knownvalue.StringExact("+14155557788"),
					"region": knownvalue.StringExact("CA"),
				})),
				statecheck.ExpectKnownValue("data.daily_available_phone_numbers.city", tfjsonpath.New("numbers").AtSliceIndex(0).AtMapKey("number"),
					knownvalue.StringRegexp(regexp.MustCompile(`^\+1(416|647|437)`))),
				statecheck.ExpectKnownValue("data.daily_available_phone_numbers.city", tfjsonpath.New("numbers").AtSliceIndex(0).AtMapKey("region"),
					knownvalue.StringExact("ON")),
			},
		}},
	})
}

func TestAccAvailablePhoneNumbersDataSource_invalidCriteria(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.ProviderConfig() + `data "daily_available_phone_numbers" "x" { city = "Toronto" }`,
				ExpectError: errorPattern("Attribute city requires region"),
			},
			{
				Config:      env.ProviderConfig() + `data "daily_available_phone_numbers" "x" { contains = "55" }`,
				ExpectError: errorPattern("Attribute contains must be 3 to 7 digits"),
			},
		},
	})
}
