// Package provider implements the Daily Terraform provider on terraform-plugin-framework.
package provider

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tfsdklog"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

var (
	_ provider.Provider                       = &dailyProvider{}
	_ provider.ProviderWithEphemeralResources = &dailyProvider{}
	_ provider.ProviderWithListResources      = &dailyProvider{}
)

// Environment variables read when the matching attribute is not set.
const (
	envAPIKey = "DAILY_API_KEY"
	envAPIURL = "DAILY_API_URL"
)

// New returns a constructor for the provider; version is the release version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &dailyProvider{version: version}
	}
}

type dailyProvider struct {
	version string
	// engines are the dial-in engines of every configuration of this
	// provider instance: Terraform configures it anew for each walk.
	engines engineSet
}

type providerModel struct {
	APIKey            types.String `tfsdk:"api_key"`
	APIURL            types.String `tfsdk:"api_url"`
	RequestTimeout    types.String `tfsdk:"request_timeout"`
	RetryMaxDuration  types.String `tfsdk:"retry_max_duration"`
	DialinBatchWindow types.String `tfsdk:"dialin_batch_window"`
}

func (p *dailyProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "daily"
	resp.Version = p.version
}

func (p *dailyProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a [Daily](https://www.daily.co) domain's phone numbers and dial-in routes through the Daily REST API.",
		Attributes: map[string]schema.Attribute{
			"api_key": schema.StringAttribute{
				MarkdownDescription: "Daily API key; it selects the domain. Defaults to the `" + envAPIKey + "` environment variable.",
				Optional:            true,
				Sensitive:           true,
			},
			"api_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Daily REST API. Defaults to the `" + envAPIURL + "` environment variable, then `" + client.DefaultBaseURL + "`. Plain `http` is accepted only for loopback hosts (local emulators).",
				Optional:            true,
				Validators:          []validator.String{apiURLValidator()},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Time limit of one HTTP request attempt, as a duration string. Default `" + durationText(client.DefaultRequestTimeout) + "`.",
				Optional:            true,
				Validators:          []validator.String{durationValidator(time.Millisecond)},
			},
			"retry_max_duration": schema.StringAttribute{
				MarkdownDescription: "Total time spent retrying one idempotent call after rate limiting or server errors, as a duration string. Default `" + durationText(client.DefaultRetryMaxElapsed) + "`.",
				Optional:            true,
				Validators:          []validator.String{durationValidator(time.Millisecond)},
			},
			"dialin_batch_window": schema.StringAttribute{
				MarkdownDescription: "How long the dial-in engine waits to gather concurrent route changes into one write to the domain, as a duration string. Default `" + durationText(dialin.DefaultBatchWindow) + "`. " +
					"`\"0s\"` turns off both the batching of writes and the shared reads of the domain: every route read and change then makes its own requests.",
				Optional:   true,
				Validators: []validator.String{durationValidator(0)},
			},
		},
	}
}

func (p *dailyProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if unknown := unknownAttributes(config); len(unknown) > 0 {
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
			return
		}
		for _, name := range unknown {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown Daily provider setting",
				fmt.Sprintf("The provider cannot be configured because %s depends on a value that is only known after apply. "+
					"Set it to a static value (or use its environment variable), or apply the resources it depends on first with -target.", name))
		}
		return
	}

	apiKey := stringOrEnv(config.APIKey, envAPIKey, "")
	if apiKey == "" {
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), "Missing Daily API key",
			"Set api_key in the provider \"daily\" block or the "+envAPIKey+" environment variable.")
	}
	ctx = maskSecrets(ctx, apiKey)

	apiURL := stringOrEnv(config.APIURL, envAPIURL, client.DefaultBaseURL)
	if err := client.CheckBaseURL(apiURL); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("api_url"), "Invalid Daily API URL",
			fmt.Sprintf("api_url (or %s) %q: %s.", envAPIURL, apiURL, err))
	}

	// Unset durations are zero: the client applies its defaults.
	requestTimeout := durationOrDefault(config.RequestTimeout, "request_timeout", 0, &resp.Diagnostics)
	retryMax := durationOrDefault(config.RetryMaxDuration, "retry_max_duration", 0, &resp.Diagnostics)
	batchWindow := durationOrDefault(config.DialinBatchWindow, "dialin_batch_window", dialin.DefaultBatchWindow, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	c, err := client.New(client.Config{
		BaseURL:         apiURL,
		APIKey:          apiKey,
		UserAgent:       fmt.Sprintf("terraform-provider-daily/%s (+https://registry.terraform.io/providers/daily-tf/daily)", p.version),
		RequestTimeout:  requestTimeout,
		RetryMaxElapsed: retryMax,
		Logger:          tflogLogger{apiKey: apiKey},
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot create the Daily API client", err.Error())
		return
	}
	tflog.Debug(ctx, "configured Daily client", map[string]any{"api_url": apiURL})

	data := &providerData{
		client: c,
		dialin: p.engines.add(dialin.New(c, dialin.Options{BatchWindow: batchWindow, LogContext: backgroundLogContext()})),
	}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
	resp.ListResourceData = data
}

// dialinResource is what each resource of a dial-in array or config object
// implements beyond a resource: identity and import, and plan-time checks.
type dialinResource interface {
	resource.ResourceWithConfigure
	resource.ResourceWithIdentity
	resource.ResourceWithImportState
	resource.ResourceWithModifyPlan
	resource.ResourceWithValidateConfig
}

var (
	_ dialinResource = &routeResource{}
	_ dialinResource = &exclusiveResource{}
	_ dialinResource = &configResource{}
)

func (p *dailyProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newPhoneNumberResource,
		newPinlessDialinRouteResource,
		newPinlessDialinResource,
		newPinDialinRouteResource,
		newPinDialinResource,
		newPinlessDialinConfigResource,
		newPinDialinConfigResource,
	}
}

