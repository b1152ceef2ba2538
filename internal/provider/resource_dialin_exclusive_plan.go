package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// ValidateConfig checks that configured secrets are given for exactly the
// routes, and that a SIP-only route's name_prefix agrees with its key.
func (r *exclusiveResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	// Keys often come from resources not created yet: the map is then unknown.
	var routes types.Map
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrRoutes), &routes)...)
	if routes.IsNull() || routes.IsUnknown() {
		return
	}
	if _, ok := r.kind.secret(); ok {
		var secrets types.Map
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrHMACs), &secrets)...)
		if !secrets.IsNull() && !secrets.IsUnknown() {
			keysOfRoutes := slices.Sorted(maps.Keys(routes.Elements()))
			keysOfSecrets := slices.Sorted(maps.Keys(secrets.Elements()))
			if !slices.Equal(keysOfRoutes, keysOfSecrets) {
				resp.Diagnostics.AddAttributeError(path.Root(attrHMACs), "Secrets do not match the routes",
					fmt.Sprintf("When %s is set it must hold a secret for every route and nothing else. Routes without one: %s. Secrets without a route: %s. "+
						"Leave %s unset to keep the secrets Daily mints.",
						attrHMACs, listOrNone(without(keysOfRoutes, keysOfSecrets)), listOrNone(without(keysOfSecrets, keysOfRoutes)), attrHMACs))
			}
		}
	}
	if !r.kind.sipOnly {
		return
	}
	for key, element := range routes.Elements() {
		route, isObject := element.(types.Object)
		prefix, isSIP := strings.CutPrefix(key, dialin.SIPKeyPrefix)
		if !isObject || !isSIP || route.IsNull() || route.IsUnknown() {
			continue
		}
		if v := routeValues(route.Attributes()).namePrefix(); !v.IsNull() && !v.IsUnknown() && v.ValueString() != prefix {
			resp.Diagnostics.AddAttributeError(path.Root(attrRoutes).AtMapKey(key).AtName(attrNamePrefix), "name_prefix contradicts the route key",
				fmt.Sprintf("The SIP-only route %q is identified by name_prefix %q; leave name_prefix unset or set it to %q.", key, prefix, prefix))
		}
	}
}

// ModifyPlan refuses a second resource of this configuration managing the
// array (see planRegistry.claimArray), and plans the secrets Daily keeps when
// the configuration sets none: a route that has one keeps it, a new route's
// is unknown until Daily mints it.
func (r *exclusiveResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // a destroy declares nothing
	}
	var routes types.Map
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root(attrRoutes), &routes)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data != nil {
		r.data.plans.claimArray(r.kind.array, wholeArray, declaration{
			typeName:    "daily_" + r.kind.array,
			description: describeRoutes("daily_"+r.kind.array, routes),
			existing:    !req.State.Raw.IsNull(),
			config:      req.Config.Raw.String(),
		}, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	if _, ok := r.kind.secret(); !ok {
		return
	}
	var configured, prior types.Map
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrHMACs), &configured)...)
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(attrHMACs), &prior)...)
	}
	if resp.Diagnostics.HasError() || !configured.IsNull() {
		return
	}
	planned := types.MapUnknown(types.StringType)
	if !routes.IsUnknown() {
		keep := prior.Elements() // a copy: taken once, not per route
		secrets := make(map[string]attr.Value, len(routes.Elements()))
		for key := range routes.Elements() {
			secrets[key] = types.StringUnknown()
			if kept, ok := keep[key]; ok && !kept.IsNull() && !kept.IsUnknown() {
				secrets[key] = kept
			}
		}
		planned = types.MapValueMust(types.StringType, secrets)
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(attrHMACs), planned)...)
}

// describeRoutes names an exclusive resource of type typeName by the routes
// it plans, for messages.
func describeRoutes(typeName string, routes types.Map) string {
	if routes.IsUnknown() {
		return "the " + typeName + " whose routes are known only after apply"
	}
	keys := slices.Sorted(maps.Keys(routes.Elements()))
	const shown = 3
	switch {
	case len(keys) == 0:
		return "the " + typeName + " with no routes"
	case len(keys) > shown:
		return fmt.Sprintf("the %s with %d routes (%s, ...)", typeName, len(keys), strings.Join(keys[:shown], ", "))
	}
	return fmt.Sprintf("the %s with routes %s", typeName, strings.Join(keys, ", "))
}

// without returns the elements of sorted list a that sorted list b lacks.
func without(a, b []string) []string {
	return slices.DeleteFunc(slices.Clone(a), func(s string) bool { _, found := slices.BinarySearch(b, s); return found })
}

func listOrNone(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, ", ")
}
