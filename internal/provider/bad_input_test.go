package provider

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// Every bad input is refused at plan time, before any call to Daily, with a
// diagnostic that names the attribute and says what is expected.
func TestAccBadInput_rejectedAtPlan(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	provider := env.ProviderConfig()
	providerWith := func(settings string) string {
		return fmt.Sprintf("provider \"daily\" {\n  api_key = %q\n  %s\n}\n", env.Key, settings)
	}
	const dataSource = `data "daily_phone_numbers" "all" {}`
	phone := func(body string) string {
		return provider + "resource \"daily_phone_number\" \"n\" {\n" + body + "\n}\n"
	}
	pinless := func(number, body string) string {
		return provider + fmt.Sprintf("resource \"daily_pinless_dialin_route\" \"r\" {\n  phone_number = %q\n  room_creation_api = \"https://hooks.example/call\"\n%s\n}\n", number, body)
	}
	pinlessHook := func(hook string) string {
		return provider + fmt.Sprintf("resource \"daily_pinless_dialin_route\" \"r\" {\n  phone_number = \"+14155550100\"\n  room_creation_api = %q\n}\n", hook)
	}
	pin := func(number, body string) string {
		return provider + fmt.Sprintf("resource \"daily_pin_dialin_route\" \"r\" {\n  phone_number = %q\n%s\n}\n", number, body)
	}
	exclusive := func(routes string) string {
		return provider + "resource \"daily_pinless_dialin\" \"all\" {\n  routes = {\n" + routes + "\n  }\n}\n"
	}
	long := strings.Repeat("x", 101)

	cases := []struct {
		name   string
		config string
		want   []string // in this order in the error
	}{
		// Provider settings.
		{"api_url ftp", providerWith(`api_url = "ftp://127.0.0.1/v1"`) + dataSource, []string{"Attribute api_url must be an https URL", `scheme must be https, or http for a loopback host; got "ftp"`}},
		{"api_url plain http to a remote host", providerWith(`api_url = "http://api.example.com/v1"`) + dataSource, []string{"Attribute api_url must be", "only for loopback hosts"}},
		{"api_url relative", providerWith(`api_url = "/v1"`) + dataSource, []string{"Attribute api_url must be", "not an absolute URL; it must start with https://"}},
		{"api_url without host", providerWith(`api_url = "https:///v1"`) + dataSource, []string{"Attribute api_url must be", "no host"}},
		{"request_timeout not a duration", providerWith(`request_timeout = "soon"`) + dataSource, []string{"Attribute request_timeout must be a duration", "not a duration"}},
		{"retry_max_duration zero", providerWith(`retry_max_duration = "0s"`) + dataSource, []string{"Attribute retry_max_duration must be a duration", "too short"}},
		{"dialin_batch_window negative", providerWith(`dialin_batch_window = "-1s"`) + dataSource, []string{"Attribute dialin_batch_window must be a non-negative duration", "too short"}},
		{"dialin_batch_window without unit", providerWith(`dialin_batch_window = "10"`) + dataSource, []string{"Attribute dialin_batch_window must be", "not a duration"}},

		// daily_phone_number.
		{"number without +", phone(`number = "4155550123"`), []string{"Attribute number must be a US or Canadian number"}},
		{"number outside US and Canada", phone(`number = "+442071234567"`), []string{"Attribute number must be a US or Canadian number", "Daily sells US and Canadian numbers only"}},
		{"number too short", phone(`number = "+1415555012"`), []string{"Attribute number must be a US or Canadian number"}},
		{"number with letters", phone(`number = "+1415555CALL"`), []string{"Attribute number must be a US or Canadian number"}},
		{"areacode of 2 digits", phone(`areacode = "41"`), []string{"Attribute areacode must be a 3-digit area code"}},
		{"region in lower case", phone(`region = "ca"`), []string{"Attribute region must be a two-letter", "capitals"}},
		{"city without region", phone(`city = "Chicago"`), []string{"Attribute city requires region"}},
		{"city blank", phone(`region = "IL"` + "\n" + `city = ""`), []string{"Attribute city must be a non-blank string"}},
		{"contains of 2 digits", phone(`contains = "12"`), []string{"Attribute contains must be 3 to 7 digits"}},
		{"starts_with of 8 digits", phone(`starts_with = "12345678"`), []string{"Attribute starts_with must be 3 to 7 digits"}},
		{"ends_with not digits", phone(`ends_with = "12a"`), []string{"Attribute ends_with must be 3 to 7 digits"}},
		{"number with criteria", phone(`number = "+14155550123"` + "\n" + `areacode = "415"`), []string{"Attribute areacode cannot be combined with number"}},
		{"starts_with with ends_with", phone(`starts_with = "415"` + "\n" + `ends_with = "123"`), []string{"Attribute starts_with cannot be combined with ends_with"}},
		{"region with areacode", phone(`region = "CA"` + "\n" + `areacode = "415"`), []string{"Attribute region cannot be combined with areacode"}},

		// Per-route resources.
		{"route number not E.164", pinless("4155550100", ""), []string{"Attribute phone_number must be an E.164 phone number", "not in E.164 form"}},
		{"route number with leading 0", pinless("+04155550100", ""), []string{"Attribute phone_number must be an E.164 phone number"}},
		{"webhook ftp", pinlessHook("ftp://hooks.example/call"), []string{"Attribute room_creation_api must be an absolute http or https URL", "scheme must be http or https"}},
		{"webhook relative", pinlessHook("/hooks/call"), []string{"Attribute room_creation_api must be an absolute http or https URL"}},
		{"webhook without host", pinlessHook("https://"), []string{"Attribute room_creation_api must be an absolute http or https URL", "no host"}},
		{"webhook empty", pinlessHook(""), []string{"Attribute room_creation_api must be an absolute http or https URL"}},
		{"hold music not a URL", pinless("+14155550100", `hold_music_url = "hold.mp3"`), []string{"Attribute hold_music_url must be an absolute http or https URL"}},
		{"hmac not base64", pinless("+14155550100", `hmac = "not base64!"`), []string{"Attribute hmac must be a non-empty standard base64 string", "not valid standard base64"}},
		{"hmac empty", pinless("+14155550100", `hmac = ""`), []string{"Attribute hmac must be a non-empty standard base64 string", "empty"}},
		{"name_prefix empty", pinless("+14155550100", `name_prefix = ""`), []string{"Attribute name_prefix must be a non-blank string", "blank"}},
		{"name_prefix too long", pinless("+14155550100", fmt.Sprintf("name_prefix = %q", long)), []string{"Attribute name_prefix must be a non-blank string of at most 100 characters", "it has 101 characters"}},
		{"timeout message too long", pinless("+14155550100", fmt.Sprintf("timeout_config = { message = %q }", strings.Repeat("m", 1001))),
			[]string{"Attribute timeout_config.message must be a non-blank string of at most 1000 characters"}},
		{"pinless route without identity", provider + `resource "daily_pinless_dialin_route" "r" { room_creation_api = "https://hooks.example/call" }`,
			[]string{"Route has no identity", "Set phone_number"}},
		{"pin route number not E.164", pin("555-0100", ""), []string{"Attribute phone_number must be an E.164 phone number"}},
		{"pin name_prefix with spaces", pin("+14155550100", `name_prefix = " lobby"`), []string{"Attribute name_prefix must be a non-blank string", "leading or trailing whitespace"}},
		{"pin greeting blank", pin("+14155550100", `ivr_greeting = { message = "  " }`), []string{"Attribute ivr_greeting.message must be a non-blank string"}},

		// Exclusive resources.
		{"exclusive key not E.164", exclusive(`"4155550100" = { room_creation_api = "https://hooks.example/call" }`),
			[]string{`Attribute routes["4155550100"]`, "E.164"}},
		{"exclusive bad webhook", exclusive(`"+14155550100" = { room_creation_api = "hooks.example/call" }`),
			[]string{`Attribute routes["+14155550100"].room_creation_api must be an absolute http or https URL`}},
		{"exclusive SIP key contradicts name_prefix", exclusive(`"sip:lobby" = { room_creation_api = "https://hooks.example/call", name_prefix = "other" }`),
			[]string{"name_prefix contradicts the route key", `leave name_prefix unset or set it to "lobby"`}},
		{"exclusive pin key not E.164", provider + "resource \"daily_pin_dialin\" \"all\" {\n  routes = { \"sip:lobby\" = {} }\n}\n",
			[]string{`Attribute routes["sip:lobby"]`, "E.164"}},

		// Data sources.
		{"available numbers bad criteria", provider + `data "daily_available_phone_numbers" "n" {
  region   = "CA"
  areacode = "415"
}`, []string{"Attribute region cannot be combined with areacode"}},
	}
	// Without a key anywhere the provider refuses to configure; the test
	// process must not have one in its environment for that case to mean anything.
	if os.Getenv(envAPIKey) == "" {
		cases = append(cases, struct {
			name   string
			config string
			want   []string
		}{"missing api_key", fmt.Sprintf("provider \"daily\" {\n  api_url = %q\n}\n", env.URL) + dataSource,
			[]string{"Missing Daily API key", "Set api_key in the provider", "or the DAILY_API_KEY environment variable"}})
	}

	steps := make([]resource.TestStep, len(cases))
	for i, c := range cases {
		steps[i] = resource.TestStep{Config: c.config, PlanOnly: true, ExpectError: errorPattern(c.want...)}
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
	if env.Emu != nil {
		// Plan-time refusals never reach Daily.
		for key, n := range env.Emu.Counts() {
			t.Errorf("%d requests to %s: a bad input reached Daily", n, key)
		}
	}
	t.Logf("%d bad inputs, each rejected at plan time with a diagnostic naming the attribute", len(cases))
}

// Terraform (1.5 to 1.15) and OpenTofu (1.12) do not refuse a key written
// twice in an object constructor: the last one wins, and the provider only
// ever receives a map, so it cannot tell. This pins that behaviour, which the
// docs describe: a duplicated route silently keeps its last definition.
func TestAccPinlessDialin_duplicateKeyLastWins(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	env.RequireEmulator(t)
	number := seedNumbers(env.Emu, 1)[0]
	config := env.ProviderConfig() + fmt.Sprintf(`
resource "daily_pinless_dialin" "all" {
  routes = {
    %[1]q = { room_creation_api = "https://a.example/call" }
    %[1]q = { room_creation_api = "https://b.example/call" }
  }
}
`, number)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(*terraform.State) error {
				return checkEntry(env.Emu, client.PinlessDialin, number, map[string]any{"room_creation_api": "https://b.example/call"})()
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue("daily_pinless_dialin.all",
					tfjsonpath.New("routes").AtMapKey(number).AtMapKey("room_creation_api"),
					knownvalue.StringExact("https://b.example/call")),
			}},
		}},
	})
}
