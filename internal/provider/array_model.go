package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// arrayModel is a whole array as a map from route key to route, in the
// exclusive resources and the data sources; Secrets is null for an array
// without secrets.
type arrayModel struct {
	ID      types.String
	Routes  types.Map
	Secrets types.Map
}

// shownPrefixes says which SIP-only routes, by key, an array model shows the
// name_prefix of; the others' is null. Their key holds it already: a data
// source shows every one (everyPrefix), an exclusive resource only those its
// configuration sets (declaredPrefixes), as Terraform wants back what it planned.
type shownPrefixes func(key string) bool

// everyPrefix shows the name_prefix of every SIP-only route.
func everyPrefix(string) bool { return true }

// arrayModelOf is the array of kind k as Daily holds it, in entries.
func arrayModelOf(k *arrayKind, entries []dialin.Entry, shown shownPrefixes) (arrayModel, diag.Diagnostics) {
	routeType := types.ObjectType{AttrTypes: k.routeAttributeTypes(inRouteMap)}
	routes := make(map[string]attr.Value, len(entries))
	secret, hasSecret := k.secret()
	secrets := make(map[string]attr.Value, len(entries))
	for _, e := range entries {
		values, diags := k.values(e, inRouteMap)
		if hasSecret {
			secrets[e.Key()] = k.decode(e, secret.name, types.StringType, &diags)
		}
		if number, _ := dialin.SplitKey(e.Key()); number == "" && !shown(e.Key()) {
			values[attrNamePrefix] = types.StringNull()
		}
		if diags.HasError() {
			return arrayModel{}, diags
		}
		route, diags := types.ObjectValue(routeType.AttrTypes, values)
		if diags.HasError() {
			return arrayModel{}, diags
		}
		routes[e.Key()] = route
	}
	model := arrayModel{ID: types.StringValue(k.array), Secrets: types.MapNull(types.StringType)}
	var diags diag.Diagnostics
	model.Routes, diags = types.MapValue(routeType, routes)
	if hasSecret && !diags.HasError() {
		model.Secrets, diags = types.MapValue(types.StringType, secrets)
	}
	return model, diags
}

// set writes the model to a state whose schema has the attributes of an
// array: id, routes and, for an array with secrets, attrHMACs.
func (m arrayModel) set(ctx context.Context, state *tfsdk.State) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.Append(state.SetAttribute(ctx, path.Root(attrID), m.ID)...)
	diags.Append(state.SetAttribute(ctx, path.Root(attrRoutes), m.Routes)...)
	if !m.Secrets.IsNull() {
		diags.Append(state.SetAttribute(ctx, path.Root(attrHMACs), m.Secrets)...)
	}
	return diags
}
