package provider

import (
	"context"
	"encoding/json"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// The server offers every call the framework's server offers, with the same
// signature: an optional interface the wrapper did not implement (list
// resources, actions, state stores, or one a later plugin-go adds) would
// hide the provider's implementation from Terraform.
func TestServerForwardsEveryCall(t *testing.T) {
	framework := reflect.TypeOf(providerserver.NewProtocol6(New("test")())())
	ours := reflect.TypeOf(NewServer("test"))
	for i := range framework.NumMethod() {
		want := framework.Method(i)
		got, ok := ours.MethodByName(want.Name)
		switch {
		case !ok:
			t.Errorf("the server lacks %s, which the framework's server implements", want.Name)
		case !reflect.DeepEqual(signature(got.Type), signature(want.Type)):
			t.Errorf("%s is %v, the framework's is %v", want.Name, got.Type, want.Type)
		}
	}
	var server tfprotov6.ProviderServer = NewServer("test")
	for name, implements := range map[string]bool{
		"ProviderServerWithListResource": is[tfprotov6.ProviderServerWithListResource](server), //nolint:staticcheck // the interface under test
		"ProviderServerWithActions":      is[tfprotov6.ProviderServerWithActions](server),      //nolint:staticcheck // the interface under test
		"ProviderServerWithStateStores":  is[tfprotov6.ProviderServerWithStateStores](server),  //nolint:staticcheck // the interface under test
	} {
		if !implements {
			t.Errorf("the server does not implement tfprotov6.%s", name)
		}
	}
}

func is[I any](v any) bool {
	_, ok := v.(I)
	return ok
}

// signature is a method's parameter and result types, without its receiver.
func signature(method reflect.Type) []reflect.Type {
	var types []reflect.Type
	for i := 1; i < method.NumIn(); i++ {
		types = append(types, method.In(i))
	}
	for i := range method.NumOut() {
		types = append(types, method.Out(i))
	}
	return types
}

type contextKey struct{}

// A unary call's context forwards to the caller's while the call runs, and
// is empty and cancelled once it has returned.
func TestCallReleasesItsContext(t *testing.T) {
	ctx := context.WithValue(context.Background(), contextKey{}, "logger")
	var kept context.Context
	_, _ = call(ctx, func(ctx context.Context, _ *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
		kept = ctx
		if ctx.Value(contextKey{}) != "logger" || ctx.Err() != nil {
			t.Error("during the call, its context does not forward to the caller's")
		}
		return nil, nil
	}, &tfprotov6.GetMetadataRequest{})
	if kept.Value(contextKey{}) != nil || kept.Err() == nil {
		t.Error("after the call, its context still holds the caller's values, or is not cancelled")
	}
}

// memoryBackend keeps a domain's dial-in arrays as they are written; it has
// no config objects.
type memoryBackend struct {
	*client.Client // the object calls, never made here
	mu             sync.Mutex
	config         map[string]json.RawMessage
	gets           int
}

func (b *memoryBackend) GetDomain(context.Context) (*client.Domain, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.gets++
	return &client.Domain{DomainName: "d", DomainID: "id", Config: b.config}, nil
}

func (b *memoryBackend) SetDialinArrays(_ context.Context, arrays map[string][]json.RawMessage) (*client.Domain, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.config = map[string]json.RawMessage{}
	for name, entries := range arrays {
		b.config[name], _ = json.Marshal(entries)
	}
	return &client.Domain{DomainName: "d", DomainID: "id", Config: b.config}, nil
}

// FinishWrites waits for the confirming reads of every engine the provider
// configured, not only the last one's.
func TestFinishWritesWaitsForEveryEngine(t *testing.T) {
	server := NewServer("test")
	backends := []*memoryBackend{{}, {}}
	for _, b := range backends {
		engine := server.provider.engines.add(dialin.New(b, dialin.Options{VerifyDelay: 100 * time.Millisecond}))
		spec := dialin.RouteSpec{Key: "+14155550100", Set: dialin.KeyFields("+14155550100")}
		if _, err := engine.Put(context.Background(), client.PinDialin, spec); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	server.FinishWrites(ctx)
	for i, b := range backends {
		b.mu.Lock()
		if b.gets != 2 {
			t.Errorf("engine %d: %d GETs when FinishWrites returned, want 2 (the write's and the confirming read)", i, b.gets)
		}
		b.mu.Unlock()
	}
}
