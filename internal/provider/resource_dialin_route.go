package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"

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

var sipKeyPattern = regexp.MustCompile(`^sip:\S+$`)

// routeModel is the state of a per-route resource: an id, the phone number
// and the route's attributes.
type routeModel interface {
	ident() *RouteIdent
	route() routeAttrs
	// key identifies the entry in its array.
	key() string
}

// RouteIdent holds the attributes every per-route resource has.
type RouteIdent struct {
	ID          types.String `tfsdk:"id"`
	PhoneNumber types.String `tfsdk:"phone_number"`
}

type pinlessRouteModel struct {
	RouteIdent
	PinlessRoute
}

func (m *pinlessRouteModel) ident() *RouteIdent { return &m.RouteIdent }
func (m *pinlessRouteModel) route() routeAttrs  { return &m.PinlessRoute }
func (m *pinlessRouteModel) key() string {
	if m.PhoneNumber.IsNull() {
		return dialin.SIPKeyPrefix + m.NamePrefix.ValueString()
	}
	return m.PhoneNumber.ValueString()
}

type pinRouteModel struct {
	RouteIdent
	PinRoute
}

func (m *pinRouteModel) ident() *RouteIdent { return &m.RouteIdent }
func (m *pinRouteModel) route() routeAttrs  { return &m.PinRoute }
func (m *pinRouteModel) key() string        { return m.PhoneNumber.ValueString() }

// routeResource manages one entry of a dial-in array and leaves every other
// entry exactly as it is. M is the state model; P is *M.
type routeResource[M any, P interface {
	*M
	routeModel
}] struct {
	kind        arrayKind
	typeName    string
	description string
	attributes  func() map[string]schema.Attribute
	data        *providerData
}

var (
	_ resource.ResourceWithImportState    = &routeResource[pinlessRouteModel, *pinlessRouteModel]{}
	_ resource.ResourceWithValidateConfig = &routeResource[pinlessRouteModel, *pinlessRouteModel]{}
)

// newPinlessDialinRouteResource is the daily_pinless_dialin_route resource.
func newPinlessDialinRouteResource() resource.Resource {
	return &routeResource[pinlessRouteModel, *pinlessRouteModel]{
		kind:     pinlessKind,
		typeName: "pinless_dialin_route",
		description: "Routes incoming calls on one phone number (or one SIP interconnect) to your webhook: one entry of the domain's `pinless_dialin` array. " +
			"Every other entry of the array, including its `hmac`, is left exactly as it is, however many of these resources are applied at once.",
		attributes: pinlessRouteAttributes,
	}
}

// newPinDialinRouteResource is the daily_pin_dialin_route resource.
func newPinDialinRouteResource() resource.Resource {
	return &routeResource[pinRouteModel, *pinRouteModel]{
		kind:     pinKind,
		typeName: "pin_dialin_route",
		description: "Lets callers of one phone number join a room by its PIN: one entry of the domain's `pin_dialin` array. " +
			"Every other entry of the array is left exactly as it is.",
		attributes: pinRouteAttributes,
	}
}

func (r *routeResource[M, P]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.typeName
}

func (r *routeResource[M, P]) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := r.attributes()
	attrs["id"] = schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: "The route's key in the array: its phone number, or `sip:<name_prefix>` for a SIP-only route.",
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	phone := schema.StringAttribute{
		Required:            !r.kind.sipOnly,
		Optional:            r.kind.sipOnly,
		MarkdownDescription: "The purchased number this route answers, in E.164 form. Changing it replaces the route.",
		Validators:          []validator.String{e164Validator()},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
	if r.kind.sipOnly {
		phone.MarkdownDescription += " Leave it unset for a SIP-only route, which is then identified by `name_prefix`."
		// Without a phone number, name_prefix is the route's identity.
		prefix, ok := attrs["name_prefix"].(schema.StringAttribute)
		if !ok {
			panic("pinless route attributes: name_prefix is not a string attribute")
		}
		prefix.PlanModifiers = append(prefix.PlanModifiers, stringplanmodifier.RequiresReplaceIf(
			func(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
				var number types.String
				resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("phone_number"), &number)...)
				resp.RequiresReplace = number.IsNull()
			},
			"Replaces a SIP-only route, which name_prefix identifies.",
			"Replaces a SIP-only route, which `name_prefix` identifies.",
		))
		attrs["name_prefix"] = prefix
	}
	attrs["phone_number"] = phone
	resp.Schema = schema.Schema{
		MarkdownDescription: r.description + "\n\nManage an array either with these per-route resources or with its exclusive resource, never both: " +
			"the exclusive resource removes every entry it does not declare.",
		Attributes: attrs,
	}
}

