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

// arrayModelOf is the array as Daily holds it.
func (k *arrayKind) arrayModelOf(entries []dialin.Entry) (arrayModel, diag.Diagnostics) {
	routeType := types.ObjectType{AttrTypes: k.routeAttributeTypes(inRouteMap)}
	routes := make(map[string]attr.Value, len(entries))
	secret, hasSecret := k.secret()
	secrets := make(map[string]attr.Value, len(entries))
	for _, e := range entries {
		route, diags := types.ObjectValue(routeType.AttrTypes, k.values(e, inRouteMap))
		if diags.HasError() {
			return arrayModel{}, diags
		}
		routes[e.Key()] = route
		if hasSecret {
			secrets[e.Key()] = decodeField(e, secret.name, types.StringType)
		}
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
