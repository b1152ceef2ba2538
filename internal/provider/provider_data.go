package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// providerData is what Configure hands to every resource and data source.
// Terraform configures the provider anew for every walk (plan, apply), so it
// lives for one walk.
type providerData struct {
	client *client.Client
	dialin *dialin.Engine
	buyMu  sync.Mutex // serializes buys so purchase reconciliation sees only its own buy
	plans  planRegistry
}

// planRegistry is what this walk's plans declare, for the checks no single
// resource can make: a dial-in route key held by two resources, and a
// dial-in array managed both whole and route by route (or whole twice).
// It is the one place that knows these facts; a resource of the dial-in
// arrays reports what its plan declares with claimArray and, once its key is
// known, claimRoute, which add the error when the plan clashes with another.
//
// It sees one walk of one provider configuration: the plan walk, where every
// resource is planned, and the apply walk, where Terraform plans each
// resource again just before applying it (so a clash that the plan could not
// see, a route key unknown until apply, is refused there, after the
// resources applied before it were written). A destroy's plan declares
// nothing: a resource being destroyed clashes with nothing.
type planRegistry struct {
	mu     sync.Mutex
	routes map[string]declaration // by route key: a number's route, across both arrays
	arrays map[string][]arrayUse  // by array (client.PinlessDialin, client.PinDialin)
}

// declaration is one plan of a resource.
type declaration struct {
	typeName    string // the resource type, e.g. daily_pinless_dialin_route
	description string // what tells the resource apart in the configuration, for messages
	// existing is true for the plan of a resource in the state, whose
	// configuration is config: Terraform plans a resource it replaces
	// (-replace) twice, as it is and then anew with the same configuration.
	existing bool
	config   string
}

// replannedAs reports whether later is d's resource planned anew to be
// replaced, rather than another resource.
func (d declaration) replannedAs(later declaration) bool {
	return d.existing && !later.existing && d.config == later.config
}

// arrayStyle is how a resource manages a dial-in array.
type arrayStyle int

const (
	// wholeArray: the resource owns the array and removes every entry it
	// does not declare (daily_pinless_dialin, daily_pin_dialin). No other
	// resource of the configuration may use the array.
	wholeArray arrayStyle = iota
	// oneEntry: the resource manages one route of the array and leaves the
	// others alone (the per-route resources, and Daily's per-object dial-in
	// configs of the array's type). Any number of them may share an array,
	// but not with a wholeArray resource.
	oneEntry
)

// arrayUse is the plan of a resource that uses an array.
type arrayUse struct {
	declaration
	style arrayStyle
}

// claimArray records that the resource planned as d manages array in style,
// and adds an error to diags when that mixes styles: two wholeArray
// resources, or a wholeArray one beside a oneEntry one. The error is the
// second resource's, naming the first.
func (p *planRegistry) claimArray(array string, style arrayStyle, d declaration, diags *diag.Diagnostics) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, prior := range p.arrays[array] {
		if prior.replannedAs(d) || (prior.style == oneEntry && style == oneEntry) {
			continue
		}
		diags.AddError("Dial-in array managed twice", mixedStyles(array, arrayUse{d, style}, prior))
		return
	}
	if p.arrays == nil {
		p.arrays = map[string][]arrayUse{}
	}
	p.arrays[array] = append(p.arrays[array], arrayUse{d, style})
}

// mixedStyles says why this and other may not both manage array.
func mixedStyles(array string, this, other arrayUse) string {
	if this.style == wholeArray && other.style == wholeArray {
		return fmt.Sprintf("The %s array is managed whole by this %s and by another resource of this configuration: %s. "+
			"Each removes every route the other declares, so they would undo each other on every apply. "+
			"Keep one %s per domain, with the routes of both.", array, this.typeName, other.description, this.typeName)
	}
	var clash string
	whole, single := this, other
	if this.style == wholeArray {
		clash = fmt.Sprintf("The %s array is managed whole by this %s, and route by route by another resource of this configuration: %s.",
			array, this.typeName, other.description)
	} else {
		whole, single = other, this
		clash = fmt.Sprintf("This %s manages one route of the %s array, which another resource of this configuration manages whole: %s.",
			this.typeName, array, other.description)
	}
	return clash + fmt.Sprintf(" %s removes every route it does not declare, so the two would undo each other on every apply. "+
		"Manage the array either with %s alone or with resources of single routes such as %s, never both.",
		whole.typeName, whole.typeName, single.typeName)
}

// claimRoute records that the resource planned as d declares the route key,
// and adds an error to diags, at the attribute at, when another resource of
// this walk declared it already. A number has one dial-in route across the
// domain (pinless or PIN), so keys are claimed across both arrays.
func (p *planRegistry) claimRoute(key string, d declaration, at path.Path, diags *diag.Diagnostics) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if prior, taken := p.routes[key]; taken {
		if prior.replannedAs(d) {
			return
		}
		diags.AddAttributeError(at, "Dial-in route declared twice", fmt.Sprintf(
			"%s is declared by this resource and by another in this configuration: %s. A number has one dial-in route across the domain, "+
				"and two resources holding it would undo each other. Keep one of them; to rename a resource, change its address (a moved block is optional).",
			key, prior.description))
		return
	}
	if p.routes == nil {
		p.routes = map[string]declaration{}
	}
	p.routes[key] = d
}

// routeClaimed reports whether some resource has declared the route key in
// this walk: a route that one resource destroys and another declares stays.
func (p *planRegistry) routeClaimed(key string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, claimed := p.routes[key]
	return claimed
}

// providerDataFrom type-asserts the ProviderData of a Configure request. It
// returns nil while the provider is not configured yet (validation runs).
func providerDataFrom(pd any, diags *diag.Diagnostics) *providerData {
	if pd == nil {
		return nil
	}
	data, ok := pd.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. Please report this issue to the provider developers.", pd))
		return nil
	}
	return data
}

// tflogLogger sends the client's request logs to Terraform's provider log.
// Every line goes through maskSecrets: the client already redacts hmac values
// in bodies and never passes the API key, and this guards what it does not know.
type tflogLogger struct {
	apiKey string
}

func (l tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(maskSecrets(ctx, l.apiKey), msg, fields)
}

// maskSecrets returns ctx with the API key and hmac fields masked in every
// log line written through it.
func maskSecrets(ctx context.Context, apiKey string) context.Context {
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, "hmac", "api_key")
	if apiKey == "" {
		return ctx // masking "" would mask between every character
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, apiKey)
	return tflog.MaskMessageStrings(ctx, apiKey)
}
