package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestStringValidators(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		validator validator.String
		value     string
		problem   string // "" when the value is valid
	}{
		{"e164 US", e164Validator(), "+14155550123", ""},
		{"e164 UK", e164Validator(), "+442071234567", ""},
		{"e164 shortest", e164Validator(), "+12345678", ""},
		{"e164 longest", e164Validator(), "+123456789012345", ""},
		{"e164 too short", e164Validator(), "+1234567", "not in E.164 form"},
		{"e164 too long", e164Validator(), "+1234567890123456", "not in E.164 form"},
		{"e164 leading zero", e164Validator(), "+0412345678", "not in E.164 form"},
		{"e164 no plus", e164Validator(), "14155550123", "not in E.164 form"},
		{"e164 spaces", e164Validator(), "+1 415 555 0123", "not in E.164 form"},

		{"prefix country code", numberPrefixValidator(), "+1", ""},
		{"prefix area code", numberPrefixValidator(), "+1415", ""},
		{"prefix whole number", numberPrefixValidator(), "+14155550123", ""},
		{"prefix no plus", numberPrefixValidator(), "1415", "not the start of an E.164 number"},
		{"prefix plus alone", numberPrefixValidator(), "+", "not the start of an E.164 number"},
		{"prefix leading zero", numberPrefixValidator(), "+0", "not the start of an E.164 number"},
		{"prefix too long", numberPrefixValidator(), "+1234567890123456", "not the start of an E.164 number"},

		{"host", hostValidator(), "bots.example.com", ""},
		{"host single label", hostValidator(), "localhost", ""},
		{"host ipv4", hostValidator(), "127.0.0.1", ""},
		{"host url", hostValidator(), "https://bots.example.com", "not a host name"},
		{"host port", hostValidator(), "bots.example.com:8443", "not a host name"},
		{"host path", hostValidator(), "bots.example.com/dialin", "not a host name"},
		{"host trailing dot", hostValidator(), "bots.example.com.", "not a host name"},

		{"us number", usPhoneNumberValidator(), "+14155550123", ""},
		{"us canada", usPhoneNumberValidator(), "+14165550123", ""},
		{"us other country", usPhoneNumberValidator(), "+442071234567", "US and Canadian numbers only"},
		{"us area code 1", usPhoneNumberValidator(), "+11155550123", "US and Canadian numbers only"},
		{"us exchange 0", usPhoneNumberValidator(), "+14150550123", "US and Canadian numbers only"},
		{"us nine digits", usPhoneNumberValidator(), "+1415555012", "US and Canadian numbers only"},

		{"areacode", areaCodeValidator(), "415", ""},
		{"areacode leading 1", areaCodeValidator(), "115", "not a North American area code"},
		{"areacode 4 digits", areaCodeValidator(), "4155", "not a North American area code"},
		{"region", regionValidator(), "CA", ""},
		{"region lower", regionValidator(), "ca", "not a two-letter code"},
		{"region long", regionValidator(), "CAL", "not a two-letter code"},

		{"digits 3", searchDigitsValidator(), "555", ""},
		{"digits 7", searchDigitsValidator(), "5550123", ""},
		{"digits 2", searchDigitsValidator(), "55", "only digits"},
		{"digits 8", searchDigitsValidator(), "55501234", "only digits"},
		{"digits letter", searchDigitsValidator(), "55a", "only digits"},

		{"url https", httpURLValidator(), "https://example.com/dialin?x=1", ""},
		{"url dailybots", httpURLValidator(), "dailybots", "scheme must be http or https"},
		{"webhook https", webhookValidator(), "https://example.com/dialin", ""},
		{"webhook dailybots", webhookValidator(), "dailybots", ""},
		{"webhook Dailybots", webhookValidator(), "Dailybots", "scheme must be http or https"},
		{"webhook relative", webhookValidator(), "/dialin", "scheme must be http or https"},
		{"url http", httpURLValidator(), "http://example.com", ""},
		{"url relative", httpURLValidator(), "/dialin", "scheme must be http or https"},
		{"url ftp", httpURLValidator(), "ftp://example.com", "scheme must be http or https"},
		{"url no host", httpURLValidator(), "https:///path", "no host"},
		{"url bad", httpURLValidator(), "https://exa mple.com", "does not parse"},

		{"api url https", apiURLValidator(), "https://api.daily.co/v1", ""},
		{"api url localhost", apiURLValidator(), "http://localhost:8080/v1", ""},
		{"api url ipv4 loopback", apiURLValidator(), "http://127.0.0.1:8080/v1", ""},
		{"api url ipv6 loopback", apiURLValidator(), "http://[::1]:8080/v1", ""},
		{"api url remote http", apiURLValidator(), "http://api.daily.co/v1", "only for loopback hosts"},

		{"base64", base64Validator(), "c2VjcmV0", ""},
		{"base64 empty", base64Validator(), "", "empty"},
		{"base64 url alphabet", base64Validator(), "a-_b", "not valid standard base64"},
		{"base64 unpadded", base64Validator(), "c2VjcmV", "not valid standard base64"},

		{"text", nonBlankStringValidator(5), "hello", ""},
		{"text blank", nonBlankStringValidator(5), "   ", "blank"},
		{"text padded", nonBlankStringValidator(5), " hi", "leading or trailing whitespace"},
		{"text long", nonBlankStringValidator(5), "hello!", "6 characters"},
		{"text runes", nonBlankStringValidator(5), "héllo", ""},

		{"duration", durationValidator(0), "100ms", ""},
		{"duration zero", durationValidator(0), "0s", ""},
		{"duration negative", durationValidator(0), "-1s", "too short"},
		{"duration below minimum", durationValidator(time.Millisecond), "0s", "too short"},
		{"duration no unit", durationValidator(0), "30", "not a duration"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			req := validator.StringRequest{Path: path.Root("attr"), ConfigValue: types.StringValue(c.value)}
			var resp validator.StringResponse
			c.validator.ValidateString(context.Background(), req, &resp)
			if c.problem == "" {
				if resp.Diagnostics.HasError() {
					t.Fatalf("%q rejected: %v", c.value, resp.Diagnostics)
				}
				return
			}
			if resp.Diagnostics.ErrorsCount() != 1 {
				t.Fatalf("%q: want one error, got %v", c.value, resp.Diagnostics)
			}
			d := resp.Diagnostics.Errors()[0]
			if !strings.HasPrefix(d.Detail(), "Attribute attr must be ") || !strings.Contains(d.Detail(), c.problem) {
				t.Errorf("%q: detail %q should name the attribute and say %q", c.value, d.Detail(), c.problem)
			}
		})
	}
}

