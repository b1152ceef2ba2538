package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// newPinlessDialinResource is the daily_pinless_dialin resource.
func newPinlessDialinResource() resource.Resource {
	return &exclusiveResource{
		kind: pinlessKind,
		description: "The domain's whole `pinless_dialin` array, managed exclusively: routes not declared here are removed. " +
			"Routes that already exist are adopted as they are (their `hmac` and `sip_uri` are kept). Destroying it empties the array.",
	}
}

// newPinDialinResource is the daily_pin_dialin resource.
func newPinDialinResource() resource.Resource {
	return &exclusiveResource{
		kind: pinKind,
		description: "The domain's whole `pin_dialin` array, managed exclusively: routes not declared here are removed. " +
			"Destroying it empties the array.",
	}
}

// exclusiveResource owns a whole dial-in array: entries it does not declare
// are removed.
type exclusiveResource struct {
	kind        *arrayKind
	description string
	data        *providerData
}

func (r *exclusiveResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.array
}

func (r *exclusiveResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keyDoc := "phone numbers in E.164 form"
	if r.kind.sipOnly {
		keyDoc += ", or `sip:<name_prefix>` for SIP-only routes"
	}
	attrs := map[string]schema.Attribute{
		attrID: schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: "The name of the array, `" + r.kind.array + "`.",
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		attrRoutes: schema.MapNestedAttribute{
			Required:            true,
			MarkdownDescription: "Every route of the array, keyed by " + keyDoc + ". An empty map empties the array.",
			Validators:          []validator.Map{mapvalidator.KeysAre(r.kind.routeKeyValidator())},
			NestedObject:        schema.NestedAttributeObject{Attributes: r.kind.routeAttributes(inRouteMap, map[string]schema.Attribute{})},
		},
	}
	if secret, ok := r.kind.secret(); ok {
		attrs[attrHMACs] = schema.MapAttribute{
			ElementType: types.StringType,
			Optional:    true,
			Computed:    true,
			Sensitive:   true,
			MarkdownDescription: "The `" + secret.name + "` of every route, keyed like `routes`: the base64 secret with which Daily signs the route's webhook requests. " +
				"Leave it unset to keep the secrets Daily mints when routes are created (and those routes already had): the provider re-sends them on every write, " +
				"so they never rotate, and reads them into this map. Set it to choose the secrets yourself: it must then hold one for every route, and nothing else.",
			Validators: []validator.Map{mapvalidator.ValueStringsAre(base64Validator())},
		}
	}
	for _, f := range r.kind.asideFields() {
		if f.role == readOnly {
			attrs[asideAttribute(f)] = schema.MapAttribute{
				ElementType: types.StringType,
				Computed:    true,
				MarkdownDescription: "The `" + f.name + "` of every route, keyed like `routes`, as Daily generated it. " +
					"Daily may mint new ones when the array is written, so a plan that changes the array shows this map as known after apply.",
			}
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: r.description + " An array holding entries no route key addresses on its own (" + oddEntriesText(r.kind) + ") is refused: " +
			"this resource would merge or remove them." +
			"\n\nManage an array either with this resource or with the per-route resources, never both: " +
			"this resource would remove their routes on every apply. Within one configuration, a plan that declares both for one array, " +
			"or two of this resource, is refused.",
		Attributes: attrs,
	}
}

func (r *exclusiveResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			attrDomainID: identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The id of the Daily domain whose array this is (GET /v1/ returns it as domain_id); the provider's API key selects the domain.",
			},
		},
	}
}

func (r *exclusiveResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *exclusiveResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	model, diags := r.apply(ctx, req.Plan, req.Config)
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.Diagnostics.Append(r.setState(ctx, &resp.State, resp.Identity, model)...)
	}
}

func (r *exclusiveResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	entries, diags := r.readManageable(ctx)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	var stored types.Map
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(attrRoutes), &stored)...)
	model, diags := arrayModelOf(r.kind, entries, declaredPrefixes(stored))
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.Diagnostics.Append(r.setState(ctx, &resp.State, resp.Identity, model)...)
	}
}

func (r *exclusiveResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	model, diags := r.apply(ctx, req.Plan, req.Config)
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.Diagnostics.Append(r.setState(ctx, &resp.State, resp.Identity, model)...)
	}
}

// Delete empties the array, but for routes per-route resources of this
// apply wrote: the array changing style in one apply (see dialin.RemoveAll).
func (r *exclusiveResource) Delete(ctx context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	if err := r.data.dialin.RemoveAll(ctx, r.kind.array); err != nil {
		resp.Diagnostics.AddError("Cannot empty dial-in array", fmt.Sprintf("Emptying %s: %s", r.kind.array, err))
	}
}

