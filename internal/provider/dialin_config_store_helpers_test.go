package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// objectStore is Daily's config objects as a test reads and changes them
// out of band: the emulator, or the live API (see accEnv.Objects).
type objectStore interface {
	DialinConfigs() []json.RawMessage // each as the list answers it: {id, type, config}
	CreateDialinConfig(typ string, fields json.RawMessage) (string, error)
	UpdateDialinConfig(id string, fields json.RawMessage) error
	DeleteDialinConfig(id string) bool
}

// Objects is the object store behind this environment.
func (e *accEnv) Objects(t *testing.T) objectStore {
	if e.Emu != nil {
		return e.Emu
	}
	return liveObjects{t: t, c: e.Client(t)}
}

// liveObjects changes the live domain's config objects through the API, as
// another tool would.
type liveObjects struct {
	t *testing.T
	c *client.Client
}

func (l liveObjects) DialinConfigs() []json.RawMessage {
	all, err := l.c.ListDialinConfigs(context.Background(), client.DialinConfigFilter{})
	if err != nil {
		l.t.Fatalf("listing the live domain's config objects: %v", err)
	}
	out := make([]json.RawMessage, len(all))
	for i, o := range all {
		out[i], _ = json.Marshal(map[string]any{"id": o.ID, "type": o.Type, "config": o.Config})
	}
	return out
}

func (l liveObjects) CreateDialinConfig(typ string, fields json.RawMessage) (string, error) {
	o, err := l.c.CreateDialinConfig(context.Background(), typ, fields)
	if err != nil {
		return "", err
	}
	return o.ID, nil
}

func (l liveObjects) UpdateDialinConfig(id string, fields json.RawMessage) error {
	_, err := l.c.UpdateDialinConfig(context.Background(), id, fields)
	return err
}

func (l liveObjects) DeleteDialinConfig(id string) bool {
	err := l.c.DeleteDialinConfig(context.Background(), id)
	if err != nil && !client.IsNotFound(err) {
		l.t.Fatalf("deleting the live domain's config object %s: %v", id, err)
	}
	return err == nil
}

// storedObject is one config object as Daily holds it.
type storedObject struct {
	ID     string         `json:"id"`
	Type   string         `json:"type"`
	Config map[string]any `json:"config"`
	raw    json.RawMessage
}

// key is the object's route key: its number, or sip:<name_prefix>.
func (o storedObject) key() string {
	if n, _ := o.Config["phone_number"].(string); n != "" {
		return n
	}
	p, _ := o.Config["name_prefix"].(string)
	return "sip:" + p
}

func (o storedObject) text(field string) string {
	s, _ := o.Config[field].(string)
	return s
}

// objectsIn returns every object of the store, of type typ ("" for all).
func objectsIn(t *testing.T, store objectStore, typ string) []storedObject {
	t.Helper()
	var out []storedObject
	for _, raw := range store.DialinConfigs() {
		var o storedObject
		if err := json.Unmarshal(raw, &o); err != nil {
			t.Fatalf("a config object that is not JSON: %s", raw)
		}
		o.raw = raw
		if typ == "" || o.Type == typ {
			out = append(out, o)
		}
	}
	return out
}

// objectByKey returns the one object of type typ with key; it fails the
// test when several hold it, and reports whether there is one.
func objectByKey(t *testing.T, store objectStore, typ, key string) (storedObject, bool) {
	t.Helper()
	var found []storedObject
	for _, o := range objectsIn(t, store, typ) {
		if o.key() == key {
			found = append(found, o)
		}
	}
	if len(found) > 1 {
		t.Fatalf("%d %s objects hold %s, want at most one", len(found), typ, key)
	}
	if len(found) == 0 {
		return storedObject{}, false
	}
	return found[0], true
}

// checkObjectKeys fails unless the objects of type typ hold exactly these
// keys, once each.
func checkObjectKeys(t *testing.T, store objectStore, typ string, keys ...string) emuCheck {
	return func() error {
		var have []string
		for _, o := range objectsIn(t, store, typ) {
			have = append(have, o.key())
		}
		slices.Sort(have)
		want := slices.Sorted(slices.Values(keys))
		if !slices.Equal(have, want) {
			return fmt.Errorf("%s objects hold %v, want %v", typ, have, want)
		}
		return nil
	}
}

// checkObject fails unless the object of type typ with key has these field
// values (nil: absent).
func checkObject(t *testing.T, store objectStore, typ, key string, fields map[string]any) emuCheck {
	return func() error {
		o, ok := objectByKey(t, store, typ, key)
		if !ok {
			return fmt.Errorf("no %s object holds %s", typ, key)
		}
		for f, want := range fields {
			got, _ := json.Marshal(o.Config[f])
			w, _ := json.Marshal(want)
			if !bytes.Equal(got, w) {
				return fmt.Errorf("%s object %s (%s): %s = %s, want %s", typ, o.ID, key, f, got, w)
			}
		}
		return nil
	}
}

// checkObjectsUntouched fails unless every object of want is still held
// byte for byte.
func checkObjectsUntouched(store objectStore, want []json.RawMessage) emuCheck {
	return func() error {
		have := store.DialinConfigs()
		for _, w := range want {
			if !slices.ContainsFunc(have, func(h json.RawMessage) bool { return bytes.Equal(h, w) }) {
				return fmt.Errorf("unmanaged config object changed or lost:\nwant %s\nhave %s", w, joinRaw(have))
			}
		}
		return nil
	}
}

// seedObject makes a config object out of band, as another tool would,
// and returns it as Daily then holds it.
func seedObject(t *testing.T, store objectStore, typ string, fields string) storedObject {
	t.Helper()
	id, err := store.CreateDialinConfig(typ, json.RawMessage(fields))
	if err != nil {
		t.Fatalf("creating a %s object %s: %v", typ, fields, err)
	}
	for _, o := range objectsIn(t, store, typ) {
		if o.ID == id {
			return o
		}
	}
	t.Fatalf("the %s object %s just made is not listed", typ, id)
	return storedObject{}
}

// editObject changes fields of the object of type typ with key out of
// band, sending its secret back so that it keeps it, as Daily's dashboard
// would.
func editObject(t *testing.T, store objectStore, typ, key string, fields map[string]any) {
	t.Helper()
	o, ok := objectByKey(t, store, typ, key)
	if !ok {
		t.Fatalf("no %s object holds %s", typ, key)
	}
	body := map[string]any{}
	for f, v := range o.Config {
		if f != "sip_uri" {
			body[f] = v
		}
	}
	for f, v := range fields {
		body[f] = v
	}
	raw, _ := json.Marshal(body)
	if err := store.UpdateDialinConfig(o.ID, raw); err != nil {
		t.Fatalf("editing the %s object %s: %v", typ, o.ID, err)
	}
}

// deleteObject deletes the object of type typ with key out of band.
func deleteObject(t *testing.T, store objectStore, typ, key string) {
	t.Helper()
	o, ok := objectByKey(t, store, typ, key)
	if !ok || !store.DeleteDialinConfig(o.ID) {
		t.Fatalf("no %s object holds %s to delete", typ, key)
	}
}
