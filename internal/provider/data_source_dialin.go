package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
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
	routesDoc := "The routes, keyed by phone number in E.164 form."
	if d.kind.sipOnly {
		routesDoc = "The routes, keyed by phone number (or `sip:<name_prefix>` for SIP-only routes)."
	}
	attrs := map[string]dsschema.Attribute{
		attrID: dsschema.StringAttribute{Computed: true, MarkdownDescription: "The name of the array."},
		attrRoutes: dsschema.MapNestedAttribute{
			Computed:            true,
			MarkdownDescription: routesDoc,
			NestedObject: dsschema.NestedAttributeObject{
				Attributes: computedDataSourceAttributes(d.kind.routeAttributes(inRouteMap, map[string]schema.Attribute{})),
			},
		},
	}
	for _, f := range d.kind.asideFields() {
		if f.role == readOnly {
			attrs[asideAttribute(f)] = dsschema.MapAttribute{
				ElementType:         types.StringType,
				Computed:            true,
				MarkdownDescription: "The `" + f.name + "` of every route, keyed like `routes`, as Daily generated it.",
			}
		}
	}
	description := "Every entry of the domain's `" + d.kind.array + "` array as Daily holds it, whoever manages it, " +
		"but those no route key addresses on its own (" + oddEntriesText(d.kind) + "), which are left out with a warning."
	if secret, ok := d.kind.secret(); ok {
		attrs[attrIncludeHMACs] = dsschema.BoolAttribute{
			Optional: true,
			Computed: true,
			MarkdownDescription: "Whether to read every route's `" + secret.name + "` into `" + attrHMACs + "`, and so into the state. Default `false`: " +
				"read one route's secret with the ephemeral resource `daily_" + d.kind.array + "_route` instead, which stores nothing.",
		}
		attrs[attrHMACs] = dsschema.MapAttribute{
			ElementType: types.StringType,
			Computed:    true,
			Sensitive:   true,
			MarkdownDescription: "With `" + attrIncludeHMACs + " = true`, the `" + secret.name + "` of every route, keyed like `routes`: the secret with which Daily signs its webhook requests. " +
				"Null otherwise.",
		}
		description += " Routes' secrets stay out of the state unless `" + attrIncludeHMACs + "` is set."
	}
	resp.Schema = dsschema.Schema{
		MarkdownDescription: description,
		Attributes:          attrs,
	}
}

func (d *dialinDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *dialinDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	_, hasSecret := d.kind.secret()
	var include types.Bool
	if hasSecret {
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrIncludeHMACs), &include)...)
	}
	entries, diags := d.kind.readArray(ctx, d.data.dialin)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	addressable, odd := d.kind.splitOdd(entries)
	if len(odd) > 0 {
		resp.Diagnostics.Append(d.kind.oddEntriesLeftOut(odd, len(entries), "this data source's routes"))
	}
	model, diags := arrayModelOf(d.kind, addressable, everyPrefix)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	resp.Diagnostics.Append(model.set(ctx, &resp.State)...)
	if hasSecret {
		if !include.ValueBool() {
			// Read for its webhooks, the array must not put every secret of the domain in the state.
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrHMACs), types.MapNull(types.StringType))...)
		}
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrIncludeHMACs), types.BoolValue(include.ValueBool()))...)
	}
}

// readOnlyAttributes turns the resource attributes of a route into the
// computed attributes of another schema kind (a data source, an ephemeral
// resource), built by str and obj, so every schema describes a route the same way.
func readOnlyAttributes[A any](attrs map[string]schema.Attribute,
	str func(schema.StringAttribute) A, obj func(schema.SingleNestedAttribute, map[string]A) A,
) map[string]A {
	out := make(map[string]A, len(attrs))
	for name, a := range attrs {
		switch a := a.(type) {
		case schema.StringAttribute:
			out[name] = str(a)
		case schema.SingleNestedAttribute:
			out[name] = obj(a, readOnlyAttributes(a.Attributes, str, obj))
		default:
			panic("readOnlyAttributes: unhandled attribute type for " + name)
		}
	}
	return out
}

// computedDataSourceAttributes are a route's resource attributes as a data
// source's, all computed.
func computedDataSourceAttributes(attrs map[string]schema.Attribute) map[string]dsschema.Attribute {
	return readOnlyAttributes(attrs,
		func(a schema.StringAttribute) dsschema.Attribute {
			return dsschema.StringAttribute{Computed: true, Sensitive: a.Sensitive, MarkdownDescription: a.MarkdownDescription}
		},
		func(a schema.SingleNestedAttribute, nested map[string]dsschema.Attribute) dsschema.Attribute {
			return dsschema.SingleNestedAttribute{Computed: true, MarkdownDescription: a.MarkdownDescription, Attributes: nested}
		})
}
