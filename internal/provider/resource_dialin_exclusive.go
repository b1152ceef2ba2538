package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// exclusiveModel is the state of an exclusive resource: the whole array as a
// map from route key to route.
type exclusiveModel[R any] struct {
	ID     types.String `tfsdk:"id"`
	Routes map[string]R `tfsdk:"routes"`
}

// exclusiveResource owns a whole dial-in array: entries it does not declare
// are removed. R is the route type; P is *R.
type exclusiveResource[R any, P interface {
	*R
	routeAttrs
}] struct {
	kind        arrayKind
	typeName    string
	description string
	attributes  func() map[string]schema.Attribute
	data        *providerData
}

var (
	_ resource.ResourceWithImportState    = &exclusiveResource[PinlessRoute, *PinlessRoute]{}
	_ resource.ResourceWithValidateConfig = &exclusiveResource[PinlessRoute, *PinlessRoute]{}
)

// newPinlessDialinResource is the daily_pinless_dialin resource.
func newPinlessDialinResource() resource.Resource {
	return &exclusiveResource[PinlessRoute, *PinlessRoute]{
		kind:     pinlessKind,
		typeName: "pinless_dialin",
		description: "The domain's whole `pinless_dialin` array, managed exclusively: routes not declared here are removed. " +
			"Routes that already exist are adopted as they are (their `hmac` and `sip_uri` are kept). Destroying it empties the array.",
		attributes: pinlessRouteAttributes,
	}
}

// newPinDialinResource is the daily_pin_dialin resource.
func newPinDialinResource() resource.Resource {
	return &exclusiveResource[PinRoute, *PinRoute]{
		kind:     pinKind,
		typeName: "pin_dialin",
		description: "The domain's whole `pin_dialin` array, managed exclusively: routes not declared here are removed. " +
			"Destroying it empties the array.",
		attributes: pinRouteAttributes,
	}
}

func (r *exclusiveResource[R, P]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.typeName
}

func (r *exclusiveResource[R, P]) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keyDoc := "phone numbers in E.164 form"
	if r.kind.sipOnly {
		keyDoc += ", or `sip:<name_prefix>` for SIP-only routes"
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: r.description + "\n\nManage an array either with this resource or with the per-route resources, never both: " +
			"this resource would remove their routes on every apply.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The name of the array, `" + r.kind.array + "`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"routes": schema.MapNestedAttribute{
				Required:            true,
				MarkdownDescription: "Every route of the array, keyed by " + keyDoc + ". An empty map empties the array.",
				Validators:          []validator.Map{mapvalidator.KeysAre(r.kind.routeKeyValidator())},
				NestedObject:        schema.NestedAttributeObject{Attributes: r.attributes()},
			},
		},
	}
}

// ValidateConfig checks that a SIP-only route's name_prefix agrees with its key.
func (r *exclusiveResource[R, P]) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if !r.kind.sipOnly {
		return
	}
	// Keys often come from resources not created yet: the map is then unknown.
	var routes types.Map
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("routes"), &routes)...)
	if routes.IsNull() || routes.IsUnknown() {
		return
	}
	for key, element := range routes.Elements() {
		route, isObject := element.(types.Object)
		prefix, isSIP := strings.CutPrefix(key, dialin.SIPKeyPrefix)
		if !isObject || !isSIP || route.IsNull() || route.IsUnknown() {
			continue
		}
		if v, ok := route.Attributes()["name_prefix"].(types.String); ok && !v.IsNull() && !v.IsUnknown() && v.ValueString() != prefix {
			resp.Diagnostics.AddAttributeError(path.Root("routes").AtMapKey(key).AtName("name_prefix"), "name_prefix contradicts the route key",
				fmt.Sprintf("The SIP-only route %q is identified by name_prefix %q; leave name_prefix unset or set it to %q.", key, prefix, prefix))
		}
	}
}

func (r *exclusiveResource[R, P]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *exclusiveResource[R, P]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.apply(ctx, req.Plan.Get, &resp.State, &resp.Diagnostics)
}

func (r *exclusiveResource[R, P]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx = withMasking(ctx, r.data)
	entries, err := r.data.dialin.Entries(ctx, r.kind.array)
	if err != nil {
		resp.Diagnostics.AddError("Could not read "+r.kind.array, err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, arrayModelOf[R, P](r.kind.array, entries))...)
}

func (r *exclusiveResource[R, P]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.apply(ctx, req.Plan.Get, &resp.State, &resp.Diagnostics)
}

func (r *exclusiveResource[R, P]) Delete(ctx context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = withMasking(ctx, r.data)
	if _, err := r.data.dialin.ReplaceAll(ctx, r.kind.array, nil); err != nil {
		resp.Diagnostics.AddError("Could not empty "+r.kind.array, err.Error())
	}
}

// ImportState takes over the array as it is; any ID is accepted, the array's name reads best.
func (r *exclusiveResource[R, P]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

// apply makes the array hold exactly the planned routes.
func (r *exclusiveResource[R, P]) apply(ctx context.Context, getPlan func(context.Context, any) diag.Diagnostics, state *tfsdk.State, diags *diag.Diagnostics) {
	ctx = withMasking(ctx, r.data)
	var plan exclusiveModel[R]
	diags.Append(getPlan(ctx, &plan)...)
	if diags.HasError() {
		return
	}
	keys := slices.Sorted(maps.Keys(plan.Routes))
	specs := make([]dialin.RouteSpec, 0, len(keys))
	for _, key := range keys {
		route := plan.Routes[key]
		specs = append(specs, P(&route).spec(key))
	}
	entries, err := r.data.dialin.ReplaceAll(ctx, r.kind.array, specs)
	if err != nil {
		diags.AddError("Could not write "+r.kind.array, err.Error())
		return
	}
	diags.Append(state.Set(ctx, arrayModelOf[R, P](r.kind.array, entries))...)
}

// arrayModelOf is the whole array as Daily holds it, keyed by route key.
func arrayModelOf[R any, P interface {
	*R
	routeAttrs
}](array string, entries []dialin.Entry) *exclusiveModel[R] {
	m := &exclusiveModel[R]{ID: types.StringValue(array), Routes: make(map[string]R, len(entries))}
	for _, e := range entries {
		var route R
		P(&route).load(e)
		m.Routes[e.Key()] = route
	}
	return m
}
