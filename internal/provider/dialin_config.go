package provider

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// Daily's dial-in config objects (/domain-dialin-config) hold the same
// routes as the arrays' entries, one object each, with an id of their own.
// An object's type is the name of the array its routes are like, so the
// arrayKind of that array describes its fields: the config resources, list
// resources and data sources take their schemas and values from it, as the
// route resources do, and add the object's id.

// attrIncludeHMAC asks a config data source for the object's secret.
const attrIncludeHMAC = "include_hmac"

// configTypeName is the resource type name, less the provider's, of the
// config objects of kind k: daily_<array>_config.
func (k *arrayKind) configTypeName() string { return k.array + "_config" }

// routeTypeName is the same for the per-route resources of k's array.
func (k *arrayKind) routeTypeName() string { return k.array + "_route" }

// configIdentity is the identity of the config object id.
func configIdentity(id string) map[string]attr.Value {
	return map[string]attr.Value{attrID: types.StringValue(id)}
}

// objectEntry is a config object's fields as an entry, to be read like one.
// A field Daily holds as null is absent: an object may show every field it
// can have, the unset ones as null, as it does a SIP-only object's
// phone_number.
func objectEntry(o client.DialinConfig) (dialin.Entry, error) {
	fields := maps.Clone(o.Config)
	maps.DeleteFunc(fields, func(_ string, v json.RawMessage) bool { return string(v) == "null" })
	raw, err := json.Marshal(fields)
	if err != nil {
		return dialin.Entry{}, err
	}
	return dialin.ParseEntry(raw)
}

// objectKey is the route key of a config object (see dialin.RouteKey).
func objectKey(o client.DialinConfig) string {
	e, err := objectEntry(o)
	if err != nil {
		return ""
	}
	return e.Key()
}

// objectState is the state of a config resource whose object Daily holds
// as o: the route's state (arrayKind.routeState) with the object's id.
// Daily keeps neither deletion_protection nor the version of a write-only
// secret: they are local's, the values planned or held before; local is nil
// for an object listed or read but not managed.
func (k *arrayKind) objectState(o client.DialinConfig, local routeValues) (routeValues, diag.Diagnostics) {
	var diags diag.Diagnostics
	if o.Type != k.array {
		diags.AddError("Dial-in config of another type",
			fmt.Sprintf("Daily's dial-in config %s is of type %s, not %s: manage it with daily_%s.", o.ID, o.Type, k.array, o.Type+"_config"))
		return nil, diags
	}
	entry, err := objectEntry(o)
	if err != nil {
		diags.AddError("Cannot read dial-in config", fmt.Sprintf("Daily's dial-in config %s: %s", o.ID, err))
		return nil, diags
	}
	values, diags := k.routeState(entry, local)
	values[attrID] = types.StringValue(o.ID)
	return values, diags
}

// objectsOfKind returns, sorted by key and id, the config objects of k's
// type that Daily holds (through the engine's shared listing).
func (k *arrayKind) objectsOfKind(ctx context.Context, engine *dialin.Engine) ([]client.DialinConfig, diag.Diagnostics) {
	var diags diag.Diagnostics
	all, err := engine.Objects(ctx)
	if err != nil {
		diags.AddError("Cannot read dial-in configs", fmt.Sprintf("Listing the domain's dial-in config objects: %s", err))
		return nil, diags
	}
	objects := slices.DeleteFunc(all, func(o client.DialinConfig) bool { return o.Type != k.array })
	slices.SortFunc(objects, func(a, b client.DialinConfig) int {
		return cmp.Or(cmp.Compare(objectKey(a), objectKey(b)), cmp.Compare(a.ID, b.ID))
	})
	return objects, diags
}

// objectIDOf finds the id of the one config object of k's type that key
// names: its E.164 number, or sip:<name_prefix> for a SIP-only object. It
// refuses a key that several hold (SIP-only objects sharing a name_prefix),
// listing their ids.
func (k *arrayKind) objectIDOf(ctx context.Context, engine *dialin.Engine, key string) (string, diag.Diagnostics) {
	objects, diags := k.objectsOfKind(ctx, engine)
	if diags.HasError() {
		return "", diags
	}
	matches := slices.DeleteFunc(objects, func(o client.DialinConfig) bool { return objectKey(o) != key })
	switch len(matches) {
	case 1:
		return matches[0].ID, diags
	case 0:
		diags.AddError("Dial-in config not found", fmt.Sprintf("Daily holds no %s config object for %s.", k.array, key))
	default:
		ids := make([]string, len(matches))
		for i, o := range matches {
			ids[i] = o.ID
		}
		diags.AddError("Dial-in config is ambiguous", fmt.Sprintf(
			"%d %s config objects hold %s: %s. Name one by its id instead.", len(matches), k.array, key, strings.Join(ids, ", ")))
	}
	return "", diags
}

// readObject reads the config object id; found is false when Daily holds
// none, which each caller answers in its own way.
func (k *arrayKind) readObject(ctx context.Context, engine *dialin.Engine, id string) (obj client.DialinConfig, found bool, diags diag.Diagnostics) {
	obj, found, err := engine.Object(ctx, id)
	if err != nil {
		diags.AddError("Cannot read dial-in config", fmt.Sprintf("Reading the %s config object %s: %s", k.array, id, err))
	}
	return obj, found, diags
}

// writeErrorDetail explains the engine's err for a write of the config
// object with key: where another config holds its number and how to import
// that one, or that another writer deleted it.
func writeErrorDetail(k *arrayKind, key string, err error) string {
	var held *dialin.HeldError
	if errors.As(err, &held) {
		return heldDetail(held)
	}
	detail := fmt.Sprintf("Writing the %s config object for %s: %s", k.array, key, err)
	if errors.As(err, new(*dialin.ObjectGoneError)) {
		detail += ". Run terraform apply again to create it anew."
	}
	return detail
}

// heldDetail names the number a HeldError refuses, where it is held and
// how to import the holder, so that the configuration manages it instead.
func heldDetail(held *dialin.HeldError) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s is already held by another dial-in config of this domain; Daily keeps one per number across its config objects and its dial-in arrays.", held.Key)
	for _, o := range held.Objects {
		typ, id, _ := strings.Cut(o, " ")
		address := "daily_" + typ + "_config.<name>"
		fmt.Fprintf(&b, "\n\nIt is held by the %s config object %s. To manage that object here, import it instead of creating one:\n"+
			"  terraform import %s %s\nor, in the configuration:\n  import {\n    to = %s\n    id = %q\n  }",
			typ, id, address, id, address, id)
	}
	for _, array := range held.Arrays {
		address := "daily_" + array + "_route.<name>"
		fmt.Fprintf(&b, "\n\nIt is held by an entry of the domain's %s array. To manage that route here, import it:\n"+
			"  terraform import %s %s\nor, in the configuration:\n  import {\n    to = %s\n    id = %q\n  }\n"+
			"To turn it into a config object instead, see the guide \"Move a route to a config object\".",
			array, address, held.Key, address, held.Key)
	}
	if held.Err != nil {
		fmt.Fprintf(&b, "\n\nDaily said: %s", held.Err)
	}
	return b.String()
}

// withOnly returns the values of the attributes attrTypes names: a
// resource's values for a schema with fewer attributes, such as a data
// source's.
func (v routeValues) withOnly(attrTypes map[string]attr.Type) routeValues {
	out := make(routeValues, len(attrTypes))
	for name := range attrTypes {
		if value, ok := v[name]; ok {
			out[name] = value
		}
	}
	return out
}
