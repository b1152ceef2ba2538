package provider

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Server is the provider's protocol 6 server, as main serves it to Terraform
// and the tests serve it in-process. It owns the provider, and through it the
// dial-in engines whose last writes FinishWrites lets be confirmed.
type Server struct {
	releasingServer
	provider *dailyProvider
}

// NewServer returns a server of a new provider instance.
func NewServer(version string) *Server {
	p := &dailyProvider{version: version}
	fw, ok := providerserver.NewProtocol6(p)().(frameworkServer)
	if !ok {
		// The framework's server has implemented every interface of
		// frameworkServer since v1.18; TestServerForwardsEveryCall guards it.
		panic("the framework's protocol 6 server lacks part of frameworkServer")
	}
	return &Server{releasingServer: releasingServer{fw}, provider: p}
}

// FinishWrites waits, until ctx is done, for the dial-in writes of this
// server's provider to be confirmed by a later read (see
// dialin.Engine.Finish). main calls it when Terraform stops the provider,
// which it does right after the last change of an apply.
func (s *Server) FinishWrites(ctx context.Context) {
	s.provider.engines.finish(ctx)
}

// frameworkServer is what the framework's server implements: the protocol's
// ProviderServer, and the optional interfaces plugin-go has not folded into
// it yet (list resources, actions, state stores). The wrapper implements
// them all, so that none of the framework's calls is hidden from Terraform.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// releasingServer lets go of each call's context when the call returns. The
// framework keeps the cancel function of every call's context, and so the
// context with its logging state (10 to 15 KB), until StopProvider, which
// Terraform sends only on interrupt: at 1000 resources that kept over 60 MB.
// The framework gets a context that forwards to the call's until the call
// returns, and to an empty, cancelled one after. Streaming calls (ListResource,
// InvokeAction, ReadStateBytes, WriteStateBytes) keep theirs.
type releasingServer struct {
	frameworkServer
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
	return call(ctx, s.frameworkServer.GetMetadata, req)
}

func (s releasingServer) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return call(ctx, s.frameworkServer.GetProviderSchema, req)
}

func (s releasingServer) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return call(ctx, s.frameworkServer.GetResourceIdentitySchemas, req)
}

func (s releasingServer) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return call(ctx, s.frameworkServer.ValidateProviderConfig, req)
}

func (s releasingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return call(ctx, s.frameworkServer.ConfigureProvider, req)
}

func (s releasingServer) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return call(ctx, s.frameworkServer.StopProvider, req)
}

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return call(ctx, s.frameworkServer.ValidateResourceConfig, req)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return call(ctx, s.frameworkServer.UpgradeResourceState, req)
}

func (s releasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return call(ctx, s.frameworkServer.UpgradeResourceIdentity, req)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return call(ctx, s.frameworkServer.ReadResource, req)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return call(ctx, s.frameworkServer.PlanResourceChange, req)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return call(ctx, s.frameworkServer.ApplyResourceChange, req)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return call(ctx, s.frameworkServer.ImportResourceState, req)
}

func (s releasingServer) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return call(ctx, s.frameworkServer.MoveResourceState, req)
}

func (s releasingServer) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return call(ctx, s.frameworkServer.GenerateResourceConfig, req)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return call(ctx, s.frameworkServer.ValidateDataResourceConfig, req)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return call(ctx, s.frameworkServer.ReadDataSource, req)
}

func (s releasingServer) GetFunctions(ctx context.Context, req *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return call(ctx, s.frameworkServer.GetFunctions, req)
}

func (s releasingServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return call(ctx, s.frameworkServer.CallFunction, req)
}

func (s releasingServer) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return call(ctx, s.frameworkServer.ValidateEphemeralResourceConfig, req)
}

func (s releasingServer) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return call(ctx, s.frameworkServer.OpenEphemeralResource, req)
}

func (s releasingServer) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return call(ctx, s.frameworkServer.RenewEphemeralResource, req)
}

func (s releasingServer) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return call(ctx, s.frameworkServer.CloseEphemeralResource, req)
}

func (s releasingServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return call(ctx, s.frameworkServer.ValidateListResourceConfig, req)
}

func (s releasingServer) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	return call(ctx, s.frameworkServer.ValidateActionConfig, req)
}

func (s releasingServer) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	return call(ctx, s.frameworkServer.PlanAction, req)
}

func (s releasingServer) ValidateStateStoreConfig(ctx context.Context, req *tfprotov6.ValidateStateStoreConfigRequest) (*tfprotov6.ValidateStateStoreConfigResponse, error) {
	return call(ctx, s.frameworkServer.ValidateStateStoreConfig, req)
}

func (s releasingServer) ConfigureStateStore(ctx context.Context, req *tfprotov6.ConfigureStateStoreRequest) (*tfprotov6.ConfigureStateStoreResponse, error) {
	return call(ctx, s.frameworkServer.ConfigureStateStore, req)
}

func (s releasingServer) GetStates(ctx context.Context, req *tfprotov6.GetStatesRequest) (*tfprotov6.GetStatesResponse, error) {
	return call(ctx, s.frameworkServer.GetStates, req)
}

func (s releasingServer) DeleteState(ctx context.Context, req *tfprotov6.DeleteStateRequest) (*tfprotov6.DeleteStateResponse, error) {
	return call(ctx, s.frameworkServer.DeleteState, req)
}

func (s releasingServer) LockState(ctx context.Context, req *tfprotov6.LockStateRequest) (*tfprotov6.LockStateResponse, error) {
	return call(ctx, s.frameworkServer.LockState, req)
}

func (s releasingServer) UnlockState(ctx context.Context, req *tfprotov6.UnlockStateRequest) (*tfprotov6.UnlockStateResponse, error) {
	return call(ctx, s.frameworkServer.UnlockState, req)
}
