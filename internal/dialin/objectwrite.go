package dialin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

func (e *Engine) writeObjectLocked(ctx context.Context, oc *objectChange) (client.DialinConfig, error) {
	e.rmw.RLock()
	defer e.rmw.RUnlock()
	return e.writeObject(ctx, oc)
}

// movingFromArray reports, after waiting for it, whether a create refused
// with err was refused for a number an array entry holds that this engine
// is deleting: a route moved from an array to an object in one apply, whose
// two halves Terraform runs in either order. Once the Delete is done, the
// create may be tried again.
func (e *Engine) movingFromArray(ctx context.Context, oc *objectChange, err error) bool {
	var held *HeldError
	if oc.op != createObject || !errors.As(err, &held) || len(held.Arrays) == 0 {
		return false
	}
	deleting := func() bool {
		return slices.ContainsFunc(Arrays, func(a string) bool { return e.history.isBeingDeleted(arrayKey{a, oc.spec.Key}) })
	}
	if !deleting() {
		return false
	}
	for deleting() && ctx.Err() == nil {
		sleep(ctx, 10*time.Millisecond)
	}
	return ctx.Err() == nil
}

// writeObject makes oc's write, and returns the object it leaves (the zero
// one for a delete).
func (e *Engine) writeObject(ctx context.Context, oc *objectChange) (client.DialinConfig, error) {
	if oc.op != deleteObject {
		// Claimed before it is sent: under the reading where objects are the
		// arrays' entries, a Delete of the key's entry in this walk must not
		// take the object for its entry come back.
		e.history.claimObject(arrayKey{oc.typ, oc.spec.Key})
	}
	switch oc.op {
	case createObject:
		return e.createObject(ctx, oc)
	case updateObject:
		current, err := e.backend.GetDialinConfig(ctx, oc.id)
		if err != nil {
			return client.DialinConfig{}, err
		}
		return e.putObject(ctx, oc, *current)
	default:
		if err := e.backend.DeleteDialinConfig(ctx, oc.id); err != nil && !client.IsNotFound(err) {
			return client.DialinConfig{}, err
		}
		return client.DialinConfig{}, nil
	}
}

// putObject sends oc's spec as the PUT of the object current.
func (e *Engine) putObject(ctx context.Context, oc *objectChange, current client.DialinConfig) (client.DialinConfig, error) {
	body := mustMarshal(oc.spec.objectBody(current.Config))
	obj, err := e.backend.UpdateDialinConfig(ctx, oc.id, body)
	if err != nil {
		return client.DialinConfig{}, e.explainRefusal(ctx, oc, err)
	}
	return *obj, nil
}

func (e *Engine) createObject(ctx context.Context, oc *objectChange) (client.DialinConfig, error) {
	number, prefix := SplitKey(oc.spec.Key)
	// A SIP-only object has nothing unique to find it by after a lost
	// answer: the objects holding its name_prefix before are set aside.
	before := map[string]bool{}
	if number == "" {
		found, err := e.backend.ListDialinConfigs(ctx, client.DialinConfigFilter{NamePrefix: prefix, Type: oc.typ})
		if err != nil {
			return client.DialinConfig{}, err
		}
		for _, o := range found {
			before[o.ID] = true
		}
	}
	body := mustMarshal(oc.spec.Set)
	for attempt := 1; ; attempt++ {
		obj, err := e.backend.CreateDialinConfig(ctx, oc.typ, body)
		if err == nil {
			return *obj, nil
		}
		if refused(err) {
			return client.DialinConfig{}, e.explainRefusal(ctx, oc, err)
		}
		// It may have been made: find it before trying again.
		made, findErr := e.findCreated(ctx, oc, before)
		switch {
		case findErr != nil:
			return client.DialinConfig{}, findErr
		case made != nil:
			return *made, nil
		case attempt >= e.opts.MaxAttempts:
			return client.DialinConfig{}, fmt.Errorf("creating %s: gave up after %d attempts: %w", oc.describe(), attempt, err)
		}
		sleep(ctx, e.backoff(attempt))
	}
}

// findCreated returns the object an unanswered create of oc made, nil if
// none: for a number, the one object holding it (if it holds the spec; one
// that does not is another's, and refuses the create); for a SIP-only
// object, one holding the spec that was not among before.
func (e *Engine) findCreated(ctx context.Context, oc *objectChange, before map[string]bool) (*client.DialinConfig, error) {
	number, prefix := SplitKey(oc.spec.Key)
	filter := client.DialinConfigFilter{PhoneNumber: number, Type: oc.typ}
	if number == "" {
		filter = client.DialinConfigFilter{NamePrefix: prefix, Type: oc.typ}
	}
	found, err := e.backend.ListDialinConfigs(ctx, filter)
	if err != nil {
		return nil, err
	}
	for _, o := range found {
		switch {
		case before[o.ID] || o.Type != oc.typ || (number != "" && o.PhoneNumber() != number):
		case oc.spec.holdsValues(entryOf(o)):
			return &o, nil
		case number != "":
			return nil, &HeldError{Key: oc.spec.Key, Objects: []string{o.Type + " " + o.ID}, Err: errors.New("found after a create whose answer was lost")}
		}
	}
	return nil, nil
}

// refused reports whether Daily answered err and so did nothing: a 4xx other
// than 429, which the client retries itself.
func refused(err error) bool {
	var apiErr *client.APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 && apiErr.StatusCode != http.StatusTooManyRequests
}

// explainRefusal turns Daily's refusal of a write for a number into a
// HeldError when another dial-in config holds the number, found by reading
// the objects and the arrays (off the normal path of a write).
func (e *Engine) explainRefusal(ctx context.Context, oc *objectChange, err error) error {
	number, _ := SplitKey(oc.spec.Key)
	if number == "" || !refused(err) {
		return err
	}
	held := &HeldError{Key: number, Err: err}
	if objects, listErr := e.backend.ListDialinConfigs(ctx, client.DialinConfigFilter{PhoneNumber: number}); listErr == nil {
		for _, o := range objects {
			if o.PhoneNumber() == number && o.ID != oc.id {
				held.Objects = append(held.Objects, o.Type+" "+o.ID)
			}
		}
	}
	if snap, getErr := e.get(ctx); getErr == nil {
		for _, array := range Arrays {
			if _, ok := Find(snap.arrays[array], number); ok && len(held.Objects) == 0 {
				held.Arrays = append(held.Arrays, array)
			}
		}
	}
	if len(held.Objects) == 0 && len(held.Arrays) == 0 {
		return err
	}
	return held
}

// objectBody is the PUT body that makes an object whose config is current
// hold s: every field of current but the read-only ones, s's values over
// them, null for each field s removes, and the kept secret.
func (s RouteSpec) objectBody(current map[string]json.RawMessage) map[string]json.RawMessage {
	body := maps.Clone(current)
	for _, f := range readOnlyFields {
		delete(body, f)
	}
	for _, f := range s.Managed {
		if _, set := s.Set[f]; !set && !slices.Contains(s.Preserve, f) {
			body[f] = json.RawMessage("null")
		}
	}
	maps.Copy(body, s.Set)
	return body
}

func mustMarshal(fields map[string]json.RawMessage) json.RawMessage {
	b, err := json.Marshal(fields)
	if err != nil {
		panic(err) // every value is valid JSON already
	}
	return b
}
