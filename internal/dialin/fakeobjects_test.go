package dialin

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// The fake's config objects: a store of their own (Daily's separate-store
// reading), PUTs that merge (null clears), a secret minted for an object
// created without one.

// objectFaults make the fake misbehave for object calls.
type objectFaults struct {
	// loseCreates: this many creates are made, then answered with an error
	// as if the answer were lost.
	loseCreates int
	// afterWrite runs after each object write is applied (under f.mu), and
	// may undo it: n counts object writes.
	afterWrite func(n int, id string)
}

func (f *fakeDaily) objectStore() map[string]client.DialinConfig {
	if f.objects == nil {
		f.objects = map[string]client.DialinConfig{}
	}
	return f.objects
}

func (f *fakeDaily) CreateDialinConfig(_ context.Context, typ string, fields json.RawMessage) (*client.DialinConfig, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.objectCalls["create"]++
	var config map[string]json.RawMessage
	if err := json.Unmarshal(fields, &config); err != nil {
		return nil, &client.APIError{StatusCode: 400, Type: "json-parsing-error"}
	}
	number := ""
	_ = json.Unmarshal(config["phone_number"], &number)
	// One config per number, objects and array entries alike.
	held := slices.ContainsFunc(slices.Collect(maps.Values(f.objectStore())), func(o client.DialinConfig) bool { return o.PhoneNumber() == number })
	for _, raws := range f.arrays {
		for _, raw := range raws {
			if en, _ := parseEntry(raw); en.Key() == number {
				held = true
			}
		}
	}
	if number != "" && held {
		return nil, &client.APIError{StatusCode: 400, Type: "invalid-request-error", Info: number + " is already in use"}
	}
	if _, ok := config["hmac"]; !ok {
		f.minted++
		config["hmac"] = jsonString(fmt.Sprintf("minted-%d", f.minted))
	}
	f.nextID++
	o := client.DialinConfig{ID: fmt.Sprintf("obj-%d", f.nextID), Type: typ, Config: config}
	f.objectStore()[o.ID] = o
	f.objectWrites++
	if f.objectFaults.afterWrite != nil {
		f.objectFaults.afterWrite(f.objectWrites, o.ID)
	}
	if f.objectFaults.loseCreates > 0 {
		f.objectFaults.loseCreates--
		return nil, &client.APIError{StatusCode: http.StatusBadGateway, Type: "server-error", Info: "answer lost"}
	}
	return cloneObject(o), nil
}

func (f *fakeDaily) GetDialinConfig(_ context.Context, id string) (*client.DialinConfig, error) {
	time.Sleep(f.latency) // set before any request: read without the lock
	f.mu.Lock()
	defer f.mu.Unlock()
	f.objectCalls["get"]++
	o, ok := f.objectStore()[id]
	if !ok {
		return nil, &client.APIError{StatusCode: http.StatusNotFound, Type: "not-found"}
	}
	return cloneObject(o), nil
}

func (f *fakeDaily) UpdateDialinConfig(_ context.Context, id string, body json.RawMessage) (*client.DialinConfig, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.objectCalls["put"]++
	o, ok := f.objectStore()[id]
	if !ok {
		return nil, &client.APIError{StatusCode: http.StatusNotFound, Type: "not-found"}
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, &client.APIError{StatusCode: 400, Type: "json-parsing-error"}
	}
	config := maps.Clone(o.Config)
	for k, v := range fields {
		if string(v) == "null" {
			delete(config, k)
		} else {
			config[k] = v
		}
	}
	o.Config = config
	f.objectStore()[id] = o
	f.objectWrites++
	if f.objectFaults.afterWrite != nil {
		f.objectFaults.afterWrite(f.objectWrites, id)
	}
	return cloneObject(o), nil
}

func (f *fakeDaily) DeleteDialinConfig(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.objectCalls["delete"]++
	if _, ok := f.objectStore()[id]; !ok {
		return &client.APIError{StatusCode: http.StatusNotFound, Type: "not-found"}
	}
	delete(f.objectStore(), id)
	f.objectWrites++
	if f.objectFaults.afterWrite != nil {
		f.objectFaults.afterWrite(f.objectWrites, id)
	}
	return nil
}

func (f *fakeDaily) ListDialinConfigs(_ context.Context, filter client.DialinConfigFilter) ([]client.DialinConfig, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.objectCalls["list"]++
	var out []client.DialinConfig
	for _, id := range slices.Sorted(maps.Keys(f.objectStore())) {
		o := f.objectStore()[id]
		prefix, _ := o.Text("name_prefix")
		switch {
		case filter.PhoneNumber != "" && o.PhoneNumber() != filter.PhoneNumber,
			filter.NamePrefix != "" && prefix != filter.NamePrefix,
			filter.Type != "" && o.Type != filter.Type,
			len(filter.PhoneNumbers) > 0 && !slices.ContainsFunc(filter.PhoneNumbers, func(n string) bool {
				return o.PhoneNumber() != "" && strings.Contains(o.PhoneNumber(), n)
			}):
			continue
		}
		out = append(out, *cloneObject(o))
	}
	return out, nil
}

func cloneObject(o client.DialinConfig) *client.DialinConfig {
	o.Config = maps.Clone(o.Config)
	return &o
}
