package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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

var (
	_ resource.ResourceWithConfigure      = &routeResource{}
	_ resource.ResourceWithIdentity       = &routeResource{}
	_ resource.ResourceWithImportState    = &routeResource{}
	_ resource.ResourceWithModifyPlan     = &routeResource{}
	_ resource.ResourceWithValidateConfig = &routeResource{}
)

// newPinlessDialinRouteResource is the daily_pinless_dialin_route resource.
func newPinlessDialinRouteResource() resource.Resource {
	return &routeResource{
		kind:     pinlessKind,
		typeName: "pinless_dialin_route",
		description: "Routes incoming calls on one phone number (or one SIP interconnect) to your webhook: one entry of the domain's `pinless_dialin` array. " +
			"Every other entry of the array, including its `hmac`, is left exactly as it is, however many of these resources are applied at once.",
	}
}

// newPinDialinRouteResource is the daily_pin_dialin_route resource.
func newPinDialinRouteResource() resource.Resource {
	return &routeResource{
		kind:     pinKind,
		typeName: "pin_dialin_route",
		description: "Lets callers of one phone number join a room by its PIN: one entry of the domain's `pin_dialin` array. " +
			"Every other entry of the array is left exactly as it is.",
	}
}

// routeResource manages one entry of a dial-in array and leaves every other
// entry exactly as it is. Its state (see arrayKind.routeState) is the entry's
// fields plus id, the entry's key, and phone_number; in an array with a
// secret, also hmac_wo, always null, and hmac_wo_version.
type routeResource struct {
	kind        *arrayKind
	typeName    string
	description string
	data        *providerData
}

func (r *routeResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.typeName
}

func (r *routeResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	numberDoc := "The purchased number this route answers, in E.164 form. Changing it replaces the route."
	idDoc := "The route's key in the array: its phone number in E.164 form."
	if r.kind.sipOnly {
		numberDoc += " Leave it unset for a SIP-only route, which is then identified by `name_prefix`."
		idDoc = "The route's key in the array: its phone number, or `sip:<name_prefix>` for a SIP-only route."
	}
	attrs := map[string]schema.Attribute{
		attrID: schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: idDoc,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		attrPhoneNumber: schema.StringAttribute{
			Required:            !r.kind.sipOnly,
			Optional:            r.kind.sipOnly,
			MarkdownDescription: numberDoc,
			Validators:          []validator.String{e164Validator()},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		attrDeletionProtection: deletionProtectionAttribute("the route",
			"Set it together with the number's own `deletion_protection`, so that no plan removes the route of a number that stays."),
	}
	if _, ok := r.kind.secret(); ok {
		attrs[attrHMACWO] = schema.StringAttribute{
			Optional:  true,
			WriteOnly: true,
			Sensitive: true,
			MarkdownDescription: "Write-only alternative to `hmac` (Terraform 1.11 and later): the base64 secret is sent to Daily but never stored in the plan or state, " +
				"and `hmac` stays null. Terraform cannot see a change of a write-only value: it is sent when the route is created and whenever `hmac_wo_version` changes. " +
				"Requires `hmac_wo_version`; cannot be used with `hmac`.",
			Validators: []validator.String{
				base64Validator(),
				stringvalidator.ConflictsWith(path.MatchRoot(attrHMAC)),
				stringvalidator.AlsoRequires(path.MatchRoot(attrHMACWOVersion)),
			},
		}
		attrs[attrHMACWOVersion] = schema.Int64Attribute{
			Optional:            true,
			MarkdownDescription: "Version of `hmac_wo`: change it (for example increment it) to send the current `hmac_wo` to Daily. Required with `hmac_wo`, and only with it.",
			Validators:          []validator.Int64{int64validator.AlsoRequires(path.MatchRoot(attrHMACWO))},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: r.description + "\n\nManage an array either with these per-route resources or with its exclusive resource, never both: " +
			"the exclusive resource removes every entry it does not declare. Within one configuration, a plan that declares both for one array is refused.",
		Attributes: r.kind.routeAttributes(perRoute, attrs),
	}
}

func (r *routeResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	attrs := map[string]identityschema.Attribute{
		attrPhoneNumber: identityschema.StringAttribute{
			RequiredForImport: !r.kind.sipOnly,
			OptionalForImport: r.kind.sipOnly,
			Description:       "The route's phone number, in E.164 form.",
		},
	}
	if r.kind.sipOnly {
		attrs[attrNamePrefix] = identityschema.StringAttribute{
			OptionalForImport: true,
			Description:       "For a SIP-only route, which has no phone number: its name_prefix.",
		}
	}
	resp.IdentitySchema = identityschema.Schema{Attributes: attrs}
}

func (r *routeResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if !r.kind.sipOnly {
		return
	}
	var number, prefix types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrPhoneNumber), &number)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrNamePrefix), &prefix)...)
	if number.IsNull() && prefix.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root(attrPhoneNumber), "Route has no identity",
			"Set phone_number to the E.164 number this route answers, or, for a SIP-only route, set name_prefix, which then identifies it.")
	}
}

