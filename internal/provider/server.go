package provider

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// NewServer returns the provider's protocol 6 server, as main serves it to
// Terraform and the tests serve it in-process.
func NewServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		// The framework's server also lists resources (terraform query);
		// plugin-go will fold this interface into ProviderServer, and until
		// then the wrapper must name it to forward them.
		server, _ := providerserver.NewProtocol6(New(version)())().(tfprotov6.ProviderServerWithListResource) //nolint:staticcheck // see above
		return releasingServer{server}
	}
}

// FinishWrites waits, until ctx is done, for the dial-in writes of this
// process to be confirmed by a later read (see dialin.Engine.Finish). main
// calls it when Terraform stops the provider, which it does right after the
// last change of an apply.
func FinishWrites(ctx context.Context) {
	dialin.FinishAll(ctx)
}

// releasingServer lets go of each call's context when the call returns. The
// framework keeps the cancel function of every call's context, and so the
// context with its logging state (10 to 15 KB), until StopProvider, which
// Terraform sends only on interrupt: at 1000 resources that kept over 60 MB.
// The framework gets a context that forwards to the call's until the call
// returns, and to an empty, cancelled one after. Streaming calls keep theirs.
type releasingServer struct {
	tfprotov6.ProviderServerWithListResource
}

// releasable forwards to ctx until released.
type releasable struct {
	mu  sync.RWMutex
	ctx context.Context
}

// released is what a call's context becomes once the call has returned.
var released = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

func (r *releasable) current() context.Context {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.ctx
}

func (r *releasable) Deadline() (time.Time, bool) { return r.current().Deadline() }
func (r *releasable) Done() <-chan struct{}       { return r.current().Done() }
func (r *releasable) Err() error                  { return r.current().Err() }
func (r *releasable) Value(key any) any           { return r.current().Value(key) }

func (r *releasable) release() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ctx = released
}

// call runs f with a context that is released when f returns.
func call[Req, Resp any](ctx context.Context, f func(context.Context, Req) (Resp, error), req Req) (Resp, error) {
	r := &releasable{ctx: ctx}
	defer r.release()
	return f(r, req)
}

func (s releasingServer) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.GetMetadata, req)
}

func (s releasingServer) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.GetProviderSchema, req)
}

func (s releasingServer) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.GetResourceIdentitySchemas, req)
}

func (s releasingServer) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.ValidateProviderConfig, req)
}

func (s releasingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.ConfigureProvider, req)
}

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.ValidateResourceConfig, req)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.UpgradeResourceState, req)
}

func (s releasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.UpgradeResourceIdentity, req)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.ReadResource, req)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.PlanResourceChange, req)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.ApplyResourceChange, req)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.ImportResourceState, req)
}

func (s releasingServer) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.GenerateResourceConfig, req)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.ValidateDataResourceConfig, req)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.ReadDataSource, req)
}

func (s releasingServer) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.ValidateEphemeralResourceConfig, req)
}

func (s releasingServer) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.OpenEphemeralResource, req)
}

func (s releasingServer) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.CloseEphemeralResource, req)
}

func (s releasingServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return call(ctx, s.ProviderServerWithListResource.ValidateListResourceConfig, req)
}
