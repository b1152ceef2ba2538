package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"

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

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

var (
	_ resource.ResourceWithConfigure      = &configResource{}
	_ resource.ResourceWithIdentity       = &configResource{}
	_ resource.ResourceWithImportState    = &configResource{}
	_ resource.ResourceWithModifyPlan     = &configResource{}
	_ resource.ResourceWithValidateConfig = &configResource{}
)

// newPinlessDialinConfigResource is the daily_pinless_dialin_config resource.
func newPinlessDialinConfigResource() resource.Resource {
	return &configResource{
		kind: pinlessKind,
		description: "Routes incoming calls on one phone number (or one SIP interconnect) to your webhook: one pinless dial-in config object of Daily's " +
			"`/domain-dialin-config` API. Each object is written on its own (one POST, PUT or DELETE), with no read-modify-write of the domain, " +
			"so no other writer's change to another route can undo it.",
	}
}

// newPinDialinConfigResource is the daily_pin_dialin_config resource.
func newPinDialinConfigResource() resource.Resource {
	return &configResource{
		kind: pinKind,
		description: "Lets callers of one phone number join a room by its PIN: one PIN dial-in config object of Daily's `/domain-dialin-config` API. " +
			"Each object is written on its own, with no read-modify-write of the domain.",
	}
}

// configResource manages one dial-in config object. Its attributes are
// those of the per-route resource of its kind (see routeSchema), with the
// object's id as id and a deletion_protection of its own; its state is
// arrayKind.objectState.
type configResource struct {
	kind        *arrayKind
	description string
	data        *providerData
}

func (r *configResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.configTypeName()
}

func (r *configResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := maps.Clone(r.routeSchema(ctx).Attributes)
	attrs[attrID] = schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: "Daily's id of the config object.",
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	if number, ok := attrs[attrPhoneNumber].(schema.StringAttribute); ok {
		number.MarkdownDescription = "The purchased number this config answers, in E.164 form. Changing it replaces the config object. " +
			"Daily keeps one dial-in config per number, across its config objects and its dial-in arrays."
		if r.kind.sipOnly {
			number.MarkdownDescription += " Leave it unset for a SIP-only config, which is then identified by `name_prefix`."
		}
		attrs[attrPhoneNumber] = number
	}
	if uri, ok := attrs[attrSIPURI].(schema.StringAttribute); ok {
		// Daily may mint a new one whenever the object changes: unknown in
		// the plan of an update, as the framework plans a computed
		// attribute without a plan modifier, and kept otherwise. Set here
		// whatever the route's attribute carries.
		uri.PlanModifiers = nil
		uri.MarkdownDescription = "SIP URI Daily generated for this config. Daily may mint a new one when the object changes, " +
			"so an update plans it as known only after apply."
		attrs[attrSIPURI] = uri
	}
	attrs[attrDeletionProtection] = deletionProtectionAttribute("this config object", "")
	resp.Schema = schema.Schema{
		MarkdownDescription: r.description + "\n\nNever manage a number both with this resource and with a route resource (`daily_" +
			r.kind.routeTypeName() + "`, `daily_" + r.kind.array + "`): Daily keeps one dial-in config per number. " +
			"And never combine config objects with the exclusive `daily_" + r.kind.array + "` resource: where Daily's objects are the array's entries, " +
			"it deletes every object it does not declare.",
		Attributes: attrs,
	}
}

// routeSchema is the schema of the per-route resource of the same kind,
// whose attributes, descriptions and validation a config's are.
func (r *configResource) routeSchema(ctx context.Context) schema.Schema {
	var resp resource.SchemaResponse
	(&routeResource{kind: r.kind, typeName: r.kind.routeTypeName()}).Schema(ctx, resource.SchemaRequest{}, &resp)
	return resp.Schema
}

func (r *configResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			attrID: identityschema.StringAttribute{RequiredForImport: true, Description: "Daily's id of the config object."},
		},
	}
}

func (r *configResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *configResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	values, diags := plannedValues(ctx, req.Plan, req.Config, nil)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	key := values.key()
	obj, err := r.data.dialin.CreateObject(ctx, r.kind.array, r.kind.spec(key, values))
	if err != nil {
		resp.Diagnostics.AddError("Cannot create dial-in config", writeErrorDetail(r.kind, key, err))
		return
	}
	state, diags := r.kind.objectState(obj, values)
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.Diagnostics.Append(r.setState(ctx, &resp.State, resp.Identity, state)...)
	}
}

func (r *configResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var stored types.Object
	resp.Diagnostics.Append(req.State.Get(ctx, &stored)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior := routeValues(stored.Attributes())
	// Before anything else: even a read that finds the object gone must
	// return an identity, and a state written without identities has none.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, configIdentity(prior.id()))...)
	obj, found, err := r.data.dialin.Object(ctx, prior.id())
	if err != nil {
		resp.Diagnostics.AddError("Cannot read dial-in config", fmt.Sprintf("Reading the %s config object %s: %s", r.kind.array, prior.id(), err))
		return
	}
	if !found {
		// Gone out of band: the next plan creates it again.
		resp.State.RemoveResource(ctx)
		return
	}
	state, diags := r.kind.objectState(obj, prior)
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.Diagnostics.Append(state.set(ctx, &resp.State)...)
	}
}

