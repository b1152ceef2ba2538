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
type providerData struct {
	client *client.Client
	dialin *dialin.Engine
	buyMu  sync.Mutex // serializes buys so purchase reconciliation sees only its own buy
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