// ModifyPlan refuses to remove a protected route and warns before removing
// any other; keeps hmac null while the secret is write-only; and refuses a
// route key that another per-route resource of this configuration declares
// too: Daily keeps one entry per number, and two resources holding it would
// undo each other's changes, or remove each other's route when either is destroyed.
func (r *routeResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var prior routeValues // nil for a route to create
	if !req.State.Raw.IsNull() {
		var stored types.Object
		resp.Diagnostics.Append(req.State.Get(ctx, &stored)...)
		prior = routeValues(stored.Attributes())
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if req.Plan.Raw.IsNull() {
		r.planRemoval(prior, "destroys", &resp.Diagnostics)
		return
	}
	var planned types.Object
	resp.Diagnostics.Append(req.Plan.Get(ctx, &planned)...)
	if resp.Diagnostics.HasError() {
		return
	}
	values := routeValues(planned.Attributes())
	if values.writeOnlySecret() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(attrHMAC), types.StringNull())...)
	}
	if replaced := replacing(prior, values); len(replaced) > 0 {
		// The replacement is a new route, under another key: the old one goes.
		r.planRemoval(prior, "replaces ("+strings.Join(replaced, ", ")+" changes)", &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	if r.data == nil {
		return // not configured yet
	}
	identity := attrPhoneNumber
	if values[identity].IsNull() {
		identity = attrNamePrefix
	}
	known := !values[identity].IsUnknown()
	declared := declaration{typeName: "daily_" + r.typeName, description: r.describe(values), existing: prior != nil, config: req.Config.Raw.String()}
	// The array is known even while the key is not.
	inArray := declared
	inArray.description += ", for a " + identity + " known only after apply"
	if known {
		inArray.description = fmt.Sprintf("%s, for %s", declared.description, values.key())
	}
	r.data.plans.claimArray(r.kind.array, oneEntry, inArray, &resp.Diagnostics)
	if known { // otherwise, known when the apply plans it again
		r.data.plans.claimRoute(values.key(), declared, path.Root(identity), &resp.Diagnostics)
	}
}

// planRemoval refuses a plan that destroys or replaces (action) the route
// whose state is prior when it is protected, and otherwise warns of what
// stops working. A refusal fails the whole plan, so that nothing of it is
// applied. -replace and tainted routes are replaced without the plan
// telling: Delete refuses those, at apply.
func (r *routeResource) planRemoval(prior routeValues, action string, diags *diag.Diagnostics) {
	route := r.routeName(prior)
	if prior.deletionProtected() {
		r.protection(prior).refusePlan(action, path.Empty(), diags)
		return
	}
	if r.data != nil && r.data.plans.routeClaimed(prior.id()) {
		return // another resource declares the route, which stays (see dialin.Engine.Delete)
	}
	detail := fmt.Sprintf("This plan %s the daily_%s of %s and removes the route from Daily. %s", action, r.typeName, route, r.whatStops(prior))
	if number := prior.phoneNumber(); !number.IsNull() {
		detail += fmt.Sprintf(" The number %s itself stays bought, and billed, unless this plan also releases it.", number.ValueString())
	}
	detail += " (When another resource of this configuration declares the same route, as after a for_each key renamed without a moved block, the route is kept instead.)"
	diags.AddWarning("Dial-in route will be removed", detail)
}

// protection names the route whose state is prior in the refusals of its
// deletion_protection.
func (r *routeResource) protection(prior routeValues) protection {
	return protection{
		summary: "Dial-in route is protected from deletion",
		object:  fmt.Sprintf("the daily_%s of %s", r.typeName, r.routeName(prior)),
		loss:    "remove the route",
	}
}

// routeName names the route whose state is prior for messages: its number,
// or for a SIP-only route its name_prefix.
func (r *routeResource) routeName(prior routeValues) string {
	if number := prior.phoneNumber(); !number.IsNull() {
		return number.ValueString()
	}
	return fmt.Sprintf("the SIP-only route name_prefix = %q", prior.namePrefix().ValueString())
}

// whatStops says what stops working when the route whose state is prior is removed.
func (r *routeResource) whatStops(prior routeValues) string {
	if r.kind != pinlessKind {
		return "Callers of the number will no longer be asked for a PIN nor reach a room."
	}
	webhook, _ := prior[attrRoomCreationAPI].(types.String)
	if prior.phoneNumber().IsNull() {
		sipURI, _ := prior[attrSIPURI].(types.String)
		return fmt.Sprintf("Calls to its SIP URI %s will no longer reach the webhook %s.", sipURI.ValueString(), webhook.ValueString())
	}
	return fmt.Sprintf("Calls to the number will no longer reach the webhook %s.", webhook.ValueString())
}

// replacing names the planned changes that replace the route whose state is
// prior (nil for a new route): those of its identity, as the RequiresReplace
// modifiers of phone_number and name_prefix decide. The framework does not
// show a resource's ModifyPlan what they decided.
func replacing(prior, planned routeValues) []string {
	if prior == nil {
		return nil
	}
	var changed []string
	if !planned.phoneNumber().Equal(prior.phoneNumber()) {
		changed = append(changed, attrPhoneNumber)
	}
	if planned.phoneNumber().IsNull() && !planned.namePrefix().Equal(prior.namePrefix()) {
		changed = append(changed, attrNamePrefix)
	}
	return changed
}

// describe names the resource type and the planned webhook or name, so that
// a user can find it in the configuration.
func (r *routeResource) describe(values routeValues) string {
	var settings []string
	for _, f := range r.kind.fields(perRoute) {
		if v, ok := values[f.name].(types.String); ok && f.role == sentAsPlanned && !v.IsNull() && !v.IsUnknown() {
			settings = append(settings, fmt.Sprintf("%s = %q", f.name, v.ValueString()))
		}
	}
	if len(settings) == 0 {
		return "a daily_" + r.typeName
	}
	return fmt.Sprintf("a daily_%s with %s", r.typeName, strings.Join(settings, ", "))
}

func (r *routeResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *routeResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	written, diags := r.write(ctx, req.Plan, req.Config, nil)
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.Diagnostics.Append(r.setWritten(ctx, &resp.State, resp.Identity, written)...)
	}
}

