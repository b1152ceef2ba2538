package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// Accounts made by hand over years hold dial-in entries that no route key
// addresses on its own: SIP-only entries without a name_prefix, and several
// entries under one key (SIP-only entries sharing a name_prefix). A map
// keyed by route would merge them, and a write by key would change or
// remove the wrong one. The list resources and the data sources leave them
// out with a warning; the exclusive resources, which would rewrite them,
// refuse the array; the per-route resources refuse such a key. Every write
// of this provider sends them back exactly as read.

// oddGroup is the odd entries of one key, in the array's order.
type oddGroup struct {
	key       string
	positions []int // 1-based, in the array as Daily holds it
	entries   []dialin.Entry
}

// splitOdd returns the entries a route key addresses, in order, and the
// others grouped by key, in the order of their first entry.
func (k *arrayKind) splitOdd(entries []dialin.Entry) (addressable []dialin.Entry, odd []oddGroup) {
	ambiguous := dialin.AmbiguousKeys(entries)
	at := map[string]int{} // key → index in odd
	for i, e := range entries {
		key := e.Key()
		number, prefix := dialin.SplitKey(key)
		unaddressed := number == "" && (prefix == "" || !k.sipOnly)
		if !unaddressed && !slices.Contains(ambiguous, key) {
			addressable = append(addressable, e)
			continue
		}
		g, seen := at[key]
		if !seen {
			g = len(odd)
			at[key] = g
			odd = append(odd, oddGroup{key: key})
		}
		odd[g].positions = append(odd[g].positions, i+1)
		odd[g].entries = append(odd[g].entries, e)
	}
	return addressable, odd
}

// describe says which entries the group holds, how to find them at Daily,
// and why no route key addresses them.
func (g oddGroup) describe(k *arrayKind) string {
	var which string
	if len(g.positions) == 1 {
		which = fmt.Sprintf("entry %d", g.positions[0])
	} else {
		numbers := make([]string, len(g.positions))
		for i, p := range g.positions {
			numbers[i] = fmt.Sprint(p)
		}
		which = "entries " + strings.Join(numbers[:len(numbers)-1], ", ") + " and " + numbers[len(numbers)-1]
	}
	number, prefix := dialin.SplitKey(g.key)
	var why string
	switch {
	case number != "":
		why = "all for " + number
	case prefix == "":
		why = "SIP-only, with neither phone_number nor name_prefix"
	case !k.sipOnly:
		why = fmt.Sprintf("without phone_number (name_prefix %q)", prefix)
	default:
		why = fmt.Sprintf("SIP-only, all with name_prefix %q", prefix)
	}
	// What tells each entry apart at Daily: its sip_uri, else its webhook.
	var marks []string
	for _, e := range g.entries {
		for _, field := range []string{"sip_uri", attrRoomCreationAPI} {
			if v := e.Text(field); v != "" {
				marks = append(marks, fmt.Sprintf("%s %q", field, v))
				break
			}
		}
	}
	if len(marks) > 0 {
		why += "; " + strings.Join(marks, ", ")
	}
	return which + " (" + why + ")"
}

// describeOdd lists the odd groups of an array of total entries.
func (k *arrayKind) describeOdd(odd []oddGroup, total int) string {
	count := 0
	parts := make([]string, len(odd))
	for i, g := range odd {
		count += len(g.entries)
		parts[i] = g.describe(k)
	}
	return fmt.Sprintf("The domain's %s array holds %d of its %d entries that no route key addresses on its own: %s. "+
		"A route is addressed by its phone number%s.",
		k.array, count, total, strings.Join(parts, "; "), k.addressedBy())
}

// oddEntriesText says, for schema descriptions, which entries splitOdd sets apart.
func oddEntriesText(k *arrayKind) string {
	if k.sipOnly {
		return "SIP-only entries without `name_prefix`, or sharing one"
	}
	return "entries without `phone_number`, or sharing one"
}

// addressedBy completes "A route is addressed by its phone number".
func (k *arrayKind) addressedBy() string {
	if k.sipOnly {
		return ", or, if it has none (a SIP-only route), by a name_prefix no other entry has"
	}
	return ", which no other entry has"
}

// remedy says how to make odd entries addressable.
func (k *arrayKind) remedy() string {
	if k.sipOnly {
		return "give each SIP-only entry a name_prefix of its own at Daily (in the dashboard or through Daily's API)"
	}
	return "give each entry a phone number of its own at Daily"
}

// oddEntriesLeftOut is the warning of a list or data source that leaves
// odd entries out of where (its results, its map).
func (k *arrayKind) oddEntriesLeftOut(odd []oddGroup, total int, where string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Dial-in entries left out", fmt.Sprintf(
		"%s They are left out of %s, and stay at Daily exactly as they are: every write of this provider sends them back untouched. "+
			"To manage them with Terraform, %s, then import them.",
		k.describeOdd(odd, total), where, k.remedy()))
}

// oddEntriesRefused is the error of an exclusive resource, of type
// typeName, whose array holds odd entries.
func (k *arrayKind) oddEntriesRefused(odd []oddGroup, total int, typeName string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Dial-in array holds entries this resource cannot manage", fmt.Sprintf(
		"%s %s keys its routes by phone number%s, so it would merge such entries into one route or remove them: it leaves the array as it is. "+
			"To manage the array whole, %s. Or manage its routes with %s_route, which leaves these entries untouched.",
		k.describeOdd(odd, total), typeName, k.keysBy(), k.remedy(), typeName))
}

// keysBy completes "keys its routes by phone number".
func (k *arrayKind) keysBy() string {
	if k.sipOnly {
		return " or sip:<name_prefix>"
	}
	return ""
}

// ambiguousRoute is the error of a per-route resource (or the ephemeral
// one) whose key several entries hold.
func (k *arrayKind) ambiguousRoute(key string, entries []dialin.Entry, verb string) diag.Diagnostic {
	total := len(entries)
	_, odd := k.splitOdd(entries)
	detail := fmt.Sprintf("Cannot %s the %s %s: several entries of the domain's %s array hold that key, and which one is meant cannot be told. ",
		verb, k.noun, key, k.array)
	for _, g := range odd {
		if g.key == key {
			detail = fmt.Sprintf("Cannot %s the %s %s: the domain's %s array (%d entries) holds it as %s, which cannot be told apart. ",
				verb, k.noun, key, k.array, total, g.describe(k))
		}
	}
	return diag.NewErrorDiagnostic("Dial-in route key held by several entries", detail+
		"Nothing was changed: these entries stay as they are. To manage one of them, "+k.remedy()+", then import it.")
}
