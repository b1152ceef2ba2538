package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// testAccProtoV6ProviderFactories runs the provider inside the test process,
// so that tests can reach an in-process emulator and inspect it.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"daily": func() (tfprotov6.ProviderServer, error) { return newTestServer(), nil },
}

// accEnv is the Daily API an acceptance test runs against: a fresh emulator
// of its own, or the live API when DAILY_ACC_LIVE=1 and DAILY_API_KEY are set
// (then Emu is nil).
type accEnv struct {
	Emu *emulator.Emulator
	URL string
	Key string
}

// liveDomain serializes live tests: they share one domain and its dial-in arrays.
var liveDomain sync.Mutex

// newAccEnv starts the environment; opts (at most one) configures the emulator.
func newAccEnv(t *testing.T, opts ...emulator.Options) *accEnv {
	t.Helper()
	if os.Getenv("DAILY_ACC_LIVE") == "1" && os.Getenv(envAPIKey) != "" {
		liveDomain.Lock()
		t.Cleanup(liveDomain.Unlock)
		url := os.Getenv(envAPIURL)
		if url == "" {
			url = client.DefaultBaseURL
		}
		env := &accEnv{URL: url, Key: os.Getenv(envAPIKey)}
		// Each live test starts from empty dial-in arrays, as each emulator does.
		env.clearDialin(t)
		t.Cleanup(func() {
			// The test's last writes may still owe their confirming reads,
			// which would write again into the next test's arrays.
			finishWrites()
			env.clearDialin(t)
		})
		return env
	}
	var options emulator.Options
	if len(opts) > 0 {
		options = opts[0]
	}
	// The readings a test leaves unset come from DAILY_EMULATOR_*, so that
	// a whole run can face another reading of what Daily does not document.
	options, err := emulator.OptionsFromEnv(options)
	if err != nil {
		t.Fatal(err)
	}
	emu := emulator.New(options)
	url := emu.StartServer()
	t.Cleanup(emu.Close)
	return &accEnv{Emu: emu, URL: url, Key: emu.APIKey()}
}

