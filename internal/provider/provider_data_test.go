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
