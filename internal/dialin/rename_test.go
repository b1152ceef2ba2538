package dialin

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// A renamed for_each key destroys a route at one address and creates it at
// another in the same walk, in either order or in one batch: the route stays,
// with its hmac, sip_uri and unknown fields.
func TestRenamedRouteKeepsItsEntryInEveryOrder(t *testing.T) {
	const key = "+15550000001"
	spec := routeSpec(key, "https://other.example/hook") // as unmanaged holds it
	for _, order := range []string{"create first", "delete first", "one batch"} {
		t.Run(order, func(t *testing.T) {
			f := newFakeDaily(unmanaged)
			eng := New(f, testOptions())
			ctx := context.Background()
			var createErr, deleteErr error
			switch order {
			case "create first":
				_, createErr = eng.Create(ctx, client.PinlessDialin, spec)
				deleteErr = eng.Delete(ctx, client.PinlessDialin, key)
			case "delete first":
				deleteErr = eng.Delete(ctx, client.PinlessDialin, key)
				_, createErr = eng.Create(ctx, client.PinlessDialin, spec)
			case "one batch":
				var wg sync.WaitGroup
				wg.Go(func() { _, createErr = eng.Create(ctx, client.PinlessDialin, spec) })
				wg.Go(func() { deleteErr = eng.Delete(ctx, client.PinlessDialin, key) })
				wg.Wait()
			}
			if createErr != nil || deleteErr != nil {
				t.Fatalf("create: %v, delete: %v", createErr, deleteErr)
			}
			if got := f.raw(client.PinlessDialin); got != "["+unmanaged+"]" {
				t.Errorf("array is %s, want the entry unchanged: [%s]", got, unmanaged)
			}
		})
	}
}

// A rename whose delete and create share a batch writes nothing when the
// entry already matches, and settles in that one round.
func TestRenameInOneBatchSettlesInOneRound(t *testing.T) {
	f := newFakeDaily(unmanaged)
	opts := testOptions()
	opts.BatchWindow = 200 * time.Millisecond // both calls surely join the first batch
	eng := New(f, opts)
	ctx := context.Background()
	var wg sync.WaitGroup
	var createErr, deleteErr error
	wg.Go(func() {
		_, createErr = eng.Create(ctx, client.PinlessDialin, routeSpec("+15550000001", "https://other.example/hook"))
	})
	wg.Go(func() { deleteErr = eng.Delete(ctx, client.PinlessDialin, "+15550000001") })
	wg.Wait()
	if createErr != nil || deleteErr != nil {
		t.Fatalf("create: %v, delete: %v", createErr, deleteErr)
	}
	if gets, posts := f.counts(); gets != 1 || posts != 0 {
		t.Errorf("%d GETs and %d POSTs, want 1 and 0", gets, posts)
	}
}

// An array changes style in one apply: its exclusive resource is destroyed
// while per-route resources declare its routes, or the reverse. In either
// order, or in one batch, the declared routes stay with their secrets, and
// only the undeclared one goes.
func TestStyleSwitchInOneWalkKeepsTheRoutes(t *testing.T) {
	const other = `{"hmac":"b3RoZXI=","phone_number":"+15550000002","room_creation_api":"https://gone.example"}`
	spec := routeSpec("+15550000001", "https://other.example/hook") // as unmanaged holds it
	run := func(t *testing.T, order string, whole func(ctx context.Context, eng *Engine) error, route func(ctx context.Context, eng *Engine) error) {
		f := newFakeDaily(unmanaged, other)
		eng := New(f, testOptions())
		ctx := context.Background()
		var wholeErr, routeErr error
		switch order {
		case "routes first":
			routeErr = route(ctx, eng)
			wholeErr = whole(ctx, eng)
		case "whole first":
			wholeErr = whole(ctx, eng)
			routeErr = route(ctx, eng)
		case "one batch":
			var wg sync.WaitGroup
			wg.Go(func() { wholeErr = whole(ctx, eng) })
			wg.Go(func() { routeErr = route(ctx, eng) })
			wg.Wait()
		}
		if wholeErr != nil || routeErr != nil {
			t.Fatalf("whole array: %v, route: %v", wholeErr, routeErr)
		}
		if got := f.raw(client.PinlessDialin); got != "["+unmanaged+"]" {
			t.Errorf("Daily holds %s, want only the declared route, unchanged: [%s]", got, unmanaged)
		}
	}
	for _, order := range []string{"routes first", "whole first", "one batch"} {
		t.Run("to per-route, "+order, func(t *testing.T) {
			run(t, order,
				func(ctx context.Context, eng *Engine) error { return eng.RemoveAll(ctx, client.PinlessDialin) },
				func(ctx context.Context, eng *Engine) error {
					_, err := eng.Create(ctx, client.PinlessDialin, spec)
					return err
				})
		})
		t.Run("to exclusive, "+order, func(t *testing.T) {
			run(t, order,
				func(ctx context.Context, eng *Engine) error {
					_, err := eng.ReplaceAll(ctx, client.PinlessDialin, []RouteSpec{spec}, nil)
					return err
				},
				func(ctx context.Context, eng *Engine) error {
					if err := eng.Delete(ctx, client.PinlessDialin, "+15550000001"); err != nil {
						return err
					}
					return eng.Delete(ctx, client.PinlessDialin, "+15550000002")
				})
		})
	}
}