func (r *routeResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var stored types.Object
	resp.Diagnostics.Append(req.State.Get(ctx, &stored)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior := routeValues(stored.Attributes())
	key := prior.id()
	// Before anything else: a state written by a Terraform without
	// identities has none, and even a read that finds the route gone must
	// return one.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, r.kind.routeIdentity(key))...)
	entry, found, diags := r.kind.readRoute(ctx, r.data.dialin, key)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	if !found {
		// Gone out of band: the next plan creates it again.
		resp.State.RemoveResource(ctx)
		return
	}
	state, diags := r.kind.routeState(entry, prior)
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.Diagnostics.Append(state.set(ctx, &resp.State)...)
	}
}

func (r *routeResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	written, diags := r.write(ctx, req.Plan, req.Config, &req.State)
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.Diagnostics.Append(r.setWritten(ctx, &resp.State, resp.Identity, written)...)
	}
}

func (r *routeResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state types.Object
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior := routeValues(state.Attributes())
	key := prior.id()
	if prior.deletionProtected() {
		r.protection(prior).refuseDelete(&resp.Diagnostics)
		return
	}
	err := r.data.dialin.Delete(ctx, r.kind.array, key)
	switch {
	case errors.As(err, new(*dialin.AmbiguousKeyError)):
		resp.Diagnostics.Append(r.ambiguous(ctx, key, "delete"))
	case err != nil:
		resp.Diagnostics.AddError("Cannot delete dial-in route", fmt.Sprintf("Deleting %s %s: %s", r.kind.noun, key, err))
	}
}

