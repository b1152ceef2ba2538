package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

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
	prior, values, ok := modifyPlanValues(ctx, req, resp)
	if !ok {
		return
	}
	if values == nil {
		r.planRemoval(prior, "destroys", &resp.Diagnostics)
		return
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
	identity := values.identityAttribute()
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