// ImportState takes over the array as it is. Any ID is accepted, the
// array's name reads best; an identity must name the domain the API key selects.
func (r *exclusiveResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID != "" {
		resource.ImportStatePassthroughID(ctx, path.Root(attrID), req, resp)
		return
	}
	var named types.String
	resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(attrDomainID), &named)...)
	actual, err := r.data.dialin.DomainID(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read dial-in array", fmt.Sprintf("Reading %s: %s", r.kind.array, err))
		return
	}
	if named.ValueString() != actual {
		resp.Diagnostics.AddAttributeError(path.Root(attrDomainID), "Identity names another domain",
			fmt.Sprintf("The identity names domain %s, but the provider's API key selects domain %s. Configure the provider with that domain's API key, or import with domain_id = %q.",
				named.ValueString(), actual, actual))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrID), r.kind.array)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, map[string]attr.Value{attrDomainID: named})...)
}

// apply makes the array hold exactly the planned routes, with the secrets
// the configuration sets; without them, every route keeps the one it has.
// It returns the array as Daily then holds it.
func (r *exclusiveResource) apply(ctx context.Context, plan tfsdk.Plan, config tfsdk.Config) (arrayModel, diag.Diagnostics) {
	var planned types.Map
	diags := plan.GetAttribute(ctx, path.Root(attrRoutes), &planned)
	secret, hasSecret := r.kind.secret()
	var secrets types.Map
	if hasSecret {
		diags.Append(config.GetAttribute(ctx, path.Root(attrHMACs), &secrets)...)
	}
	if diags.HasError() {
		return arrayModel{}, diags
	}
	routes, configured := planned.Elements(), secrets.Elements()
	specs := make([]dialin.RouteSpec, 0, len(routes))
	for _, key := range slices.Sorted(maps.Keys(routes)) {
		route, _ := routes[key].(types.Object)
		values := routeValues(route.Attributes())
		if v, ok := configured[key]; ok {
			values = values.with(secret.name, v)
		}
		specs = append(specs, r.kind.spec(key, values))
	}
	entries, err := r.data.dialin.ReplaceAll(ctx, r.kind.array, specs, r.refuseOdd)
	var odd *oddEntriesError
	if errors.As(err, &odd) {
		diags.Append(odd.diag)
		return arrayModel{}, diags
	}
	if err != nil {
		diags.AddError("Cannot write dial-in array", fmt.Sprintf("Writing %s: %s", r.kind.array, err))
		return arrayModel{}, diags
	}
	model, modelDiags := arrayModelOf(r.kind, entries, declaredPrefixes(planned))
	diags.Append(modelDiags...)
	return model, diags
}

// readManageable reads the array, refusing one that holds entries no route
// key addresses (see splitOdd): keyed by route, this resource would merge
// them or remove them.
func (r *exclusiveResource) readManageable(ctx context.Context) ([]dialin.Entry, diag.Diagnostics) {
	entries, diags := r.kind.readArray(ctx, r.data.dialin)
	if diags.HasError() {
		return nil, diags
	}
	if _, odd := r.kind.splitOdd(entries); len(odd) > 0 {
		diags.Append(r.kind.oddEntriesRefused(odd, len(entries), "daily_"+r.kind.array))
	}
	return entries, diags
}

// refuseOdd refuses, before any write, an array that holds entries no route
// key addresses (see splitOdd): keyed by route, ReplaceAll would merge them
// or remove them.
func (r *exclusiveResource) refuseOdd(current []dialin.Entry) error {
	if _, odd := r.kind.splitOdd(current); len(odd) > 0 {
		return &oddEntriesError{r.kind.oddEntriesRefused(odd, len(current), "daily_"+r.kind.array)}
	}
	return nil
}

// oddEntriesError carries refuseOdd's diagnostic through the engine.
type oddEntriesError struct{ diag diag.Diagnostic }

func (e *oddEntriesError) Error() string { return e.diag.Detail() }

// setState sets the state to the array's model and the identity to its
// domain.
func (r *exclusiveResource) setState(ctx context.Context, state *tfsdk.State, identity *tfsdk.ResourceIdentity, model arrayModel) diag.Diagnostics {
	diags := model.set(ctx, state)
	domainID, err := r.data.dialin.DomainID(ctx)
	if err != nil {
		diags.AddError("Cannot read dial-in array", fmt.Sprintf("Reading %s: %s", r.kind.array, err))
		return diags
	}
	diags.Append(setIdentity(ctx, identity, map[string]attr.Value{attrDomainID: types.StringValue(domainID)})...)
	return diags
}

// declaredPrefixes shows the name_prefix of the routes that set it in
// declared, the routes map as planned or as last stored (null on import).
func declaredPrefixes(declared types.Map) shownPrefixes {
	setting := map[string]bool{}
	for key, element := range declared.Elements() {
		if route, ok := element.(types.Object); ok && !route.IsNull() && !route.IsUnknown() {
			setting[key] = !routeValues(route.Attributes()).namePrefix().IsNull()
		}
	}
	return func(key string) bool { return setting[key] }
}
