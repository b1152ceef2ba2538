package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// TestRouteFields_roundTrip: every field a route table declares is sent to
// Daily by spec and read back by values unchanged, and a read-only field is
// never sent. A field whose attribute type the codec does not handle fails here.
func TestRouteFields_roundTrip(t *testing.T) {
	t.Parallel()
	for _, kind := range []*arrayKind{pinlessKind, pinKind} {
		for _, shape := range []routeShape{perRoute, inRouteMap} {
			want := map[string]attr.Value{}
			for _, f := range kind.fields(shape) {
				want[f.name] = sampleValue(t, f)
			}
			spec := kind.spec("+14155550100", want)
			for _, f := range kind.fields(shape) {
				if _, sent := spec.Set[f.name]; sent == (f.role == readOnly) {
					t.Errorf("%s %s: sent = %v for a field of role %d", kind.array, f.name, sent, f.role)
				}
			}
			// A field values cannot read is null, unlike want.
			got, _ := kind.values(dialin.Entry{Fields: spec.Set}, shape)
			for _, f := range kind.shapeFields(shape) { // a map's routes keep no secret
				if f.role == readOnly {
					continue
				}
				if !got[f.name].Equal(want[f.name]) {
					t.Errorf("%s %s: read back %s, want %s", kind.array, f.name, got[f.name], want[f.name])
				}
			}
		}
	}
}

// sampleValue is a known value of the field's type.
func sampleValue(t *testing.T, f routeField) attr.Value {
	t.Helper()
	attrTypes := attributeTypes(f.attribute.GetType())
	if attrTypes == nil {
		return types.StringValue("value of " + f.name)
	}
	values := map[string]attr.Value{}
	for name := range attrTypes {
		values[name] = types.StringValue(name + " of " + f.name)
	}
	return types.ObjectValueMust(attrTypes, values)
}
