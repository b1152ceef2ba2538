package provider

import (
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

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// Buying a daily_phone_number when Daily refuses, answers in other shapes,
// or loses answers: no number is lost and none is bought twice.

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