func (e *accEnv) clearDialin(t *testing.T) {
	t.Helper()
	c := e.Client(t)
	empty := map[string][]json.RawMessage{client.PinlessDialin: {}, client.PinDialin: {}}
	if _, err := c.SetDialinArrays(context.Background(), empty); err != nil {
		t.Fatalf("clearing the live domain's dial-in config: %v", err)
	}
	// Config objects too, where they are a store of their own.
	objects, err := c.ListDialinConfigs(context.Background(), client.DialinConfigFilter{})
	if err != nil {
		t.Fatalf("listing the live domain's dial-in config objects: %v", err)
	}
	for _, o := range objects {
		if err := c.DeleteDialinConfig(context.Background(), o.ID); err != nil && !client.IsNotFound(err) {
			t.Fatalf("deleting the live domain's dial-in config object %s: %v", o.ID, err)
		}
	}
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

// RunBuyingTest runs a test case that buys numbers (after RequireBuying).
//
// On the emulator it runs tc as it is: the post-test destroy releases every
// number it bought (a step has moved the emulator's clock past the release
// hold, see PassReleaseHold), which proves that releasing works.
//
// On the live API, Daily refuses to release a number within 14 days of
// purchase, so that destroy would fail. A last step forgets every
// daily_phone_number of the configuration with `removed` blocks (lifecycle
// { destroy = false }), so the destroy leaves the numbers alone; every number
// the test bought is logged, and listed again at the end of the run, to be
// released once the hold is over.
func (e *accEnv) RunBuyingTest(t *testing.T, tc resource.TestCase) {
	t.Helper()
	if e.Emu != nil {
		resource.Test(t, tc)
		return
	}
	tc.TerraformVersionChecks = append(tc.TerraformVersionChecks, removedBlocksForget)
	before := map[string]bool{}
	for _, n := range e.purchased(t) {
		before[n.ID] = true
	}
	// Runs after the post-test destroy, and before the next live test starts.
	t.Cleanup(func() {
		for _, n := range e.purchased(t) {
			if !before[n.ID] {
				releasableAt := n.CreatedDate.Add(releaseHold).UTC().Format(time.RFC3339)
				t.Logf("bought %s (id %s); release it from %s", n.Number, n.ID, releasableAt)
				liveBuys.add(fmt.Sprintf("%s  id %s  releasable from %s  (%s)", n.Number, n.ID, releasableAt, t.Name()))
			}
		}
	})
	var forget strings.Builder
	forget.WriteString(e.ProviderConfig())
	for _, name := range phoneNumberResources(tc.Steps) {
		fmt.Fprintf(&forget, "\nremoved {\n  from = daily_phone_number.%s\n  lifecycle {\n    destroy = false\n  }\n}\n", name)
	}
	tc.Steps = append(tc.Steps, resource.TestStep{Config: forget.String()})
	resource.Test(t, tc)
}

func (e *accEnv) purchased(t *testing.T) []client.PurchasedNumber {
	t.Helper()
	owned, err := e.Client(t).ListPurchasedNumbers(context.Background(), client.PurchasedFilter{})
	if err != nil {
		t.Errorf("listing the live domain's numbers: %v", err)
	}
	return owned
}

// phoneNumberResources lists the names of the daily_phone_number resources
// that any step declares.
func phoneNumberResources(steps []resource.TestStep) []string {
	var names []string
	for _, step := range steps {
		for _, m := range phoneNumberBlock.FindAllStringSubmatch(step.Config, -1) {
			names = append(names, m[1])
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

var phoneNumberBlock = regexp.MustCompile(`resource\s+"daily_phone_number"\s+"([^"]+)"`)

// liveBuys collects the numbers that live tests bought and left behind.
var liveBuys buyLog

type buyLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *buyLog) add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, line)
}

// reportLiveBuys lists, at the end of a live run, every number the tests
// bought: Daily releases none of them before 14 days have passed.
func reportLiveBuys(w io.Writer) {
	liveBuys.mu.Lock()
	defer liveBuys.mu.Unlock()
	if len(liveBuys.lines) == 0 {
		return
	}
	fmt.Fprintf(w, "\nLive tests bought %d phone numbers. Daily refuses to release a number within 14 days of purchase;\n"+
		"release each one after that (DELETE /release-phone-number/<id>, or import it and terraform destroy):\n", len(liveBuys.lines))
	for _, line := range liveBuys.lines {
		fmt.Fprintf(w, "  %s\n", line)
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

// errorPattern matches an error holding parts in this order, however Terraform wraps its lines.
func errorPattern(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, part := range parts {
		quoted[i] = strings.Join(strings.Fields(regexp.QuoteMeta(part)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

func TestAccProvider_invalidSettings(t *testing.T) {
	t.Parallel()
	env := newAccEnv(t)
	dataSource := `data "daily_phone_numbers" "all" {}`
	steps := []struct {
		settings string
		want     []string
	}{
		{`api_url = "http://api.example.com/v1"`, []string{"Attribute api_url must be", "only for loopback hosts"}},
		{`api_url = "ftp://127.0.0.1/v1"`, []string{"Attribute api_url must be", `the scheme must be https, or http for a loopback host; got "ftp"`}},
		{`request_timeout = "soon"`, []string{"Attribute request_timeout must be a duration", "it is not a duration"}},
		{`retry_max_duration = "0s"`, []string{"Attribute retry_max_duration must be a duration", "of at least 1ms", "too short"}},
		{`dialin_batch_window = "10"`, []string{"Attribute dialin_batch_window must be a non-negative duration", "not a duration"}},
	}
	var testSteps []resource.TestStep
	for _, s := range steps {
		testSteps = append(testSteps, resource.TestStep{
			Config:      fmt.Sprintf("provider \"daily\" {\n  api_key = %q\n  %s\n}\n%s", env.Key, s.settings, dataSource),
			ExpectError: errorPattern(s.want...),
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
			ExpectError: errorPattern("Unknown Daily provider setting", "api_key depends on a value that is only known after apply"),
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
				ExpectError: errorPattern("Missing Daily API key", "Set api_key in the provider", "or the DAILY_API_KEY environment variable"),
			},
			{
				PreConfig: func() { t.Setenv(envAPIKey, env.Key) },
				Config:    `data "daily_phone_numbers" "all" {}`,
			},
			{
				PreConfig:   func() { t.Setenv(envAPIURL, "http://api.example.com/v1") },
				Config:      `data "daily_phone_numbers" "all" {}`,
				ExpectError: errorPattern("Invalid Daily API URL", "DAILY_API_URL", "only for loopback hosts"),
			},
			{
				PreConfig:   func() { t.Setenv(envAPIURL, env.URL); t.Setenv(envAPIKey, "wrong-key") },
				Config:      `data "daily_phone_numbers" "all" {}`,
				ExpectError: errorPattern("HTTP 401 authentication-error"),
			},
		},
	})
}
