package dialin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// Daily's dial-in config objects (/domain-dialin-config) are written one by
// one, with no read-modify-write; the engine still confirms each write by a
// later read of the object (objectconfirm.go) and tells its caller as it
// does for array changes (callers.go). A config's type is the name of the
// array its entries are like (client.PinlessDialin, client.PinDialin), and a
// RouteSpec describes its fields as it does an entry's.

// objectChange is a change of one config object.
type objectChange struct {
	op   objectOp
	typ  string
	id   string // the object's, once created
	spec RouteSpec
	// answer is the object as Daily last showed it holding the change.
	answer client.DialinConfig
}

type objectOp int

const (
	createObject objectOp = iota
	updateObject
	deleteObject
)

// HeldError refuses a config for a number another dial-in config holds:
// an object of /domain-dialin-config, or an entry of a domain array.
type HeldError struct {
	Key     string
	Objects []string // "<type> <id>" of each object holding it
	Arrays  []string // arrays with an entry holding it
	Err     error    // Daily's refusal
}

func (e *HeldError) Error() string {
	var where []string
	for _, o := range e.Objects {
		where = append(where, "dial-in config object "+o)
	}
	for _, a := range e.Arrays {
		where = append(where, "an entry of the domain's "+a+" array")
	}
	return fmt.Sprintf("%s is held by %s (%v)", e.Key, strings.Join(where, " and "), e.Err)
}

func (e *HeldError) Unwrap() error { return e.Err }

// CreateObject creates a config object of type typ holding spec. A create
// whose answer is lost is reconciled, never sent blindly again: the object
// it made is found by its number (or, for a SIP-only object, as the one
// holding spec that was not there before) and taken.
func (e *Engine) CreateObject(ctx context.Context, typ string, spec RouteSpec) (client.DialinConfig, error) {
	return e.submitObject(ctx, &objectChange{op: createObject, typ: typ, spec: spec})
}

// UpdateObject makes object id hold spec: one PUT carrying every field,
// fields spec clears as null, and the secret, so that no reading of a PUT
// (a merge or a replacement; an omitted secret kept or minted anew) loses
// a field or rotates it. Fields spec does not manage are sent back as read.
func (e *Engine) UpdateObject(ctx context.Context, typ, id string, spec RouteSpec) (client.DialinConfig, error) {
	return e.submitObject(ctx, &objectChange{op: updateObject, typ: typ, id: id, spec: spec})
}

// DeleteObject deletes object id; one already gone is not an error.
func (e *Engine) DeleteObject(ctx context.Context, typ, id string, spec RouteSpec) error {
	_, err := e.submitObject(ctx, &objectChange{op: deleteObject, typ: typ, id: id, spec: spec})
	return err
}

// Object reads object id as Daily holds it: from Daily's last listing of
// every object when that is recent (reads arriving together share one), or
// a GET of its own when the listing lacks it. found is false when Daily has
// no such object.
func (e *Engine) Object(ctx context.Context, id string) (obj client.DialinConfig, found bool, err error) {
	snap, err := e.objects.read(ctx)
	if err != nil {
		return client.DialinConfig{}, false, err
	}
	if o, ok := snap.byID[id]; ok {
		return o, true, nil
	}
	o, err := e.backend.GetDialinConfig(ctx, id)
	switch {
	case client.IsNotFound(err):
		return client.DialinConfig{}, false, nil
	case err != nil:
		return client.DialinConfig{}, false, err
	}
	return *o, true, nil
}

// Objects returns every config object as Daily holds it (shared like Object).
func (e *Engine) Objects(ctx context.Context) ([]client.DialinConfig, error) {
	snap, err := e.objects.read(ctx)
	if err != nil {
		return nil, err
	}
	return slices.SortedFunc(maps.Values(snap.byID), func(a, b client.DialinConfig) int { return strings.Compare(a.ID, b.ID) }), nil
}

// objectSnapshot is one listing of every config object, by id.
type objectSnapshot struct {
	byID map[string]client.DialinConfig
}

// listObjects lists every object and keeps the listing for later reads, so
// that a walk's reads after the first wave's are answered from it (as the
// domain's reads are) rather than each wave listing every object again.
func (e *Engine) listObjects(ctx context.Context) (objectSnapshot, error) {
	sent := time.Now()
	all, err := e.backend.ListDialinConfigs(ctx, client.DialinConfigFilter{})
	if err != nil {
		return objectSnapshot{}, err
	}
	snap := objectSnapshot{byID: make(map[string]client.DialinConfig, len(all))}
	for _, o := range all {
		snap.byID[o.ID] = o
	}
	e.objects.remember(snap, sent)
	return snap, nil
}

// submitObject makes the write of oc and returns the object as Daily holds it
// with the change made (see callers.go for when).
func (e *Engine) submitObject(ctx context.Context, oc *objectChange) (client.DialinConfig, error) {
	c := &change{ctx: ctx, array: oc.typ, obj: oc, done: make(chan outcome, 1)}
	c.describe = oc.describe()
	e.arrive()
	obj, err := e.writeObjectLocked(context.WithoutCancel(ctx), oc)
	answeredAt := time.Now()
	if e.movingFromArray(ctx, oc, err) {
		obj, err = e.writeObjectLocked(context.WithoutCancel(ctx), oc)
		answeredAt = time.Now()
	}
	if err != nil {
		e.fail(c, err)
	} else {
		e.objectAnswered(c, obj, answeredAt)
	}
	out := <-c.done
	return out.object, out.err
}

func (oc *objectChange) describe() string {
	if oc.id == "" {
		return oc.typ + " config " + oc.spec.Key
	}
	return fmt.Sprintf("%s config %s (%s)", oc.typ, oc.id, oc.spec.Key)
}

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

// objectAnswered records Daily's answer to oc's write (obj, nothing for a
// delete) at at: the change is pinned, claimed, owed a confirming read, and
// its caller held or let go. Daily's last listing is edited to match.
func (e *Engine) objectAnswered(c *change, obj client.DialinConfig, at time.Time) {
	oc := c.obj
	if oc.op != deleteObject {
		oc.id = obj.ID
		oc.spec = oc.spec.pinned(entryOf(obj))
	}
	e.objects.edit(func(s *objectSnapshot) {
		if oc.op == deleteObject {
			delete(s.byID, oc.id)
		} else {
			s.byID[obj.ID] = obj
		}
	})
	e.mu.Lock()
	defer e.mu.Unlock()
	oc.answer = obj
	delete(e.repairing, c)
	e.unconfirmed = append(e.unconfirmed, pendingConfirmation{change: c, answered: at, tries: c.reapplies})
	e.hold(c)
	e.releaseHeld()
	e.armConfirm()
}

// entryOf is an object's config as an entry, to compare with a RouteSpec.
func entryOf(o client.DialinConfig) Entry {
	return newEntry(maps.Clone(o.Config))
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
