package frameworkcost

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Fixture is the provider's protocol 6 server and its resource's type, with
// the values of a resource of n routes, encoded as Terraform sends them.
type Fixture struct {
	Server tfprotov6.ProviderServer
	Shape  Shape
	N      int
	typ    tftypes.Type
	// routeType is the type of one route, an element of the routes map.
	routeType tftypes.Object
	// Config is the configuration of n routes; State is the state an apply
	// of it leaves (computed values set).
	Config, State *tfprotov6.DynamicValue
	null          *tfprotov6.DynamicValue
}

// NewFixture starts a server of New(shape) and encodes the values of n routes.
func NewFixture(ctx context.Context, shape Shape, n int) (*Fixture, error) {
	srv := providerserver.NewProtocol6(New(shape))()
	resp, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagnosticsError(resp.Diagnostics); err != nil {
		return nil, err
	}
	s, ok := resp.ResourceSchemas[TypeName]
	if !ok {
		return nil, errors.New("no schema for " + TypeName)
	}
	f := &Fixture{Server: srv, Shape: shape, N: n, typ: s.ValueType()}
	obj, _ := f.typ.(tftypes.Object)
	routes, _ := obj.AttributeTypes["routes"].(tftypes.Map)
	if f.routeType, ok = routes.ElementType.(tftypes.Object); !ok {
		return nil, fmt.Errorf("routes of %s are %v, not a map of objects", TypeName, obj.AttributeTypes["routes"])
	}
	if f.Config, err = f.encode(f.value(false)); err != nil {
		return nil, err
	}
	if f.State, err = f.encode(f.value(true)); err != nil {
		return nil, err
	}
	if f.null, err = f.encode(tftypes.NewValue(f.typ, nil)); err != nil {
		return nil, err
	}
	return f, nil
}

// value is the resource with n routes, as configured or as applied.
func (f *Fixture) value(applied bool) tftypes.Value {
	routeType := f.routeType
	routes := make(map[string]tftypes.Value, f.N)
	for i := range f.N {
		key := fmt.Sprintf("+1212555%04d", i)
		attrs := map[string]tftypes.Value{
			"room_creation_api": tftypes.NewValue(tftypes.String, fmt.Sprintf("https://example.com/calls/%d", i)),
			"name_prefix":       tftypes.NewValue(tftypes.String, nil),
		}
		if _, ok := routeType.AttributeTypes["sip_uri"]; ok {
			attrs["sip_uri"] = tftypes.NewValue(tftypes.String, nil)
			if applied {
				attrs["sip_uri"] = tftypes.NewValue(tftypes.String, "sip:"+key+"@cost.example")
			}
		}
		routes[key] = tftypes.NewValue(routeType, attrs)
	}
	id := tftypes.NewValue(tftypes.String, nil)
	if applied {
		id = tftypes.NewValue(tftypes.String, "routes")
	}
	return tftypes.NewValue(f.typ, map[string]tftypes.Value{
		"id":     id,
		"routes": tftypes.NewValue(tftypes.Map{ElementType: routeType}, routes),
	})
}

func (f *Fixture) encode(v tftypes.Value) (*tfprotov6.DynamicValue, error) {
	dv, err := tfprotov6.NewDynamicValue(f.typ, v)
	return &dv, err
}

// PlanCreate plans the resource on empty state, as the plan of a first
// apply does; Terraform proposes the configuration, computed values null.
func (f *Fixture) PlanCreate(ctx context.Context) (*tfprotov6.PlanResourceChangeResponse, error) {
	return f.plan(ctx, f.null, f.Config)
}

// PlanUnchanged plans the resource as applied, with the same
// configuration: what every later `terraform plan` asks. Terraform
// proposes the prior state (the configuration with the computed values
// kept).
func (f *Fixture) PlanUnchanged(ctx context.Context) (*tfprotov6.PlanResourceChangeResponse, error) {
	return f.plan(ctx, f.State, f.State)
}

func (f *Fixture) plan(ctx context.Context, prior, proposed *tfprotov6.DynamicValue) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := f.Server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName:         TypeName,
		PriorState:       prior,
		ProposedNewState: proposed,
		Config:           f.Config,
	})
	if err != nil {
		return nil, err
	}
	return resp, diagnosticsError(resp.Diagnostics)
}

// ApplyCreate applies the planned creation, planned as PlanCreate plans it.
func (f *Fixture) ApplyCreate(ctx context.Context, planned *tfprotov6.DynamicValue) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := f.Server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName:     TypeName,
		PriorState:   f.null,
		PlannedState: planned,
		Config:       f.Config,
	})
	if err != nil {
		return nil, err
	}
	return resp, diagnosticsError(resp.Diagnostics)
}

// Decode returns the value of a response's plan or new state.
func (f *Fixture) Decode(dv *tfprotov6.DynamicValue) (tftypes.Value, error) {
	return dv.Unmarshal(f.typ)
}

func diagnosticsError(diags []*tfprotov6.Diagnostic) error {
	var errs []error
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			errs = append(errs, fmt.Errorf("%s: %s", d.Summary, d.Detail))
		}
	}
	return errors.Join(errs...)
}
