package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// ValidateConfig refuses a pinless config with neither phone_number nor
// name_prefix, as the route resource does.
func (r *configResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	(&routeResource{kind: r.kind}).ValidateConfig(ctx, req, resp)
}

// ModifyPlan refuses to destroy or replace a protected config, keeps hmac
// null while the secret is write-only, and refuses a number or SIP route
// key that another resource of this configuration declares too, of this
// type or of a route type: Daily keeps one dial-in config per number.
func (r *configResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	prior, values, ok := modifyPlanValues(ctx, req, resp)
	if !ok {
		return
	}
	if values == nil {
		if prior.deletionProtected() {
			r.protection(prior).refusePlan("destroys", path.Empty(), &resp.Diagnostics)
		}
		return
	}
	if prior != nil {
		if attribute, replaced := replacedBy(prior, values); replaced && prior.deletionProtected() {
			r.protection(prior).refusePlan("replaces", path.Root(attribute), &resp.Diagnostics)
		}
	}
	if r.data == nil {
		return // not configured yet
	}
	identity := values.identityAttribute()
	if values[identity].IsUnknown() {
		return // known when the apply plans it again
	}
	route := &routeResource{kind: r.kind, typeName: r.kind.configTypeName()}
	declared := declaration{typeName: "daily_" + r.kind.configTypeName(), description: route.describe(values), existing: prior != nil, config: req.Config.Raw.String()}
	r.data.plans.claimRoute(values.key(), declared, path.Root(identity), &resp.Diagnostics)
}

// replacedBy reports whether planned replaces the config whose state is
// prior, and which attribute forces it: its number, or for a SIP-only
// config its name_prefix.
func replacedBy(prior, planned routeValues) (string, bool) {
	number := planned.phoneNumber()
	switch {
	case number.IsUnknown():
		return "", false // known when the apply plans it again
	case !number.Equal(prior.phoneNumber()):
		return attrPhoneNumber, true
	case number.IsNull() && !planned.namePrefix().IsUnknown() && !planned.namePrefix().Equal(prior.namePrefix()):
		return attrNamePrefix, true
	}
	return "", false
}

// protection names the config whose state is prior in the refusals of its
// deletion_protection.
func (r *configResource) protection(prior routeValues) protection {
	return protection{
		summary: "Dial-in config is protected from deletion",
		object:  fmt.Sprintf("the %s config object %s (%s)", r.kind.array, prior.id(), prior.key()),
		loss:    "delete the config object",
	}
}
