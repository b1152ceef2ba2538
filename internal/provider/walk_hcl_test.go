package provider

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The configuration the config walk generates for each step.

// walkConfig is the configuration of a step: each array's resources and
// config resources, and
// the step's moved, removed and import blocks. writeOnly: the CLI knows
// write-only attributes (an older one refuses hmac_wo even when null).
func walkConfig(providerConfig string, decl [2]walkDecl, s *walkStep, writeOnly bool) string {
	var b strings.Builder
	b.WriteString(providerConfig)
	for i, k := range walkKinds {
		d := decl[i]
		for _, block := range d.blocks() {
			var routes []*walkRoute
			for _, addr := range slices.Sorted(maps.Keys(d.routes)) {
				if d.routes[addr].block == block {
					routes = append(routes, d.routes[addr])
				}
			}
			b.WriteString(perRouteHCL(k, k.route, block, routes, writeOnly))
		}
		for _, block := range routeBlocks(d.configs) {
			var configs []*walkRoute
			for _, addr := range slices.Sorted(maps.Keys(d.configs)) {
				if d.configs[addr].block == block {
					configs = append(configs, d.configs[addr])
				}
			}
			b.WriteString(perRouteHCL(k, k.config, block, configs, writeOnly))
		}
		if d.excl != nil {
			b.WriteString(exclusiveHCL(k, d.excl, d.hmacs))
		}
		if s == nil {
			continue
		}
		for _, to := range slices.Sorted(maps.Keys(s.moved[i])) {
			fmt.Fprintf(&b, "\nmoved {\n  from = %s\n  to   = %s\n}\n", s.moved[i][to], to)
		}
		for _, name := range slices.Sorted(maps.Keys(s.forgotten[i])) {
			from := k.route + "." + name
			if name == "all" {
				from = k.exclusive + ".all"
			}
			fmt.Fprintf(&b, "\nremoved {\n  from = %s\n  lifecycle {\n    destroy = false\n  }\n}\n", from)
		}
		for _, name := range slices.Sorted(maps.Keys(s.forgottenConfigs[i])) {
			fmt.Fprintf(&b, "\nremoved {\n  from = %s.%s\n  lifecycle {\n    destroy = false\n  }\n}\n", k.config, name)
		}
	}
	if s != nil {
		for _, imp := range s.imports {
			fmt.Fprintf(&b, "\nimport {\n  to = %s\n  id = %q\n}\n", imp.to, imp.id)
		}
	}
	return b.String()
}

// routeHCL is a route's attributes as HCL object items; a per-route
// resource (perRouteResource) gets every attribute (null when unset) plus
// phone_number and, for pinless, its secret's attributes (hmac_wo only if
// writeOnly). Adapt here when the route schema changes.
func routeHCL(k walkKind, c routeCfg, perRouteResource, writeOnly bool) []string {
	var items []string
	attr := func(name, v string) {
		switch {
		case v != "":
			items = append(items, fmt.Sprintf("%s = %q", name, v))
		case perRouteResource:
			items = append(items, name+" = null")
		}
	}
	message := func(name, v string) {
		switch {
		case v != "":
			items = append(items, fmt.Sprintf("%s = { message = %q }", name, v))
		case perRouteResource:
			items = append(items, name+" = null")
		}
	}
	if perRouteResource {
		attr("phone_number", c.number)
	}
	attr("name_prefix", c.prefix)
	if k.secret {
		attr("room_creation_api", c.webhook)
		attr("hold_music_url", c.hold)
		message("timeout_config", c.timeout)
		if perRouteResource {
			attr("hmac", c.hmac)
		}
		if perRouteResource && writeOnly {
			attr("hmac_wo", c.wo)
			if c.woVersion != 0 {
				items = append(items, fmt.Sprintf("hmac_wo_version = %d", c.woVersion))
			} else {
				items = append(items, "hmac_wo_version = null")
			}
		}
	} else {
		message("ivr_greeting", c.greeting)
	}
	return items
}

// perRouteHCL is one for_each resource of type typ holding one route each:
// per-route routes, or config objects.
func perRouteHCL(k walkKind, typ, block string, routes []*walkRoute, writeOnly bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nresource %q %q {\n  for_each = {\n", typ, block)
	var names []string
	for _, r := range routes {
		items := routeHCL(k, r.cfg, true, writeOnly)
		fmt.Fprintf(&b, "    %s = { %s }\n", r.name, strings.Join(items, ", "))
		if names == nil {
			for _, item := range items {
				names = append(names, strings.Fields(item)[0])
			}
		}
	}
	b.WriteString("  }\n")
	for _, name := range names {
		fmt.Fprintf(&b, "  %s = each.value.%s\n", name, name)
	}
	b.WriteString("}\n")
	return b.String()
}

// exclusiveHCL is the exclusive resource holding routes, with hmacs unless nil.
func exclusiveHCL(k walkKind, routes map[string]routeCfg, hmacs map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nresource %q \"all\" {\n  routes = {\n", k.exclusive)
	for _, key := range slices.Sorted(maps.Keys(routes)) {
		fmt.Fprintf(&b, "    %q = { %s }\n", key, strings.Join(routeHCL(k, routes[key], false, false), ", "))
	}
	b.WriteString("  }\n")
	if hmacs != nil {
		b.WriteString("  hmacs = {\n")
		for _, key := range slices.Sorted(maps.Keys(hmacs)) {
			fmt.Fprintf(&b, "    %q = %q\n", key, hmacs[key])
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return b.String()
}
