package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// providerData is what Configure hands to every resource and data source.
// Terraform configures the provider anew for every walk (plan, apply), so it
// lives for one walk.
type providerData struct {
	client        *client.Client
	dialin        *dialin.Engine
	buyMu         sync.Mutex // serializes buys so purchase reconciliation sees only its own buy
	plannedRoutes routeKeys
}

// routeKeys records which per-route resource declared each dial-in route key
// in this walk's plans.
type routeKeys struct {
	mu    sync.Mutex
	byKey map[string]declaration
}

// declaration is one plan of a per-route resource that holds a key.
type declaration struct {
	description string // the resource, for messages
	// existing is true for the plan of a resource in the state, whose
	// configuration is config: Terraform plans a resource it replaces
	// (-replace) twice, as it is and then anew with the same configuration.
	existing bool
	config   string
}

// declare records that a resource declares key in a plan, unless another
// already did: then it returns that one's description.
func (k *routeKeys) declare(key string, d declaration) (other string, taken bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if prior, taken := k.byKey[key]; taken {
		if prior.existing && !d.existing && prior.config == d.config {
			return "", false // the same resource, planned anew to be replaced
		}
		return prior.description, true
	}
	if k.byKey == nil {
		k.byKey = map[string]declaration{}
	}
	k.byKey[key] = d
	return "", false
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
