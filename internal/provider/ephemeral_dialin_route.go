package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	eschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

var _ ephemeral.EphemeralResourceWithConfigure = &routeEphemeralResource{}

// newPinlessDialinRouteEphemeralResource is the ephemeral
// daily_pinless_dialin_route: one route as Daily holds it, hmac included,
// never stored in a plan or state.
func newPinlessDialinRouteEphemeralResource() ephemeral.EphemeralResource {
	return &routeEphemeralResource{kind: pinlessKind}
}

// routeEphemeralResource reads one entry of a dial-in array.
type routeEphemeralResource struct {
	kind *arrayKind
	data *providerData
}

func (r *routeEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.array + "_route"
}

func (r *routeEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	attrs := readOnlyAttributes(r.kind.routeAttributes(perRoute, map[string]schema.Attribute{}),
		func(a schema.StringAttribute) eschema.Attribute {
			return eschema.StringAttribute{Computed: true, Sensitive: a.Sensitive, MarkdownDescription: a.MarkdownDescription}
		},
		func(a schema.SingleNestedAttribute, nested map[string]eschema.Attribute) eschema.Attribute {
			return eschema.SingleNestedAttribute{Computed: true, MarkdownDescription: a.MarkdownDescription, Attributes: nested}
		})
	if secret, ok := r.kind.secret(); ok {
		// The resource's text tells how to set the secret; here it is only read.
		attrs[secret.name] = eschema.StringAttribute{
			Computed:            true,
			Sensitive:           true,
			MarkdownDescription: "The base64 secret with which Daily signs this route's webhook requests, as Daily holds it now; never stored in the plan or state.",
		}
	}
	attrs[attrPhoneNumber] = eschema.StringAttribute{
		Optional:            true,
		MarkdownDescription: "The number whose route to read, in E.164 form.",
		Validators:          []validator.String{e164Validator(), stringvalidator.ExactlyOneOf(path.MatchRoot(attrNamePrefix))},
	}
	attrs[attrNamePrefix] = eschema.StringAttribute{
		Optional:            true,
		Computed:            true,
		MarkdownDescription: "Set it instead of `phone_number` to read a SIP-only route, which its `name_prefix` identifies; otherwise the route's prefix.",
		Validators:          []validator.String{nonBlankStringValidator(100)},
	}
	resp.Schema = eschema.Schema{
		MarkdownDescription: "Reads one route of the domain's `" + r.kind.array + "` array as Daily holds it, `hmac` included, " +
			"without storing it in the plan or state (Terraform 1.10 and later). Use it to hand a route's secret to a webhook's secret store, " +
			"or to another route's `hmac_wo`. It reads any route, whoever manages it.",
		Attributes: attrs,
	}
}

func (r *routeEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *routeEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var number, prefix types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrPhoneNumber), &number)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrNamePrefix), &prefix)...)
	if resp.Diagnostics.HasError() {
		return
	}
	key := dialin.RouteKey(number.ValueString(), prefix.ValueString())
	entry, found, diags := r.kind.readRoute(ctx, r.data.dialin, key)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	if !found {
		resp.Diagnostics.AddError("Dial-in route not found", fmt.Sprintf("The domain's %s array has no route for %s.", r.kind.array, key))
		return
	}
	values, diags := r.kind.values(entry, perRoute)
	values[attrPhoneNumber] = r.kind.decode(entry, attrPhoneNumber, types.StringType, &diags)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	result, diags := types.ObjectValue(attributeTypes(resp.Result.Schema.Type()), values)
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.Diagnostics.Append(resp.Result.Set(ctx, result)...)
	}
}
