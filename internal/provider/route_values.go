package provider

import (
	"context"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// routeValues are a route's attribute values by attribute name: the plan or
// state of a per-route resource, an element of an exclusive resource's routes
// map, or a route as arrayKind.values reads it from Daily's entry. Which
// attributes it holds depends on the route's shape (see arrayKind.shapeFields);
// an accessor of an attribute it lacks returns null.
type routeValues map[string]attr.Value

// phoneNumber is the number the route answers: null for a SIP-only route.
func (v routeValues) phoneNumber() types.String {
	s, _ := v[attrPhoneNumber].(types.String)
	return s
}

// namePrefix is the route's name_prefix, which identifies a SIP-only route.
func (v routeValues) namePrefix() types.String {
	s, _ := v[attrNamePrefix].(types.String)
	return s
}

// key identifies the route in its array: its phone number, or for a SIP-only
// route dialin.SIPKeyPrefix followed by its name_prefix.
func (v routeValues) key() string {
	return dialin.RouteKey(v.phoneNumber().ValueString(), v.namePrefix().ValueString())
}

// identityAttribute is the attribute that identifies the route in its
// configuration: phone_number, or name_prefix for a SIP-only route.
func (v routeValues) identityAttribute() string {
	if v.phoneNumber().IsNull() {
		return attrNamePrefix
	}
	return attrPhoneNumber
}

// id is the key a per-route resource's state records. Read and Delete go by
// it: the state of a route just imported holds nothing else.
func (v routeValues) id() string {
	s, _ := v[attrID].(types.String)
	return s.ValueString()
}

// hmacWOVersion is the version of the write-only secret: null when the
// route's secret is not write-only, or the values lack it.
func (v routeValues) hmacWOVersion() types.Int64 {
	n, _ := v[attrHMACWOVersion].(types.Int64)
	return n
}

// deletionProtected reports whether deletion_protection is true.
func (v routeValues) deletionProtected() bool {
	b, _ := v[attrDeletionProtection].(types.Bool)
	return b.ValueBool()
}

// writeOnlySecret reports whether the route's secret is set with hmac_wo,
// whose version is then set.
func (v routeValues) writeOnlySecret() bool {
	return !v.hmacWOVersion().IsNull()
}

// withWriteOnlySecret returns the planned values with the write-only secret
// to send, if any, as their hmac. Only the configuration holds it; it is
// sent when the route is created (prior, the state before an update, is nil)
// and when its version changes. Otherwise the route keeps the secret it has.
func (v routeValues) withWriteOnlySecret(ctx context.Context, config tfsdk.Config, prior *tfsdk.State) (routeValues, diag.Diagnostics) {
	var diags diag.Diagnostics
	if !v.writeOnlySecret() {
		return v, diags
	}
	var secret types.String
	var priorVersion types.Int64
	diags.Append(config.GetAttribute(ctx, path.Root(attrHMACWO), &secret)...)
	if prior != nil {
		diags.Append(prior.GetAttribute(ctx, path.Root(attrHMACWOVersion), &priorVersion)...)
	}
	if diags.HasError() || (prior != nil && priorVersion.Equal(v.hmacWOVersion())) {
		return v, diags
	}
	return v.with(attrHMAC, secret), diags
}

// with returns a copy of the values in which the attribute name holds value.
func (v routeValues) with(name string, value attr.Value) routeValues {
	changed := maps.Clone(v)
	changed[name] = value
	return changed
}

// set writes the values to a state as its whole object: the state of a
// per-route resource.
func (v routeValues) set(ctx context.Context, state *tfsdk.State) diag.Diagnostics {
	object, diags := types.ObjectValue(attributeTypes(state.Schema.Type()), v)
	if diags.HasError() {
		return diags
	}
	return state.Set(ctx, object)
}
