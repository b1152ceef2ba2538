package provider

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
)

// How the config walk checks Terraform's state against the model.

// checkState compares the state with Daily (the model has just learned it):
// the same instances as the model, each with Daily's id (a config
// object's), sip_uri and hmac (in
// the exclusive resource's hmacs), but a null hmac where it is write-only;
// a SIP-only route of an exclusive resource with the name_prefix its
// configuration gives, null when left out.
func (r *walkRun) checkState() []string {
	st, err := r.wd.stateResources()
	if err != nil {
		return []string{fmt.Sprintf("terraform show: %v", err)}
	}
	var errs []string
	want := map[string]bool{}
	same := func(addr, what string, got any, entry *walkEntry, field string) {
		if d := entry.fields[field]; !reflect.DeepEqual(got, d) {
			errs = append(errs, fmt.Sprintf("state %s %s = %v, Daily has %v", addr, what, got, d))
		}
	}
	// A route's or config object's secret and sip_uri; its id is wantID.
	single := func(k walkKind, addr string, route *walkRoute, entry *walkEntry, wantID string) {
		want[addr] = true
		attrs, ok := st[addr]
		if !ok {
			errs = append(errs, "the state lacks "+addr)
			return
		}
		if attrs["id"] != wantID {
			errs = append(errs, fmt.Sprintf("state %s id = %v, want %s", addr, attrs["id"], wantID))
		}
		if !k.secret {
			return
		}
		if c := route.cfg; c.woVersion != 0 {
			if attrs["hmac"] != nil {
				errs = append(errs, fmt.Sprintf("state %s hmac = %v, want null: the secret is write-only", addr, attrs["hmac"]))
			}
			if v := fmt.Sprint(attrs["hmac_wo_version"]); v != strconv.Itoa(c.woVersion) {
				errs = append(errs, fmt.Sprintf("state %s hmac_wo_version = %v, want %d", addr, attrs["hmac_wo_version"], c.woVersion))
			}
		} else {
			same(addr, "hmac", attrs["hmac"], entry, "hmac")
			if attrs["hmac_wo_version"] != nil {
				errs = append(errs, fmt.Sprintf("state %s hmac_wo_version = %v, want null", addr, attrs["hmac_wo_version"]))
			}
		}
		if attrs["hmac_wo"] != nil {
			errs = append(errs, fmt.Sprintf("state %s holds hmac_wo", addr))
		}
		if r.w.sip.stateKept() {
			same(addr, "sip_uri", attrs["sip_uri"], entry, "sip_uri")
		}
	}
	for _, a := range r.w.arrays {
		k := a.kind
		for addr, route := range a.decl.routes {
			single(k, addr, route, a.entries[route.cfg.key()], route.cfg.key())
		}
		for addr, config := range a.decl.configs {
			o := a.objects[config.cfg.key()]
			single(k, addr, config, o.entry, o.id)
		}
		if a.decl.excl == nil {
			continue
		}
		addr := k.exclusive + ".all"
		want[addr] = true
		attrs, ok := st[addr]
		if !ok {
			errs = append(errs, "the state lacks "+addr)
			continue
		}
		routes, _ := attrs["routes"].(map[string]any)
		if got, exp := slices.Sorted(maps.Keys(routes)), slices.Sorted(maps.Keys(a.decl.excl)); !slices.Equal(got, exp) {
			errs = append(errs, fmt.Sprintf("state %s has routes %v, want %v", addr, got, exp))
			continue
		}
		for key, route := range routes {
			routeAttrs, _ := route.(map[string]any)
			var prefix any
			if p := a.decl.excl[key].prefix; p != "" {
				prefix = p
			}
			if routeAttrs["name_prefix"] != prefix {
				errs = append(errs, fmt.Sprintf("state %s routes[%q].name_prefix = %v, the configuration %v", addr, key, routeAttrs["name_prefix"], prefix))
			}
		}
		if !k.secret {
			continue
		}
		sipURIs, _ := attrs["sip_uris"].(map[string]any)
		for key := range a.decl.excl {
			if r.w.sip.stateKept() {
				same(addr, fmt.Sprintf("sip_uris[%q]", key), sipURIs[key], a.entries[key], "sip_uri")
			}
		}
		hmacs, _ := attrs["hmacs"].(map[string]any)
		if got, exp := slices.Sorted(maps.Keys(hmacs)), slices.Sorted(maps.Keys(a.decl.excl)); !slices.Equal(got, exp) {
			errs = append(errs, fmt.Sprintf("state %s has hmacs for %v, want %v", addr, got, exp))
			continue
		}
		for key, secret := range hmacs {
			same(addr, fmt.Sprintf("hmacs[%q]", key), secret, a.entries[key], "hmac")
		}
	}
	for _, addr := range slices.Sorted(maps.Keys(st)) {
		if !want[addr] {
			errs = append(errs, "the state holds "+addr+", which the model does not")
		}
	}
	return errs
}
