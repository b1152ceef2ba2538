package dialin

import (
	"context"
	"fmt"
	"maps"
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
