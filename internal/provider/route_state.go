package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The per-route resources (routeResource) and the config resources
// (configResource) both keep a route's values as their state, and differ
// only in where they read and write it (an array's entry, a config object)
// and in their identity. What they do alike with that state is here, once.

// routeValuesOf reads the route values that a plan or a state holds.
func routeValuesOf(ctx context.Context, from interface {
	Get(context.Context, any) diag.Diagnostics
},
) (routeValues, diag.Diagnostics) {
	var object types.Object
	diags := from.Get(ctx, &object)
	return routeValues(object.Attributes()), diags
}

// plannedValues are a route's planned values with the write-only secret to
// send, if any (see routeValues.withWriteOnlySecret); prior is the state
// before an update, nil for a create.
func plannedValues(ctx context.Context, plan tfsdk.Plan, config tfsdk.Config, prior *tfsdk.State) (routeValues, diag.Diagnostics) {
	planned, diags := routeValuesOf(ctx, plan)
	if diags.HasError() {
		return nil, diags
	}
	values, secretDiags := planned.withWriteOnlySecret(ctx, config, prior)
	diags.Append(secretDiags...)
	return values, diags
}

// modifyPlanValues are what a ModifyPlan works from: the prior state (nil
// for a create) and the planned values (nil for a destroy); ok is false
// when they cannot be read. While the secret is write-only it keeps hmac
// null in the plan, which Terraform would otherwise show as unknown.
func modifyPlanValues(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) (prior, planned routeValues, ok bool) {
	if !req.State.Raw.IsNull() {
		var diags diag.Diagnostics
		prior, diags = routeValuesOf(ctx, req.State)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return nil, nil, false
		}
	}
	if req.Plan.Raw.IsNull() {
		return prior, nil, true
	}
	planned, diags := routeValuesOf(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return nil, nil, false
	}
	if planned.writeOnlySecret() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(attrHMAC), types.StringNull())...)
	}
	return prior, planned, true
}

// routeStore is where a resource whose state is a route's values keeps the
// route: an entry of a dial-in array (routeResource) or a config object
// (configResource).
type routeStore interface {
	// write creates the planned route, or updates it when prior, the state
	// before an update, is set, and returns the route's new state.
	write(ctx context.Context, plan tfsdk.Plan, config tfsdk.Config, prior *tfsdk.State) (routeValues, diag.Diagnostics)
	// read returns the state of the route whose state was prior, as Daily
	// holds it now; found is false when Daily no longer holds it.
	read(ctx context.Context, prior routeValues) (state routeValues, found bool, diags diag.Diagnostics)
	// identityOf is the identity of the route whose state is values.
	identityOf(values routeValues) map[string]attr.Value
}

// routeStateResource is the Configure, Create, Read and Update of the
// resources whose state is a route's values, embedded in each with store
// set to the resource itself: they differ only in their store.
type routeStateResource struct {
	store routeStore
	data  *providerData
}

// withStore sets the store of r, a resource that embeds routeStateResource,
// to r itself.
func withStore[R interface {
	routeStore
	setStore(routeStore)
}](r R,
) R {
	r.setStore(r)
	return r
}

func (r *routeStateResource) setStore(store routeStore) { r.store = store }

func (r *routeStateResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *routeStateResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	written, diags := r.store.write(ctx, req.Plan, req.Config, nil)
	resp.Diagnostics.Append(r.setWritten(ctx, &resp.State, resp.Identity, written, diags)...)
}

// Read sets the identity first, since a state written by a Terraform
// without identities has none and even a read that finds the route gone
// must return one; then the state as Daily holds it, or none when Daily no
// longer holds it (gone out of band: the next plan creates it again).
func (r *routeStateResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	prior, diags := routeValuesOf(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, r.store.identityOf(prior))...)
	state, found, diags := r.store.read(ctx, prior)
	resp.Diagnostics.Append(diags...)
	switch {
	case diags.HasError():
	case !found:
		resp.State.RemoveResource(ctx)
	default:
		resp.Diagnostics.Append(state.set(ctx, &resp.State)...)
	}
}

func (r *routeStateResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	written, diags := r.store.write(ctx, req.Plan, req.Config, &req.State)
	resp.Diagnostics.Append(r.setWritten(ctx, &resp.State, resp.Identity, written, diags)...)
}

// setWritten sets the state to a route just written, and the identity to
// its own, unless writeDiags, the write's, hold an error.
func (r *routeStateResource) setWritten(ctx context.Context, state *tfsdk.State, identity *tfsdk.ResourceIdentity,
	written routeValues, writeDiags diag.Diagnostics,
) diag.Diagnostics {
	diags := writeDiags
	if diags.HasError() {
		return diags
	}
	diags.Append(written.set(ctx, state)...)
	diags.Append(setIdentity(ctx, identity, r.store.identityOf(written))...)
	return diags
}

// valuesToDelete are the state of a route that Delete is asked to remove;
// ok is false when it cannot be read, or when its deletion_protection
// (protection) refuses. ModifyPlan refuses the plan already; a -replace or
// a taint is planned without asking it.
func valuesToDelete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse,
	protection func(prior routeValues) protection,
) (values routeValues, ok bool) {
	values, diags := routeValuesOf(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	switch {
	case diags.HasError():
		return nil, false
	case values.deletionProtected():
		protection(values).refuseDelete(&resp.Diagnostics)
		return nil, false
	}
	return values, true
}

// validImportKey reports whether key, given to an import, is a route key of
// k's array, and adds the import's error otherwise: howTo is how to import
// the resource, ending before the number's form, and sipOnly what a
// SIP-only one is called, in the hint of a pinless kind.
func (k *arrayKind) validImportKey(ctx context.Context, key, howTo, sipOnly string, diags *diag.Diagnostics) bool {
	var check validator.StringResponse
	k.routeKeyValidator().ValidateString(ctx, validator.StringRequest{Path: path.Root(attrID), ConfigValue: types.StringValue(key)}, &check)
	if !check.Diagnostics.HasError() {
		return true
	}
	hint := ""
	if k.sipOnly {
		hint = ", or " + sipOnly + " by sip:<name_prefix>"
	}
	diags.AddError("Invalid import ID", fmt.Sprintf("%s in E.164 form (e.g. +14155550123)%s; got %q.", howTo, hint, key))
	return false
}