func (p *dailyProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newAvailablePhoneNumbersDataSource,
		newPhoneNumbersDataSource,
		newPinlessDialinDataSource,
		newPinDialinDataSource,
		newPinlessDialinConfigDataSource,
		newPinDialinConfigDataSource,
	}
}

func (p *dailyProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		newPinlessDialinRouteEphemeralResource,
	}
}

func (p *dailyProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		newPhoneNumberListResource,
		newPinlessDialinRouteListResource,
		newPinDialinRouteListResource,
		newPinlessDialinConfigListResource,
		newPinDialinConfigListResource,
	}
}

// engineSet holds engines whose last writes are to be confirmed before the
// process exits.
type engineSet struct {
	mu      sync.Mutex
	engines []*dialin.Engine
}

func (s *engineSet) add(e *dialin.Engine) *dialin.Engine {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.engines = append(s.engines, e)
	return e
}

// finish waits until every engine's writes are confirmed, or ctx is done.
func (s *engineSet) finish(ctx context.Context) {
	s.mu.Lock()
	engines := slices.Clone(s.engines)
	s.mu.Unlock()
	for _, e := range engines {
		e.Finish(ctx)
	}
}

// backgroundLogContext carries a logger for work that outlives every call,
// such as the confirming reads after an apply's last writes: a call's own
// context is released when the call returns (see releasingServer). Only when
// Terraform logs: otherwise nobody reads the lines.
func backgroundLogContext() context.Context {
	if os.Getenv("TF_LOG") == "" && os.Getenv("TF_LOG_PROVIDER") == "" {
		return context.Background()
	}
	return tfsdklog.NewRootProviderLogger(context.Background(), tfsdklog.WithLogName("daily"))
}

// unknownAttributes names the settings whose value is not known yet.
func unknownAttributes(config providerModel) []string {
	settings := []struct {
		name  string
		value types.String
	}{
		{"api_key", config.APIKey},
		{"api_url", config.APIURL},
		{"request_timeout", config.RequestTimeout},
		{"retry_max_duration", config.RetryMaxDuration},
		{"dialin_batch_window", config.DialinBatchWindow},
	}
	var names []string
	for _, s := range settings {
		if s.value.IsUnknown() {
			names = append(names, s.name)
		}
	}
	return names
}

// stringOrEnv returns the configured value, else the environment variable, else fallback.
// An empty string counts as not set.
func stringOrEnv(value types.String, env, fallback string) string {
	if s := value.ValueString(); s != "" {
		return s
	}
	if s := os.Getenv(env); s != "" {
		return s
	}
	return fallback
}

// durationText writes a default duration as users write it: "2m", not "2m0s".
func durationText(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	return `"` + s + `"`
}

// durationOrDefault parses an attribute already checked by durationValidator.
func durationOrDefault(value types.String, name string, fallback time.Duration, diags *diag.Diagnostics) time.Duration {
	if value.IsNull() {
		return fallback
	}
	d, err := time.ParseDuration(value.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root(name), "Invalid duration", fmt.Sprintf("%s: %s.", name, err))
	}
	return d
}
