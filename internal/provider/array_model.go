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
// exclusive resources and the data sources, with the fields kept aside
// (see routeShape), each a map keyed like Routes, by its attribute name.
type arrayModel struct {
	ID     types.String
	Routes types.Map
	Aside  map[string]types.Map
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
	aside := k.asideFields()
	asideValues := make([]map[string]attr.Value, len(aside))
	for i := range aside {
		asideValues[i] = make(map[string]attr.Value, len(entries))
	}
	for _, e := range entries {
		values, diags := k.values(e, inRouteMap)
		for i, f := range aside {
			asideValues[i][e.Key()] = k.decode(e, f.name, types.StringType, &diags)
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
	model := arrayModel{ID: types.StringValue(k.array), Aside: make(map[string]types.Map, len(aside))}
	var diags diag.Diagnostics
	model.Routes, diags = types.MapValue(routeType, routes)
	for i, f := range aside {
		if diags.HasError() {
			break
		}
		model.Aside[asideAttribute(f)], diags = types.MapValue(types.StringType, asideValues[i])
	}
	return model, diags
}

// set writes the model to a state whose schema has the attributes of an
// array: id, routes and the maps of the fields kept aside.
func (m arrayModel) set(ctx context.Context, state *tfsdk.State) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.Append(state.SetAttribute(ctx, path.Root(attrID), m.ID)...)
	diags.Append(state.SetAttribute(ctx, path.Root(attrRoutes), m.Routes)...)
	for name, values := range m.Aside {
		diags.Append(state.SetAttribute(ctx, path.Root(name), values)...)
	}
	return diags
}
