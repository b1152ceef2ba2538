package provider

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

func TestTflogLogger_hidesSecretsInClientLogs(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)

	tflogLogger{apiKey: "key-s3cr3t"}.Debug(ctx, "sending with key-s3cr3t", map[string]any{
		"hmac":    "aG1hYy1zZWNyZXQ=",
		"api_key": "other",
		"header":  "Bearer key-s3cr3t",
		"path":    "/v1/",
	})

	logged := out.String()
	for _, secret := range []string{"key-s3cr3t", "aG1hYy1zZWNyZXQ=", "other"} {
		if strings.Contains(logged, secret) {
			t.Errorf("log leaks %q: %s", secret, logged)
		}
	}
	if !strings.Contains(logged, "/v1/") {
		t.Errorf("log lost a harmless field: %s", logged)
	}
}

func TestProviderDataFrom(t *testing.T) {
	t.Parallel()
	var diags diag.Diagnostics
	if got := providerDataFrom(nil, &diags); got != nil || diags.HasError() {
		t.Errorf("unconfigured provider: got %v, %v", got, diags)
	}
	data := &providerData{}
	if got := providerDataFrom(data, &diags); got != data || diags.HasError() {
		t.Errorf("configured provider: got %v, %v", got, diags)
	}
	if got := providerDataFrom("wrong", &diags); got != nil || !diags.HasError() {
		t.Errorf("wrong type: got %v, %v", got, diags)
	}
}

// The plan registry refuses an array managed whole beside anything else,
// whichever is planned first, and lets resources of single routes share one.
func TestPlanRegistry_claimArray(t *testing.T) {
	t.Parallel()
	whole := func(name string) arrayUse {
		return arrayUse{declaration{typeName: "daily_pinless_dialin", description: "the daily_pinless_dialin " + name, config: name}, wholeArray}
	}
	single := func(name string) arrayUse {
		return arrayUse{declaration{typeName: "daily_pinless_dialin_route", description: "a daily_pinless_dialin_route " + name, config: name}, oneEntry}
	}
	config := func(name string) arrayUse { // a per-object config, as that family will claim
		return arrayUse{declaration{typeName: "daily_pinless_dialin_config", description: "a daily_pinless_dialin_config " + name, config: name}, oneEntry}
	}
	replanned := func(u arrayUse) arrayUse {
		u.existing = false
		return u
	}
	existing := func(u arrayUse) arrayUse {
		u.existing = true
		return u
	}
	for _, tc := range []struct {
		name string
		uses []arrayUse
		want []string // the error's detail holds these, in order; none: no error
	}{
		{"routes share an array", []arrayUse{single("a"), single("b"), config("c")}, nil},
		{"two whole", []arrayUse{whole("a"), whole("b")},
			[]string{"managed whole by this daily_pinless_dialin and by another", "the daily_pinless_dialin a", "Keep one daily_pinless_dialin per domain"}},
		{"whole, then a route", []arrayUse{whole("a"), single("b")},
			[]string{"This daily_pinless_dialin_route manages one route of the pinless_dialin array", "manages whole: the daily_pinless_dialin a",
				"daily_pinless_dialin removes every route", "with daily_pinless_dialin alone or with resources of single routes such as daily_pinless_dialin_route"}},
		{"a route, then whole", []arrayUse{single("a"), whole("b")},
			[]string{"managed whole by this daily_pinless_dialin, and route by route by another", "a daily_pinless_dialin_route a"}},
		{"a config object beside whole", []arrayUse{config("a"), single("b"), whole("c")},
			[]string{"route by route by another resource of this configuration: a daily_pinless_dialin_config a", "such as daily_pinless_dialin_config"}},
		{"whole, replanned to be replaced", []arrayUse{existing(whole("a")), replanned(existing(whole("a")))}, nil},
		{"whole, and a new one like it", []arrayUse{whole("a"), whole("a")}, []string{"Dial-in array managed twice"}},
	} {
		var registry planRegistry
		var diags diag.Diagnostics
		for _, u := range tc.uses {
			registry.claimArray("pinless_dialin", u.style, u.declaration, &diags)
		}
		if len(tc.want) == 0 {
			if diags.HasError() {
				t.Errorf("%s: refused: %v", tc.name, diags)
			}
			continue
		}
		if diags.ErrorsCount() != 1 {
			t.Errorf("%s: %d errors, want 1: %v", tc.name, diags.ErrorsCount(), diags)
			continue
		}
		d := diags.Errors()[0]
		if d.Summary() != "Dial-in array managed twice" || !errorPattern(tc.want...).MatchString(d.Summary()+"\n"+d.Detail()) {
			t.Errorf("%s: got %s: %s\nwant %q", tc.name, d.Summary(), d.Detail(), tc.want)
		}
	}
	var registry planRegistry
	var diags diag.Diagnostics
	registry.claimArray("pinless_dialin", wholeArray, whole("a").declaration, &diags)
	registry.claimArray("pin_dialin", oneEntry, single("b").declaration, &diags)
	if diags.HasError() {
		t.Errorf("two arrays: %v", diags)
	}
}
