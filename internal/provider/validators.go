package provider

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// stringCheck is a plan-time string validator: check returns nil for an
// acceptable value, or an error that says what is wrong with it.
type stringCheck struct {
	want      string // what the value must be, e.g. "an E.164 phone number"
	hideValue bool   // never echo secrets in diagnostics
	check     func(string) error
}

var _ validator.String = stringCheck{}

func (v stringCheck) Description(context.Context) string { return "value must be " + v.want }

func (v stringCheck) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	err := v.check(value)
	if err == nil {
		return
	}
	got := fmt.Sprintf(", got %q", value)
	if v.hideValue {
		got = ""
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid attribute value",
		fmt.Sprintf("Attribute %s must be %s%s: %s.", req.Path, v.want, got, err))
}

// patternCheck accepts values that match re entirely.
func patternCheck(re *regexp.Regexp, problem string) func(string) error {
	return func(s string) error {
		if !re.MatchString(s) {
			return errors.New(problem)
		}
		return nil
	}
}

var (
	e164Pattern         = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)
	nanpPattern         = regexp.MustCompile(`^\+1[2-9][0-9]{2}[2-9][0-9]{6}$`)
	areaCodePattern     = regexp.MustCompile(`^[2-9][0-9]{2}$`)
	regionPattern       = regexp.MustCompile(`^[A-Z]{2}$`)
	searchDigitsPattern = regexp.MustCompile(`^[0-9]{3,7}$`)
	numberPrefixPattern = regexp.MustCompile(`^\+[1-9][0-9]{0,14}$`)
	hostPattern         = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$`)
)

// e164Validator accepts any E.164 number: "+", then 8 to 15 digits, no leading 0.
func e164Validator() validator.String {
	return stringCheck{
		want:  `an E.164 phone number ("+" then 8 to 15 digits, the first not 0, e.g. "+14155550123")`,
		check: patternCheck(e164Pattern, "not in E.164 form"),
	}
}

// numberPrefixValidator accepts the start of an E.164 number: "+" and 1 to 15
// digits, the first not 0.
func numberPrefixValidator() validator.String {
	return stringCheck{
		want:  `the start of an E.164 phone number ("+" then 1 to 15 digits, the first not 0, e.g. "+1415")`,
		check: patternCheck(numberPrefixPattern, "not the start of an E.164 number"),
	}
}

// hostValidator accepts a host name or IPv4 address, as the host of a URL
// without scheme, port or path.
func hostValidator() validator.String {
	return stringCheck{
		want:  `a host name such as "bots.example.com", without scheme, port or path`,
		check: patternCheck(hostPattern, "not a host name"),
	}
}

// usPhoneNumberValidator accepts the numbers Daily sells: US and Canada, +1 and a valid NANP number.
func usPhoneNumberValidator() validator.String {
	return stringCheck{
		want:  `a US or Canadian number in E.164 form ("+1", then a 10-digit number whose area code and exchange start with 2-9, e.g. "+14155550123")`,
		check: patternCheck(nanpPattern, "Daily sells US and Canadian numbers only"),
	}
}

// areaCodeValidator accepts a 3-digit NANP area code.
func areaCodeValidator() validator.String {
	return stringCheck{
		want:  `a 3-digit area code starting with 2-9 (e.g. "415")`,
		check: patternCheck(areaCodePattern, "not a North American area code"),
	}
}

// regionValidator accepts a two-letter state or province code.
func regionValidator() validator.String {
	return stringCheck{
		want:  `a two-letter US state or Canadian province code in capitals (e.g. "CA")`,
		check: patternCheck(regionPattern, "not a two-letter code"),
	}
}

// searchDigitsValidator accepts what Daily's digit filters take: 3 to 7 digits.
func searchDigitsValidator() validator.String {
	return stringCheck{
		want:  "3 to 7 digits",
		check: patternCheck(searchDigitsPattern, "only digits are allowed, and only that many"),
	}
}

// httpURLValidator accepts absolute http and https URLs with a host.
func httpURLValidator() validator.String {
	return stringCheck{
		want:  `an absolute http or https URL (e.g. "https://example.com/dialin")`,
		check: checkHTTPURL,
	}
}

// dailybotsWebhook is the room_creation_api that routes made for Daily Bots
// hold: not a URL, but Daily takes it back when the array is written.
const dailybotsWebhook = "dailybots"

// webhookValidator accepts what a route's room_creation_api may hold: an
// absolute http or https URL, or dailybotsWebhook as it is.
func webhookValidator() validator.String {
	return stringCheck{
		want: `an absolute http or https URL (e.g. "https://example.com/dialin"), or "` + dailybotsWebhook + `"`,
		check: func(s string) error {
			if s == dailybotsWebhook {
				return nil
			}
			return checkHTTPURL(s)
		},
	}
}

// apiURLValidator applies the client's rule: https, or plain http to a
// loopback host only.
func apiURLValidator() validator.String {
	return stringCheck{
		want:  `an https URL (plain http only for localhost or a loopback address)`,
		check: client.CheckBaseURL,
	}
}

// base64Validator accepts non-empty standard base64, as Daily's hmac secrets are.
func base64Validator() validator.String {
	return stringCheck{
		want:      "a non-empty standard base64 string",
		hideValue: true,
		check: func(s string) error {
			if s == "" {
				return errors.New("it is empty")
			}
			if _, err := base64.StdEncoding.DecodeString(s); err != nil {
				return errors.New("it is not valid standard base64")
			}
			return nil
		},
	}
}

// nonBlankStringValidator accepts strings that are not blank, have no
// surrounding whitespace and have at most maxLen characters.
func nonBlankStringValidator(maxLen int) validator.String {
	return stringCheck{
		want: fmt.Sprintf("a non-blank string of at most %d characters without surrounding whitespace", maxLen),
		check: func(s string) error {
			switch {
			case strings.TrimSpace(s) == "":
				return errors.New("it is blank")
			case strings.TrimSpace(s) != s:
				return errors.New("it has leading or trailing whitespace")
			case utf8.RuneCountInString(s) > maxLen:
				return fmt.Errorf("it has %d characters", utf8.RuneCountInString(s))
			}
			return nil
		},
	}
}

// durationValidator accepts Go duration strings ("30s", "2m") of at least minimum.
func durationValidator(minimum time.Duration) validator.String {
	want := fmt.Sprintf(`a duration such as "30s" or "2m", of at least %s`, minimum)
	if minimum == 0 {
		want = `a non-negative duration such as "100ms" or "0s"`
	}
	return stringCheck{
		want: want,
		check: func(s string) error {
			d, err := time.ParseDuration(s)
			if err != nil {
				return errors.New("it is not a duration (use units ms, s, m or h)")
			}
			if d < minimum {
				return errors.New("it is too short")
			}
			return nil
		},
	}
}

func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return errors.New("it does not parse as a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return errors.New("the scheme must be http or https")
	case u.Hostname() == "":
		return errors.New("it has no host")
	}
	return nil
}