// Update sends one PUT carrying every field and the secret (see
// dialin.Engine.UpdateObject), unless only what Daily does not hold
// changed (deletion_protection, a write-only secret's version back to null).
func (r *configResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	values, diags := plannedValues(ctx, req.Plan, req.Config, &req.State)
	resp.Diagnostics.Append(diags...)
	var stored types.Object
	resp.Diagnostics.Append(req.State.Get(ctx, &stored)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior := routeValues(stored.Attributes())
	id, key := prior.id(), values.key()
	spec := r.kind.spec(key, values)
	obj, unchanged, diags := r.unchanged(ctx, spec, prior)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	if !unchanged {
		var err error
		if obj, err = r.data.dialin.UpdateObject(ctx, r.kind.array, id, spec); err != nil {
			resp.Diagnostics.AddError("Cannot update dial-in config", writeErrorDetail(r.kind, key, err))
			return
		}
	}
	state, diags := r.kind.objectState(obj, values)
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.Diagnostics.Append(r.setState(ctx, &resp.State, resp.Identity, state)...)
	}
}

// unchanged reports whether spec asks for nothing that the prior state
// does not hold already; obj is then the object as Daily holds it.
func (r *configResource) unchanged(ctx context.Context, spec dialin.RouteSpec, prior routeValues) (obj client.DialinConfig, unchanged bool, diags diag.Diagnostics) {
	held := r.kind.spec(prior.key(), prior)
	if !maps.EqualFunc(spec.Set, held.Set, func(a, b json.RawMessage) bool { return bytes.Equal(a, b) }) {
		return obj, false, diags
	}
	obj, found, err := r.data.dialin.Object(ctx, prior.id())
	switch {
	case err != nil:
		diags.AddError("Cannot read dial-in config", fmt.Sprintf("Reading the %s config object %s: %s", r.kind.array, prior.id(), err))
	case !found:
		diags.AddError("Cannot update dial-in config", fmt.Sprintf(
			"The %s config object %s (%s) is gone: another writer deleted it since the plan. Run terraform apply again to create it anew.",
			r.kind.array, prior.id(), prior.key()))
	}
	return obj, true, diags
}

func (r *configResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var stored types.Object
	resp.Diagnostics.Append(req.State.Get(ctx, &stored)...)
	if resp.Diagnostics.HasError() {
		return
	}
	values := routeValues(stored.Attributes())
	// ModifyPlan refuses the plan already; a -replace or a taint is
	// planned without asking it.
	if values.deletionProtected() {
		r.protection(values).refuseDelete(&resp.Diagnostics)
		return
	}
	key := values.key()
	if err := r.data.dialin.DeleteObject(ctx, r.kind.array, values.id(), r.kind.spec(key, values)); err != nil {
		resp.Diagnostics.AddError("Cannot delete dial-in config", fmt.Sprintf("Deleting the %s config object %s (%s): %s", r.kind.array, values.id(), key, err))
	}
}

// ImportState takes the object's id, the E.164 number it holds, or for a
// SIP-only pinless object sip:<name_prefix>; or an identity holding its id.
func (r *configResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" && req.Identity != nil {
		var fromIdentity types.String
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(attrID), &fromIdentity)...)
		id = fromIdentity.ValueString()
	}
	if strings.HasPrefix(id, "+") || strings.HasPrefix(id, dialin.SIPKeyPrefix) {
		var check validator.StringResponse
		r.kind.routeKeyValidator().ValidateString(ctx, validator.StringRequest{Path: path.Root(attrID), ConfigValue: types.StringValue(id)}, &check)
		if check.Diagnostics.HasError() {
			hint := ""
			if r.kind.sipOnly {
				hint = ", or a SIP-only one by sip:<name_prefix>"
			}
			resp.Diagnostics.AddError("Invalid import ID",
				fmt.Sprintf("Import a %s config object by its id, or by the phone number it holds in E.164 form (e.g. +14155550123)%s; got %q.", r.kind.array, hint, id))
			return
		}
		var diags diag.Diagnostics
		id, diags = r.kind.objectIDOf(ctx, r.data.dialin, id)
		resp.Diagnostics.Append(diags...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if id == "" {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("Import a %s config object by its id, or by the phone number it holds.", r.kind.array))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrID), id)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, configIdentity(id))...)
}

// setState sets the state to a config just written, and the identity to its id.
func (r *configResource) setState(ctx context.Context, state *tfsdk.State, identity *tfsdk.ResourceIdentity, values routeValues) diag.Diagnostics {
	diags := values.set(ctx, state)
	diags.Append(setIdentity(ctx, identity, configIdentity(values.id()))...)
	return diags
}

// plannedValues are a config's planned values with the write-only secret
// to send, if any (see routeValues.withWriteOnlySecret).
func plannedValues(ctx context.Context, plan tfsdk.Plan, config tfsdk.Config, prior *tfsdk.State) (routeValues, diag.Diagnostics) {
	var planned types.Object
	diags := plan.Get(ctx, &planned)
	if diags.HasError() {
		return nil, diags
	}
	values, secretDiags := routeValues(planned.Attributes()).withWriteOnlySecret(ctx, config, prior)
	diags.Append(secretDiags...)
	return values, diags
}
