package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// testAccProtoV6ProviderFactories runs the provider inside the test process,
// so that tests can reach an in-process emulator and inspect it.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"daily": providerserver.NewProtocol6WithError(New("test")()),
}

// accEnv is the Daily API an acceptance test runs against: a fresh emulator
// of its own, or the live API when DAILY_ACC_LIVE=1 and DAILY_API_KEY are set
// (then Emu is nil).
type accEnv struct {
	Emu *emulator.Emulator
	URL string
	Key string
}

func newAccEnv(t *testing.T) *accEnv {
	t.Helper()
	if os.Getenv("DAILY_ACC_LIVE") == "1" && os.Getenv(envAPIKey) != "" {
		url := os.Getenv(envAPIURL)
		if url == "" {
			url = client.DefaultBaseURL
		}
		return &accEnv{URL: url, Key: os.Getenv(envAPIKey)}
	}
	emu := emulator.New(emulator.Options{})
	url := emu.StartServer()
	t.Cleanup(emu.Close)
	return &accEnv{Emu: emu, URL: url, Key: emu.APIKey()}
}

// ProviderConfig is the provider block that targets this environment.
func (e *accEnv) ProviderConfig() string {
	return fmt.Sprintf("provider \"daily\" {\n  api_url = %q\n  api_key = %q\n}\n", e.URL, e.Key)
}

// RequireEmulator skips tests that need to control the API out of band.
func (e *accEnv) RequireEmulator(t *testing.T) {
	t.Helper()
	if e.Emu == nil {
		t.Skip("needs the emulator: runs only without DAILY_ACC_LIVE")
	}
}

// RequireBuying skips tests that buy numbers on the live API unless
// DAILY_ACC_LIVE_BUY=1: live numbers cost money and stay for 14 days.
func (e *accEnv) RequireBuying(t *testing.T) {
	t.Helper()
	if e.Emu == nil && os.Getenv("DAILY_ACC_LIVE_BUY") != "1" {
		t.Skip("buys phone numbers: set DAILY_ACC_LIVE_BUY=1 to run it against the live API")
	}
}

// Client is an API client for out-of-band checks that work in both modes.
func (e *accEnv) Client(t *testing.T) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{BaseURL: e.URL, APIKey: e.Key})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// PassReleaseHold moves the emulator clock past Daily's 14-day release hold,
// so that the numbers a test bought can be released by its final destroy.
func (e *accEnv) PassReleaseHold() resource.TestCheckFunc {
	return func(*terraform.State) error {
		if e.Emu != nil {
			e.Emu.Advance(releaseHold + 24*time.Hour)
		}
		return nil
	}
}

// CheckPhoneNumbersReleased is a CheckDestroy that fails if any
// daily_phone_number of the pre-destroy state is still purchased.
func (e *accEnv) CheckPhoneNumbersReleased(t *testing.T) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		owned, err := e.Client(t).ListPurchasedNumbers(context.Background(), client.PurchasedFilter{})
		if err != nil {
			return err
		}
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "daily_phone_number" {
				continue
			}
			for _, n := range owned {
				if n.ID == rs.Primary.ID {
					return fmt.Errorf("%s (%s) is still purchased after destroy", n.Number, n.ID)
				}
			}
		}
		return nil
	}
}

func TestAccProvider_invalidSettings(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	dataSource := `data "daily_phone_numbers" "all" {}`
	steps := []struct {
		settings string
		want     string
	}{
		{`api_url = "http://api.example.com/v1"`, `(?s)api_url.*loopback`},
		{`api_url = "ftp://127.0.0.1/v1"`, `(?s)api_url.*http or https`},
		{`request_timeout = "soon"`, `(?s)request_timeout.*duration`},
		{`retry_max_duration = "-1s"`, `(?s)retry_max_duration.*too short`},
		{`dialin_batch_window = "10"`, `(?s)dialin_batch_window.*duration`},
	}
	var testSteps []resource.TestStep
	for _, s := range steps {
		testSteps = append(testSteps, resource.TestStep{
			Config:      fmt.Sprintf("provider \"daily\" {\n  api_key = %q\n  %s\n}\n%s", env.Key, s.settings, dataSource),
			ExpectError: regexp.MustCompile(s.want),
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: testSteps})
}

func TestAccProvider_unknownSetting(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "terraform_data" "key" {
  input = %q
}
provider "daily" {
  api_url = %q
  api_key = terraform_data.key.output
}
data "daily_phone_numbers" "all" {}
`, env.Key, env.URL),
			ExpectError: regexp.MustCompile(`(?s)Unknown Daily provider setting.*api_key depends on a value`),
		}},
	})
}

// Not parallel: it sets environment variables of the whole test process.
func TestAccProvider_environmentFallback(t *testing.T) {
	env := newAccEnv(t)
	env.RequireEmulator(t)
	t.Setenv(envAPIURL, env.URL)
	t.Setenv(envAPIKey, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      `data "daily_phone_numbers" "all" {}`,
				ExpectError: regexp.MustCompile(`(?s)Missing Daily API key.*api_key.*DAILY_API_KEY`),
			},
			{
				PreConfig: func() { t.Setenv(envAPIKey, env.Key) },
				Config:    `data "daily_phone_numbers" "all" {}`,
			},
			{
				PreConfig:   func() { t.Setenv(envAPIKey, "wrong-key") },
				Config:      `data "daily_phone_numbers" "all" {}`,
				ExpectError: regexp.MustCompile(`401`),
			},
		},
	})
}
