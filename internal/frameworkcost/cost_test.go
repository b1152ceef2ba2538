package frameworkcost

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The benchmark's provider works: it plans a creation (computed values
// unknown), applies it (computed values set), and plans the applied
// resource again without a change, in both shapes.
func TestProviderPlansAppliesAndPlansAgain(t *testing.T) {
	ctx := context.Background()
	for _, shape := range []Shape{MapNested, MapOfObjects} {
		t.Run(shape.String(), func(t *testing.T) {
			f, err := NewFixture(ctx, shape, 3)
			if err != nil {
				t.Fatal(err)
			}
			planned, err := f.PlanCreate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			plan, err := f.Decode(planned.PlannedState)
			if err != nil {
				t.Fatal(err)
			}
			if id := attribute(t, plan, "id"); id.IsKnown() {
				t.Errorf("planned id %v, want unknown", id)
			}
			if shape == MapNested {
				if uri := attribute(t, plan, "routes", "+12125550001", "sip_uri"); uri.IsKnown() {
					t.Errorf("planned sip_uri %v, want unknown", uri)
				}
			}

			applied, err := f.ApplyCreate(ctx, planned.PlannedState)
			if err != nil {
				t.Fatal(err)
			}
			state, err := f.Decode(applied.NewState)
			if err != nil {
				t.Fatal(err)
			}
			want, err := f.Decode(f.State)
			if err != nil {
				t.Fatal(err)
			}
			if !state.Equal(want) {
				t.Errorf("applied state %v, want %v", state, want)
			}

			again, err := f.PlanUnchanged(ctx)
			if err != nil {
				t.Fatal(err)
			}
			replan, err := f.Decode(again.PlannedState)
			if err != nil {
				t.Fatal(err)
			}
			if !replan.Equal(want) || len(again.RequiresReplace) > 0 {
				t.Errorf("unchanged resource planned as %v (replace %v), want its state %v", replan, again.RequiresReplace, want)
			}
		})
	}
}

// attribute walks v by attribute names and map keys.
func attribute(t *testing.T, v tftypes.Value, steps ...string) tftypes.Value {
	t.Helper()
	p := tftypes.NewAttributePath().WithAttributeName(steps[0])
	for i, s := range steps[1:] {
		if i%2 == 0 {
			p = p.WithElementKeyString(s)
		} else {
			p = p.WithAttributeName(s)
		}
	}
	got, _, err := tftypes.WalkAttributePath(v, p)
	if err != nil {
		t.Fatalf("%v: %v", p, err)
	}
	return got.(tftypes.Value)
}

// Sizes are the numbers of map elements measured: each doubles the last,
// so a cost that grows with N² shows as ns/elem doubling.
var sizes = []int{250, 500, 1000, 2000}

// BenchmarkPlanResourceChange plans the resource as applied, unchanged
// (what every `terraform plan` asks for each resource): for map_nested the
// framework's map nested attribute plan modification copies the whole
// config and state maps for each element; map_of_objects is the control.
func BenchmarkPlanResourceChange(b *testing.B) {
	for _, shape := range []Shape{MapNested, MapOfObjects} {
		for _, n := range sizes {
			b.Run(fmt.Sprintf("%s/N=%d", shape, n), func(b *testing.B) {
				f := fixture(b, shape, n)
				run(b, n, func() error { _, err := f.PlanUnchanged(context.Background()); return err })
			})
		}
	}
}

// BenchmarkPlanCreate plans the resource on empty state (no prior map: one
// copy per element, of the config map).
func BenchmarkPlanCreate(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("%s/N=%d", MapNested, n), func(b *testing.B) {
			f := fixture(b, MapNested, n)
			run(b, n, func() error { _, err := f.PlanCreate(context.Background()); return err })
		})
	}
}

// BenchmarkApplyResourceChange applies the creation (no plan modification:
// the control for the plan's growth).
func BenchmarkApplyResourceChange(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("%s/N=%d", MapNested, n), func(b *testing.B) {
			f := fixture(b, MapNested, n)
			planned, err := f.PlanCreate(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			run(b, n, func() error { _, err := f.ApplyCreate(context.Background(), planned.PlannedState); return err })
		})
	}
}

// BenchmarkContextsKept counts what the framework's server keeps of each
// call once it has returned: it registers every request's cancel function
// (proto6server's registerContext) and lets go of them only on
// StopProvider, which Terraform sends only when interrupted. retained-B/op
// is the live heap gained per call, after a collection; it stays above
// zero however many calls are made.
func BenchmarkContextsKept(b *testing.B) {
	f := fixture(b, MapNested, 1)
	ctx := context.Background()
	req := &tfprotov6.ValidateResourceConfigRequest{TypeName: TypeName, Config: f.Config}
	before := liveHeap()
	b.ReportAllocs()
	for b.Loop() {
		ctx := context.WithValue(ctx, contextKey{}, make([]byte, 1024)) // a request's own state, as gRPC and the loggers attach it
		if _, err := f.Server.ValidateResourceConfig(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
	retained := liveHeap() - before
	runtime.KeepAlive(f) // the server, which holds what it kept
	b.ReportMetric(float64(retained)/float64(b.N), "retained-B/op")
}

type contextKey struct{}

func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

func fixture(b *testing.B, shape Shape, n int) *Fixture {
	b.Helper()
	f, err := NewFixture(context.Background(), shape, n)
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// run times call and reports the time per map element: flat for a cost
// linear in N, doubling with N for one that grows with N².
func run(b *testing.B, n int, call func() error) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		if err := call(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
}
