package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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

	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// newPinlessDialinRouteResource is the daily_pinless_dialin_route resource.
func newPinlessDialinRouteResource() resource.Resource {
	return withStore(&routeResource{
		kind:     pinlessKind,
		typeName: "pinless_dialin_route",
		description: "Routes incoming calls on one phone number (or one SIP interconnect) to your webhook: one entry of the domain's `pinless_dialin` array. " +
			"Every other entry of the array, including its `hmac`, is left exactly as it is, however many of these resources are applied at once.",
	})
}

// newPinDialinRouteResource is the daily_pin_dialin_route resource.
func newPinDialinRouteResource() resource.Resource {
	return withStore(&routeResource{
		kind:     pinKind,
		typeName: "pin_dialin_route",
		description: "Lets callers of one phone number join a room by its PIN: one entry of the domain's `pin_dialin` array. " +
			"Every other entry of the array is left exactly as it is.",
	})
}

// routeResource manages one entry of a dial-in array and leaves every other
// entry exactly as it is. Its state (see arrayKind.routeState) is the entry's
// fields plus id, the entry's key, and phone_number; in an array with a
// secret, also hmac_wo, always null, and hmac_wo_version.
type routeResource struct {
	kind        *arrayKind
	typeName    string
	description string
	routeStateResource
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

// read returns the state of the route whose state was prior, as Daily
// holds it now; found is false when Daily no longer holds it.
func (r *routeResource) read(ctx context.Context, prior routeValues) (routeValues, bool, diag.Diagnostics) {
	entry, found, diags := r.kind.readRoute(ctx, r.data.dialin, prior.id())
	if diags.HasError() || !found {
		return nil, false, diags
	}
	state, stateDiags := r.kind.routeState(entry, prior)
	return state, true, append(diags, stateDiags...)
}

func (r *routeResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	prior, ok := valuesToDelete(ctx, req, resp, r.protection)
	if !ok {
		return
	}
	key := prior.id()
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
	howTo := fmt.Sprintf("Import a %s by its phone number", r.kind.noun)
	if !r.kind.validImportKey(ctx, key, howTo, "a SIP-only route", &resp.Diagnostics) {
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
	values, diags := plannedValues(ctx, plan, config, prior)
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

// identityOf is the identity of the route whose state is values.
func (r *routeResource) identityOf(values routeValues) map[string]attr.Value {
	return r.kind.routeIdentity(values.id())
}
