package provider

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// TestDecodeField_malformed: a field whose JSON does not fit its type is
// reported, as an error diagnostic that names the route and the field,
// instead of being read as empty.
func TestDecodeField_malformed(t *testing.T) {
	t.Parallel()
	entry := dialin.Entry{Fields: map[string]json.RawMessage{
		"phone_number":      json.RawMessage(`"+14155550100"`),
		"room_creation_api": json.RawMessage(`42`),
		"timeout_config":    json.RawMessage(`"not an object"`),
	}}
	for _, field := range []string{"room_creation_api", "timeout_config"} {
		v, err := decodeField(entry, field, pinlessKind.routeAttributeTypes(perRoute)[field])
		if err == nil || !v.IsNull() {
			t.Errorf("%s: got %s, %v; want null and an error", field, v, err)
		}
	}
	_, diags := pinlessKind.values(entry, perRoute)
	if diags.ErrorsCount() != 2 {
		t.Fatalf("values reported %d errors, want 2: %v", diags.ErrorsCount(), diags)
	}
	for _, d := range diags {
		if !strings.Contains(d.Detail(), "+14155550100") {
			t.Errorf("detail %q does not name the route", d.Detail())
		}
	}
	if _, err := decodeField(entry, "hmac", types.StringType); err != nil {
		t.Errorf("an absent field: %v", err)
	}
}