func TestStringValidators_skipNullAndUnknown(t *testing.T) {
	t.Parallel()
	for _, value := range []types.String{types.StringNull(), types.StringUnknown()} {
		var resp validator.StringResponse
		e164Validator().ValidateString(context.Background(), validator.StringRequest{Path: path.Root("attr"), ConfigValue: value}, &resp)
		if resp.Diagnostics.HasError() {
			t.Errorf("%v: %v", value, resp.Diagnostics)
		}
	}
}

func TestBase64Validator_hidesValue(t *testing.T) {
	t.Parallel()
	var resp validator.StringResponse
	base64Validator().ValidateString(context.Background(), validator.StringRequest{Path: path.Root("hmac"), ConfigValue: types.StringValue("not-base64-secret!")}, &resp)
	if !resp.Diagnostics.HasError() || strings.Contains(resp.Diagnostics.Errors()[0].Detail(), "secret") {
		t.Fatalf("want an error that does not echo the secret, got %v", resp.Diagnostics)
	}
}

func TestSearchCombinationProblems(t *testing.T) {
	t.Parallel()
	cases := []struct {
		set       []string
		exclusive string
		want      []string // attribute: detail fragment
	}{
		{nil, "number", nil},
		{[]string{"number"}, "number", nil},
		{[]string{"areacode"}, "number", nil},
		{[]string{"areacode", "contains"}, "number", nil},
		{[]string{"areacode", "starts_with"}, "number", nil},
		{[]string{"region", "city"}, "number", nil},
		{[]string{"region", "contains"}, "number", nil},
		{[]string{"number", "areacode", "ends_with"}, "number", []string{"areacode: cannot be combined with number", "ends_with: cannot be combined with number"}},
		{[]string{"number", "region"}, "", nil}, // data source: number is not a criterion
		{[]string{"region", "areacode"}, "", []string{"region: cannot be combined with areacode"}},
		{[]string{"city"}, "", []string{"city: requires region"}},
		{[]string{"city", "region", "areacode"}, "", []string{"region: cannot be combined with areacode", "city: cannot be combined with areacode"}},
		{[]string{"city", "region", "starts_with"}, "", []string{"city: cannot be combined with starts_with"}},
		{[]string{"city", "region", "contains"}, "", []string{"city: cannot be combined with contains"}},
		{[]string{"city", "region", "ends_with"}, "", []string{"city: cannot be combined with ends_with"}},
		{[]string{"starts_with", "contains"}, "", []string{"starts_with: cannot be combined with contains"}},
		{[]string{"starts_with", "ends_with"}, "", []string{"starts_with: cannot be combined with ends_with"}},
		{[]string{"ends_with", "contains"}, "", []string{"ends_with: cannot be combined with contains"}},
	}
	for _, c := range cases {
		set := map[string]bool{}
		for _, name := range c.set {
			set[name] = true
		}
		problems := searchCombinationProblems(set, c.exclusive)
		if len(problems) != len(c.want) {
			t.Errorf("%v: got %v, want %v", c.set, problems, c.want)
			continue
		}
		for i, want := range c.want {
			attribute, fragment, _ := strings.Cut(want, ": ")
			if problems[i].attribute != attribute || !strings.Contains(problems[i].detail, fragment) ||
				!strings.HasPrefix(problems[i].detail, "Attribute "+attribute+" ") {
				t.Errorf("%v: problem %d is %+v, want %q", c.set, i, problems[i], want)
			}
		}
	}
}