// ambiguous is the error of a write (verb) of key refused because several
// entries hold it, describing them as the array holds them.
func (r *routeResource) ambiguous(ctx context.Context, key, verb string) diag.Diagnostic {
	entries, _ := r.data.dialin.Entries(ctx, r.kind.array) // to describe them; they are known to exist
	return r.kind.ambiguousRoute(key, entries, verb)
}

// ImportState takes the route's key, its E.164 number or sip:<name_prefix>,
// or an identity holding its phone_number or name_prefix.
func (r *routeResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	key := req.ID
	if key == "" && req.Identity != nil {
		var diags diag.Diagnostics
		key, diags = r.kind.routeKeyOfIdentity(ctx, req.Identity)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return
		}
	}
	var check validator.StringResponse
	r.kind.routeKeyValidator().ValidateString(ctx, validator.StringRequest{
		Path: path.Root(attrID), ConfigValue: types.StringValue(key),
	}, &check)
	if check.Diagnostics.HasError() {
		hint := ""
		if r.kind.sipOnly {
			hint = ", or a SIP-only route by sip:<name_prefix>"
		}
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("Import a %s by its phone number in E.164 form (e.g. +14155550123)%s; got %q.", r.kind.noun, hint, key))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrID), key)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, r.kind.routeIdentity(key))...)
}

// write creates the planned route, or updates it when prior, the state
// before an update, is set, and returns the route's new state. A create
// refuses to take over an entry that already exists (see
// dialin.Engine.Create), since that is what import is for.
func (r *routeResource) write(ctx context.Context, plan tfsdk.Plan, config tfsdk.Config, prior *tfsdk.State) (routeValues, diag.Diagnostics) {
	put, verb := r.data.dialin.Create, "create"
	if prior != nil {
		put, verb = r.data.dialin.Put, "update"
	}
	var planned types.Object
	diags := plan.Get(ctx, &planned)
	if diags.HasError() {
		return nil, diags
	}
	values, secretDiags := routeValues(planned.Attributes()).withWriteOnlySecret(ctx, config, prior)
	diags.Append(secretDiags...)
	if diags.HasError() {
		return nil, diags
	}
	key := values.key()
	entry, err := put(ctx, r.kind.array, r.kind.spec(key, values))
	if errors.As(err, new(*dialin.AmbiguousKeyError)) {
		diags.Append(r.ambiguous(ctx, key, verb))
		return nil, diags
	}
	if err != nil {
		detail := fmt.Sprintf("Writing %s %s: %s", r.kind.noun, key, err)
		if errors.As(err, new(*dialin.ExistsError)) {
			detail += fmt.Sprintf(" (terraform import <address> %s, or an import block with id = %q)", key, key)
		}
		diags.AddError("Cannot "+verb+" dial-in route", detail)
		return nil, diags
	}
	state, stateDiags := r.kind.routeState(entry, values)
	diags.Append(stateDiags...)
	return state, diags
}

// setWritten sets the state to a route just written, and the identity to
// the route's.
func (r *routeResource) setWritten(ctx context.Context, state *tfsdk.State, identity *tfsdk.ResourceIdentity, written routeValues) diag.Diagnostics {
	diags := written.set(ctx, state)
	diags.Append(setIdentity(ctx, identity, r.kind.routeIdentity(written.id()))...)
	return diags
}
