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
	apiKey string // kept only to mask it in logs
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

// withMasking returns ctx with secrets masked in every log line written
// through it. Log masking lives on the context, and the client logs with the
// context of the call, so each CRUD method must start with this.
func withMasking(ctx context.Context, data *providerData) context.Context {
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, "hmac", "api_key")
	if data != nil {
		ctx = maskAPIKey(ctx, data.apiKey)
	}
	return ctx
}

func maskAPIKey(ctx context.Context, apiKey string) context.Context {
	if apiKey == "" {
		return ctx // masking "" would mask between every character
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, apiKey)
	return tflog.MaskMessageStrings(ctx, apiKey)
}

// tflogLogger sends the client's request logs to Terraform's provider log.
type tflogLogger struct{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}
