// Package frameworkcost measures what terraform-plugin-framework itself
// costs a resource holding a large map nested attribute, with a provider of
// one resource and no Terraform CLI: the requests go straight to the
// framework's protocol 6 server (providerserver.NewProtocol6), as Terraform's
// would over gRPC. It is the self-contained reproduction behind the upstream
// reports in README.md; nothing of this provider's own code is involved.
package frameworkcost

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Shape is how the resource declares its routes.
type Shape int

const (
	// MapNested declares routes as a schema.MapNestedAttribute whose objects
	// have a required, an optional and a computed string: the shape whose
	// plan modification the framework walks element by element.
	MapNested Shape = iota
	// MapOfObjects declares the same values as a plain schema.MapAttribute
	// of objects (no computed attribute inside, no per-element walk): the
	// control.
	MapOfObjects
)

func (s Shape) String() string {
	if s == MapOfObjects {
		return "map_of_objects"
	}
	return "map_nested"
}

// TypeName is the resource's type name.
const TypeName = "cost_routes"

// New returns the provider: one resource, cost_routes, with routes of shape.
func New(shape Shape) provider.Provider { return &costProvider{shape: shape} }

type costProvider struct{ shape Shape }

func (p *costProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "cost"
}

func (p *costProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (p *costProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *costProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &routesResource{shape: p.shape} }}
}

func (p *costProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// routesResource holds a map of routes keyed by phone number. Create and
// Update fill in each route's computed sip_uri; nothing else is done.
type routesResource struct{ shape Shape }

// routeAttrTypes are the attributes of one route.
var routeAttrTypes = map[string]attr.Type{
	"room_creation_api": types.StringType,
	"name_prefix":       types.StringType,
	"sip_uri":           types.StringType,
}

// plainAttrTypes are those of the control's objects, which hold no computed value.
var plainAttrTypes = map[string]attr.Type{
	"room_creation_api": types.StringType,
	"name_prefix":       types.StringType,
}

func (r *routesResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = TypeName
}

func (r *routesResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	routes := schema.Attribute(schema.MapNestedAttribute{
		Required: true,
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"room_creation_api": schema.StringAttribute{Required: true},
			"name_prefix":       schema.StringAttribute{Optional: true},
			"sip_uri":           schema.StringAttribute{Computed: true},
		}},
	})
	if r.shape == MapOfObjects {
		routes = schema.MapAttribute{Required: true, ElementType: types.ObjectType{AttrTypes: plainAttrTypes}}
	}
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":     schema.StringAttribute{Computed: true},
		"routes": routes,
	}}
}

type model struct {
	ID     types.String `tfsdk:"id"`
	Routes types.Map    `tfsdk:"routes"`
}

func (r *routesResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.ID = types.StringValue("routes")
	m.Routes = r.withSIPURIs(m.Routes, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *routesResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (r *routesResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.Routes = r.withSIPURIs(m.Routes, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *routesResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// withSIPURIs sets every route's computed sip_uri (the control has none).
func (r *routesResource) withSIPURIs(routes types.Map, diags *diag.Diagnostics) types.Map {
	if r.shape == MapOfObjects {
		return routes
	}
	elems := make(map[string]attr.Value, len(routes.Elements()))
	for key, v := range routes.Elements() {
		route, ok := v.(types.Object)
		if !ok {
			diags.AddError("Unexpected route value", fmt.Sprintf("%s is a %T", key, v))
			continue
		}
		attrs := route.Attributes()
		attrs["sip_uri"] = types.StringValue(fmt.Sprintf("sip:%s@cost.example", key))
		obj, d := types.ObjectValue(routeAttrTypes, attrs)
		diags.Append(d...)
		elems[key] = obj
	}
	out, d := types.MapValue(types.ObjectType{AttrTypes: routeAttrTypes}, elems)
	diags.Append(d...)
	return out
}