func (r *routeResource[M, P]) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if !r.kind.sipOnly {
		return
	}
	var number, prefix types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("phone_number"), &number)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name_prefix"), &prefix)...)
	if number.IsNull() && prefix.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("phone_number"), "Route has no identity",
			"Set phone_number to the E.164 number this route answers, or, for a SIP-only route, set name_prefix, which then identifies it.")
	}
}

func (r *routeResource[M, P]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *routeResource[M, P]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.write(ctx, "create", req.Plan.Get, &resp.State, &resp.Diagnostics)
}

func (r *routeResource[M, P]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx = withMasking(ctx, r.data)
	var m M
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	model := P(&m)
	key := model.ident().ID.ValueString()
	entries, err := r.data.dialin.Entries(ctx, r.kind.array)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Could not read %s %s", r.kind.noun, key), err.Error())
		return
	}
	entry, found := dialin.Find(entries, key)
	if !found {
		// Gone out of band: the next plan creates it again.
		resp.State.RemoveResource(ctx)
		return
	}
	r.fill(model, entry)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *routeResource[M, P]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.write(ctx, "update", req.Plan.Get, &resp.State, &resp.Diagnostics)
}

func (r *routeResource[M, P]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = withMasking(ctx, r.data)
	var m M
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	key := P(&m).ident().ID.ValueString()
	if err := r.data.dialin.Delete(ctx, r.kind.array, key); err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Could not delete %s %s", r.kind.noun, key), err.Error())
	}
}

// ImportState takes the route's key: its E.164 number, or sip:<name_prefix>.
func (r *routeResource[M, P]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var diags validator.StringResponse
	r.kind.routeKeyValidator().ValidateString(ctx, validator.StringRequest{
		Path: path.Root("id"), ConfigValue: types.StringValue(req.ID),
	}, &diags)
	if diags.Diagnostics.HasError() {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("Import a %s by its phone number in E.164 form (e.g. +14155550123)%s; got %q.", r.kind.noun, r.sipHint(), req.ID))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

func (r *routeResource[M, P]) sipHint() string {
	if r.kind.sipOnly {
		return ", or a SIP-only route by sip:<name_prefix>"
	}
	return ""
}

// write creates or updates the planned route. A create refuses to take over
// an entry that already exists: that is what import is for.
func (r *routeResource[M, P]) write(ctx context.Context, verb string, getPlan func(context.Context, any) diag.Diagnostics, state *tfsdk.State, diags *diag.Diagnostics) {
	ctx = withMasking(ctx, r.data)
	var m M
	diags.Append(getPlan(ctx, &m)...)
	if diags.HasError() {
		return
	}
	model := P(&m)
	key := model.key()
	put := r.data.dialin.Put
	if verb == "create" {
		put = r.data.dialin.Create
	}
	entry, err := put(ctx, r.kind.array, model.route().spec(key))
	if err != nil {
		detail := err.Error()
		if errors.As(err, new(*dialin.ExistsError)) {
			detail += fmt.Sprintf(" (terraform import <address> %s, or an import block with id = %q)", key, key)
		}
		diags.AddError(fmt.Sprintf("Could not %s %s %s", verb, r.kind.noun, key), detail)
		return
	}
	r.fill(model, entry)
	diags.Append(state.Set(ctx, &m)...)
}

// fill sets the whole state from the entry as Daily holds it.
func (r *routeResource[M, P]) fill(model P, entry dialin.Entry) {
	model.ident().ID = types.StringValue(entry.Key())
	model.ident().PhoneNumber = stringField(entry, "phone_number")
	model.route().load(entry)
}
