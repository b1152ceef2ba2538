package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// arrayKind describes one of the domain's dial-in arrays.
type arrayKind struct {
	array string // the domain config property
	noun  string // for messages
	// sipOnly is true when entries may lack a phone number (pinless SIP
	// interconnects); such an entry is keyed by dialin.SIPKeyPrefix + name_prefix.
	sipOnly bool
	fields  func(routeShape) []routeField
}

var (
	pinlessKind = &arrayKind{array: client.PinlessDialin, noun: "pinless dial-in route", sipOnly: true, fields: pinlessFields}
	pinKind     = &arrayKind{array: client.PinDialin, noun: "PIN dial-in route", fields: pinFields}
)

// routeAttributes adds the schema attributes of a route's fields to attrs
// and returns it.
func (k *arrayKind) routeAttributes(shape routeShape, attrs map[string]schema.Attribute) map[string]schema.Attribute {
	for _, f := range k.shapeFields(shape) {
		attrs[f.name] = f.attribute
	}
	return attrs
}

// shapeFields are the fields a route declares in shape.
func (k *arrayKind) shapeFields(shape routeShape) []routeField {
	fields := k.fields(shape)
	if shape == inRouteMap {
		fields = slices.DeleteFunc(fields, routeField.keptAside)
	}
	return fields
}

// keptAside reports whether a whole array keeps the field in a top-level
// map of its own rather than in each route (see routeShape).
func (f routeField) keptAside() bool { return f.role == keptSecret || f.role == readOnly }

// asideFields are the fields a whole array keeps aside, in top-level maps.
func (k *arrayKind) asideFields() []routeField {
	return slices.DeleteFunc(k.fields(perRoute), func(f routeField) bool { return !f.keptAside() })
}

// asideAttribute names the top-level map that holds a field kept aside.
func asideAttribute(f routeField) string {
	if f.role == keptSecret {
		return attrHMACs
	}
	return f.name + "s"
}

// secret is the route field whose values an exclusive resource keeps in
// one top-level map, if the array has one.
func (k *arrayKind) secret() (routeField, bool) {
	for _, f := range k.fields(perRoute) {
		if f.role == keptSecret {
			return f, true
		}
	}
	return routeField{}, false
}

// spec is the entry that a route's values ask for under key. A field whose
// value is null, unknown or absent is not sent: the entry loses it if the
// field is sentAsPlanned, and keeps Daily's value if it is a keptSecret (an
// hmac not set, or computed and not known yet).
func (k *arrayKind) spec(key string, values routeValues) dialin.RouteSpec {
	spec := dialin.RouteSpec{Key: key, Set: dialin.KeyFields(key), Managed: []string{attrPhoneNumber}}
	for _, f := range k.fields(perRoute) { // the shape changes no field's role
		if f.role == readOnly {
			continue
		}
		spec.Managed = append(spec.Managed, f.name)
		if f.role == keptSecret {
			spec.Preserve = append(spec.Preserve, f.name)
		}
		if raw, ok := encodeValue(values[f.name]); ok {
			spec.Set[f.name] = raw
		}
	}
	return spec
}

// values returns every field of the entry that a route declares in shape,
// as an attribute value (see decodeField).
func (k *arrayKind) values(e dialin.Entry, shape routeShape) (routeValues, diag.Diagnostics) {
	fields := k.shapeFields(shape)
	values := make(routeValues, len(fields))
	var diags diag.Diagnostics
	for _, f := range fields {
		values[f.name] = k.decode(e, f.name, f.attribute.GetType(), &diags)
	}
	return values, diags
}

// decode is decodeField, reporting in diags a field that Daily holds in a
// form the provider cannot read.
func (k *arrayKind) decode(e dialin.Entry, field string, typ attr.Type, diags *diag.Diagnostics) attr.Value {
	v, err := decodeField(e, field, typ)
	if err != nil {
		diags.AddError("Cannot read dial-in route",
			fmt.Sprintf("The %s %s that Daily holds has a %s the provider cannot read: %s", k.noun, e.Key(), field, err))
	}
	return v
}

// routeAttributeTypes returns the types of a route's fields.
func (k *arrayKind) routeAttributeTypes(shape routeShape) map[string]attr.Type {
	fields := k.shapeFields(shape)
	attrTypes := make(map[string]attr.Type, len(fields))
	for _, f := range fields {
		attrTypes[f.name] = f.attribute.GetType()
	}
	return attrTypes
}

