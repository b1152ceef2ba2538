package provider

import (
	"context"
	"net/url"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// FuzzInputValidators: no input panics a validator, every refusal names the
// attribute, and the validators agree with what Daily accepts: a US number
// is E.164, and an accepted URL is absolute http(s) with a host.
func FuzzInputValidators(f *testing.F) {
	for _, seed := range []string{
		"+14155550123", "+442071234567", "4155550123", "+1415555012", "+04155550123", "+1415555CALL",
		"https://hooks.example/call", "http://127.0.0.1:8080/v1", "http://[::1]/v1", "http://localhost/v1",
		"http://api.example.com/v1", "ftp://127.0.0.1/v1", "/hooks/call", "https://", "https:///v1", "hold.mp3",
		"c2VjcmV0", "not base64!", "dailybots", "", " ", "lobby", " lobby", "30s", "-1s", "10", "415", "CA", "ca", "12345678",
	} {
		f.Add(seed)
	}
	validators := map[string]validator.String{
		"e164": e164Validator(), "us": usPhoneNumberValidator(), "areacode": areaCodeValidator(),
		"region": regionValidator(), "digits": searchDigitsValidator(), "url": httpURLValidator(), "webhook": webhookValidator(),
		"api_url": apiURLValidator(), "base64": base64Validator(), "name": nonBlankStringValidator(100),
		"duration": durationValidator(0), "route_key": pinlessKind.routeKeyValidator(),
	}
	f.Fuzz(func(t *testing.T, value string) {
		ok := map[string]bool{}
		for name, v := range validators {
			resp := &validator.StringResponse{}
			v.ValidateString(context.Background(), validator.StringRequest{
				Path: path.Root("attr_" + name), ConfigValue: types.StringValue(value),
			}, resp)
			ok[name] = !resp.Diagnostics.HasError()
			for _, d := range resp.Diagnostics.Errors() {
				if d.Summary() == "" || d.Detail() == "" {
					t.Fatalf("%s: empty diagnostic for %q", name, value)
				}
			}
		}
		if ok["us"] && !ok["e164"] {
			t.Fatalf("%q is a US number but not E.164", value)
		}
		if ok["webhook"] != (ok["url"] || value == dailybotsWebhook) {
			t.Fatalf("%q: accepted as a webhook %t, as a URL %t", value, ok["webhook"], ok["url"])
		}
		if ok["url"] {
			u, err := url.Parse(value)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
				t.Fatalf("%q accepted as an http(s) URL", value)
			}
		}
	})
}
