package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &dialinDataSource{}

// newPinlessDialinDataSource is the daily_pinless_dialin data source.
func newPinlessDialinDataSource() datasource.DataSource {
	return &dialinDataSource{kind: pinlessKind}
}

// newPinDialinDataSource is the daily_pin_dialin data source.
func newPinDialinDataSource() datasource.DataSource {
	return &dialinDataSource{kind: pinKind}
}

// dialinDataSource reads a whole dial-in array.
type dialinDataSource struct {
	kind *arrayKind
	data *providerData
}

func (d *dialinDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.kind.array
}

func (d *dialinDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]dsschema.Attribute{
		"id": dsschema.StringAttribute{Computed: true, MarkdownDescription: "The name of the array."},
		"routes": dsschema.MapNestedAttribute{
			Computed:            true,
			MarkdownDescription: "The routes, keyed by phone number (or `sip:<name_prefix>` for SIP-only routes).",
			NestedObject: dsschema.NestedAttributeObject{
				Attributes: computedAttributes(d.kind.routeAttributes(inRouteMap, map[string]schema.Attribute{})),
			},
		},
	}
	if secret, ok := d.kind.secret(); ok {
		attrs[secretsAttribute] = dsschema.MapAttribute{
			ElementType:         types.StringType,
			Computed:            true,
			Sensitive:           true,
			MarkdownDescription: "The `" + secret.name + "` of every route, keyed like `routes`: the secret with which Daily signs its webhook requests.",
		}
	}
	resp.Schema = dsschema.Schema{
		MarkdownDescription: "Every entry of the domain's `" + d.kind.array + "` array as Daily holds it, whoever manages it.",
		Attributes:          attrs,
	}
}

func (d *dialinDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *dialinDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	entries, err := d.data.dialin.Entries(ctx, d.kind.array)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read dial-in array", fmt.Sprintf("Reading %s: %s", d.kind.array, err))
		return
	}
	model, diags := d.kind.arrayModelOf(entries)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	resp.Diagnostics.Append(model.set(ctx, &resp.State)...)
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