// readArray reads the whole array as Daily holds it (through the engine's
// shared reads).
func (k *arrayKind) readArray(ctx context.Context, engine *dialin.Engine) ([]dialin.Entry, diag.Diagnostics) {
	var diags diag.Diagnostics
	entries, err := engine.Entries(ctx, k.array)
	if err != nil {
		diags.AddError("Cannot read dial-in array", fmt.Sprintf("Reading %s: %s", k.array, err))
	}
	return entries, diags
}

// readRoute reads the route with key as Daily holds it (through the
// engine's shared reads); found is false when the array has none. A key
// that several entries hold is an error.
func (k *arrayKind) readRoute(ctx context.Context, engine *dialin.Engine, key string) (entry dialin.Entry, found bool, diags diag.Diagnostics) {
	entries, err := engine.Entries(ctx, k.array)
	if err != nil {
		diags.AddError("Cannot read dial-in route", fmt.Sprintf("Reading %s %s: %s", k.noun, key, err))
		return dialin.Entry{}, false, diags
	}
	if slices.Contains(dialin.AmbiguousKeys(entries), key) {
		diags.Append(k.ambiguousRoute(key, entries, "read"))
		return dialin.Entry{}, false, diags
	}
	entry, found = dialin.Find(entries, key)
	return entry, found, diags
}

// sipKeyPattern matches the key of a SIP-only route.
var sipKeyPattern = regexp.MustCompile(`^sip:\S+$`)

// routeKeyValidator accepts the keys of an array: E.164 numbers, plus
// "sip:<name_prefix>" where SIP-only entries exist.
func (k *arrayKind) routeKeyValidator() validator.String {
	if !k.sipOnly {
		return e164Validator()
	}
	return stringvalidator.Any(e164Validator(), stringCheck{
		want:  `"sip:" followed by the route's name_prefix`,
		check: patternCheck(sipKeyPattern, "not a SIP route key"),
	})
}

// routeIdentity is the identity of the route with key: its phone number, or
// for a SIP-only route its name_prefix. Neither can change in place.
func (k *arrayKind) routeIdentity(key string) map[string]attr.Value {
	number, prefix := types.StringValue(key), types.StringNull()
	if n, p := dialin.SplitKey(key); n == "" {
		number, prefix = types.StringNull(), types.StringValue(p)
	}
	if !k.sipOnly {
		return map[string]attr.Value{attrPhoneNumber: number}
	}
	return map[string]attr.Value{attrPhoneNumber: number, attrNamePrefix: prefix}
}

// routeKeyOfIdentity is routeIdentity undone: the key of the route an
// import identity names, "" when it names none.
func (k *arrayKind) routeKeyOfIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity) (string, diag.Diagnostics) {
	var number, prefix types.String
	diags := identity.GetAttribute(ctx, path.Root(attrPhoneNumber), &number)
	if k.sipOnly {
		diags.Append(identity.GetAttribute(ctx, path.Root(attrNamePrefix), &prefix)...)
	}
	if number.IsNull() && prefix.IsNull() {
		return "", diags
	}
	return dialin.RouteKey(number.ValueString(), prefix.ValueString()), diags
}

// routeState is the state of a per-route resource whose entry Daily holds as
// entry. Daily keeps neither deletion_protection nor the version of a
// write-only secret: they are local's, the values planned or held before;
// local is nil for a route listed but not managed yet (unprotected, no
// write-only secret). While the version is set, the state holds nothing of
// the secret.
func (k *arrayKind) routeState(entry dialin.Entry, local routeValues) (routeValues, diag.Diagnostics) {
	values, diags := k.values(entry, perRoute)
	values[attrID] = types.StringValue(entry.Key())
	values[attrPhoneNumber] = k.decode(entry, attrPhoneNumber, types.StringType, &diags)
	values[attrDeletionProtection] = types.BoolValue(local.deletionProtected())
	if _, ok := k.secret(); ok {
		values[attrHMACWO] = types.StringNull()
		values[attrHMACWOVersion] = local.hmacWOVersion() // null for a nil local
		if values.writeOnlySecret() {
			values[attrHMAC] = types.StringNull()
		}
	}
	return values, diags
}
