package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// dialinDataSource reads a whole dial-in array. R is the route type; P is *R.
type dialinDataSource[R any, P interface {
	*R
	routeAttrs
}] struct {
	kind       arrayKind
	attributes func() map[string]schema.Attribute
	data       *providerData
}

var _ datasource.DataSourceWithConfigure = &dialinDataSource[PinlessRoute, *PinlessRoute]{}

// newPinlessDialinDataSource is the daily_pinless_dialin data source.
func newPinlessDialinDataSource() datasource.DataSource {
	return &dialinDataSource[PinlessRoute, *PinlessRoute]{kind: pinlessKind, attributes: pinlessRouteAttributes}
}

// newPinDialinDataSource is the daily_pin_dialin data source.
func newPinDialinDataSource() datasource.DataSource {
	return &dialinDataSource[PinRoute, *PinRoute]{kind: pinKind, attributes: pinRouteAttributes}
}

func (d *dialinDataSource[R, P]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.kind.array
}

func (d *dialinDataSource[R, P]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dsschema.Schema{
		MarkdownDescription: "Every entry of the domain's `" + d.kind.array + "` array as Daily holds it, whoever manages it.",
		Attributes: map[string]dsschema.Attribute{
			"id": dsschema.StringAttribute{Computed: true, MarkdownDescription: "The name of the array."},
			"routes": dsschema.MapNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The routes, keyed by phone number (or `sip:<name_prefix>` for SIP-only routes).",
				NestedObject:        dsschema.NestedAttributeObject{Attributes: computedAttributes(d.attributes())},
			},
		},
	}
}

func (d *dialinDataSource[R, P]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *dialinDataSource[R, P]) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = withMasking(ctx, d.data)
	entries, err := d.data.dialin.Entries(ctx, d.kind.array)
	if err != nil {
		resp.Diagnostics.AddError("Could not read "+d.kind.array, err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, arrayModelOf[R, P](d.kind.array, entries))...)
}

// computedAttributes turns the resource attributes of a route into read-only
// data source attributes, so both schemas describe a route the same way.
func computedAttributes(attrs map[string]schema.Attribute) map[string]dsschema.Attribute {
	out := make(map[string]dsschema.Attribute, len(attrs))
	for name, a := range attrs {
		switch a := a.(type) {
		case schema.StringAttribute:
			out[name] = dsschema.StringAttribute{Computed: true, Sensitive: a.Sensitive, MarkdownDescription: a.MarkdownDescription}
		case schema.SingleNestedAttribute:
			out[name] = dsschema.SingleNestedAttribute{Computed: true, MarkdownDescription: a.MarkdownDescription, Attributes: computedAttributes(a.Attributes)}
		default:
			panic("computedAttributes: unhandled attribute type for " + name)
		}
	}
	return out
}
