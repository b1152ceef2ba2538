package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// newPinlessDialinConfigResource is the daily_pinless_dialin_config resource.
func newPinlessDialinConfigResource() resource.Resource {
	return withStore(&configResource{
		kind: pinlessKind,
		description: "Routes incoming calls on one phone number (or one SIP interconnect) to your webhook: one pinless dial-in config object of Daily's " +
			"`/domain-dialin-config` API. Each object is written on its own (one POST, PUT or DELETE), with no read-modify-write of the domain, " +
			"so no other writer's change to another route can undo it.",
	})
}

// newPinDialinConfigResource is the daily_pin_dialin_config resource.
func newPinDialinConfigResource() resource.Resource {
	return withStore(&configResource{
		kind: pinKind,
		description: "Lets callers of one phone number join a room by its PIN: one PIN dial-in config object of Daily's `/domain-dialin-config` API. " +
			"Each object is written on its own, with no read-modify-write of the domain.",
	})
}

// configResource manages one dial-in config object. Its attributes are
// those of the per-route resource of its kind (see routeSchema), with the
// object's id as id and a deletion_protection of its own; its state is
// arrayKind.objectState.
type configResource struct {
	kind        *arrayKind
	description string
	routeStateResource
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

// read returns the state of the config object whose state was prior, as Daily
// holds it now; found is false when Daily no longer holds it.
func (r *configResource) read(ctx context.Context, prior routeValues) (routeValues, bool, diag.Diagnostics) {
	obj, found, diags := r.kind.readObject(ctx, r.data.dialin, prior.id())
	if diags.HasError() || !found {
		return nil, false, diags
	}
	state, stateDiags := r.kind.objectState(obj, prior)
	return state, true, append(diags, stateDiags...)
}

// write creates the planned config object, or updates it when prior, the
// state before an update, is set, and returns the object's new state.
func (r *configResource) write(ctx context.Context, plan tfsdk.Plan, config tfsdk.Config, prior *tfsdk.State) (routeValues, diag.Diagnostics) {
	values, diags := plannedValues(ctx, plan, config, prior)
	if diags.HasError() {
		return nil, diags
	}
	key := values.key()
	spec := r.kind.spec(key, values)
	var obj client.DialinConfig
	if prior == nil {
		var err error
		if obj, err = r.data.dialin.CreateObject(ctx, r.kind.array, spec); err != nil {
			diags.AddError("Cannot create dial-in config", writeErrorDetail(r.kind, key, err))
			return nil, diags
		}
	} else {
		var updateDiags diag.Diagnostics
		obj, updateDiags = r.update(ctx, *prior, key, spec)
		if diags.Append(updateDiags...); diags.HasError() {
			return nil, diags
		}
	}
	state, stateDiags := r.kind.objectState(obj, values)
	diags.Append(stateDiags...)
	return state, diags
}

// update sends one PUT carrying every field and the secret (see
// dialin.Engine.UpdateObject), unless only what Daily does not hold
// changed (deletion_protection, a write-only secret's version back to
// null), and returns the object as Daily holds it.
func (r *configResource) update(ctx context.Context, state tfsdk.State, key string, spec dialin.RouteSpec) (client.DialinConfig, diag.Diagnostics) {
	prior, diags := routeValuesOf(ctx, state)
	if diags.HasError() {
		return client.DialinConfig{}, diags
	}
	obj, unchanged, readDiags := r.unchanged(ctx, spec, prior)
	if diags.Append(readDiags...); diags.HasError() || unchanged {
		return obj, diags
	}
	obj, err := r.data.dialin.UpdateObject(ctx, r.kind.array, prior.id(), spec)
	if err != nil {
		diags.AddError("Cannot update dial-in config", writeErrorDetail(r.kind, key, err))
	}
	return obj, diags
}

// unchanged reports whether spec asks for nothing that the prior state
// does not hold already; obj is then the object as Daily holds it.
func (r *configResource) unchanged(ctx context.Context, spec dialin.RouteSpec, prior routeValues) (obj client.DialinConfig, unchanged bool, diags diag.Diagnostics) {
	held := r.kind.spec(prior.key(), prior)
	if !maps.EqualFunc(spec.Set, held.Set, func(a, b json.RawMessage) bool { return bytes.Equal(a, b) }) {
		return obj, false, diags
	}
	obj, found, diags := r.kind.readObject(ctx, r.data.dialin, prior.id())
	if !diags.HasError() && !found {
		diags.AddError("Cannot update dial-in config", fmt.Sprintf(
			"The %s config object %s (%s) is gone: another writer deleted it since the plan. Run terraform apply again to create it anew.",
			r.kind.array, prior.id(), prior.key()))
	}
	return obj, true, diags
}

func (r *configResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	values, ok := valuesToDelete(ctx, req, resp, r.protection)
	if !ok {
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
		howTo := fmt.Sprintf("Import a %s config object by its id, or by the phone number it holds", r.kind.array)
		if !r.kind.validImportKey(ctx, id, howTo, "a SIP-only one", &resp.Diagnostics) {
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

// identityOf is the identity of the config object whose state is values.
func (r *configResource) identityOf(values routeValues) map[string]attr.Value {
	return configIdentity(values.id())
}
