package emulator

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"time"
)

// Seeding: what a real account holds, stored as given, without the rules of
// the API (no validation, no hmac or sip_uri minted), so that tests can face
// entries that Daily holds but would refuse or change today.

// seedFields decodes one entry or config given as JSON.
func seedFields(raw json.RawMessage) (map[string]any, error) {
	var fields map[string]any
	if err := decodeJSON(raw, &fields); err != nil || fields == nil {
		return nil, fmt.Errorf("emulator: seeding %s: not a JSON object", raw)
	}
	return fields, nil
}

// SeedDialinArray replaces a dial-in array with entries exactly as given.
// Under DialinStoreShared each entry is also an object with a new id. A
// sip_uri given with an entry stays its sip_uri when the array is sent again.
func (e *Emulator) SeedDialinArray(array string, entries []json.RawMessage) error {
	if e.array(array) == nil {
		return fmt.Errorf("emulator: unknown dial-in array %q", array)
	}
	stored := make([]*dialinEntry, len(entries))
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, raw := range entries {
		fields, err := seedFields(raw)
		if err != nil {
			return err
		}
		stored[i] = e.newEntry(array, false, fields)
	}
	*e.array(array) = stored
	for i, d := range stored {
		e.keepSipURI(e.sipIdentity(d, stored[:i]), d.fields)
	}
	return nil
}

// SeedDialinConfig adds a config object of type typ (PinlessDialin or
// PinDialin) exactly as given and returns its id. Under DialinStoreShared it
// is appended to its type's array.
func (e *Emulator) SeedDialinConfig(typ string, config json.RawMessage) (string, error) {
	if e.array(typ) == nil {
		return "", fmt.Errorf("emulator: unknown dial-in config type %q", typ)
	}
	fields, err := seedFields(config)
	if err != nil {
		return "", err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.newEntry(typ, true, fields)
	if e.opts.DialinStore == DialinStoreShared {
		*e.array(typ) = append(*e.array(typ), d)
	} else {
		e.separate = append(e.separate, d)
	}
	e.keepSipURI(e.objectIdentity(d), fields)
	return d.id, nil
}

// keepSipURI records the sip_uri of an entry stored as given (seeded, or
// edited by a test) as the one minted for identity, for its content.
func (e *Emulator) keepSipURI(identity string, fields map[string]any) {
	uri, ok := fields["sip_uri"].(string)
	if !ok {
		return
	}
	content := ""
	if e.opts.SipURI == SipURIOnChange {
		rest := maps.Clone(fields)
		delete(rest, "sip_uri")
		content = string(jsonResp(http.StatusOK, rest).body)
	}
	e.sipURIs[identity] = sipMint{uri, content}
}

// MessyAccount is the account SeedMessyAccount made: one made by hand over
// years, with the entries that real accounts hold and the emulator's
// validators refused.
type MessyAccount struct {
	Numbers   []string // every purchased number, oldest first
	Unrouted  []string // purchased numbers that nothing routes
	Pinless   []string // numbers of the pinless_dialin entries (Dailybots included)
	Dailybots []string // numbers whose route's room_creation_api is "dailybots"
	Pin       []string // numbers of the pin_dialin entries
	SIP       []string // name_prefix of each SIP-only entry with a prefix of its own
	// The SIP-only entries a route key cannot tell apart: NoPrefix entries
	// without name_prefix, and two sharing the name_prefix SharedPrefix.
	NoPrefix     int
	SharedPrefix string
	// Config objects made through the per-object API, newest last: pinless
	// on two numbers, one SIP-only, and a pin one. Under DialinStoreShared
	// they are array entries too (and every entry above is an object).
	Configs       []string
	ConfigNumbers []string
}

// Sizes of the messy account.
const (
	messyNumbers = 130
	messyPinless = 100
	messyPin     = 12
)

// SeedMessyAccount stores the account of issue 19 as Daily would hold it
// (numbers bought long ago, entries with hmac and sip_uri, stored as given):
// 130 numbers, 100 numbered pinless routes (two of them "dailybots"), 12 PIN
// routes, SIP-only interconnects (one without name_prefix, two sharing one),
// and a few dial-in config objects. The numbers are +1312555xxxx.
func (e *Emulator) SeedMessyAccount() MessyAccount {
	var a MessyAccount
	bought := e.Now().Add(-400 * 24 * time.Hour)
	for i := range messyNumbers {
		n := fmt.Sprintf("+1312555%04d", i)
		e.SeedPurchased(n, bought.Add(time.Duration(i)*time.Hour))
		a.Numbers = append(a.Numbers, n)
	}
	e.NamePurchased(a.Numbers[0], "Main line")
	e.NamePurchased(a.Numbers[100], "Conference PINs")
	secret := func(i int) string {
		return base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "messy-account-secret-%03d", i))
	}
	e.mu.Lock()
	sipURI := e.mintSipURI // under the lock: it advances the minting clock
	var pinless, pin []json.RawMessage
	for i, n := range a.Numbers[:messyPinless] {
		entry := map[string]any{
			"phone_number":      n,
			"room_creation_api": fmt.Sprintf("https://bots.example.com/dial/%d", i),
			"hmac":              secret(i),
			"sip_uri":           sipURI(),
		}
		switch {
		case i == 17 || i == 58:
			entry["room_creation_api"] = dailybots
			a.Dailybots = append(a.Dailybots, n)
		case i%4 == 1:
			entry["name_prefix"] = fmt.Sprintf("line-%d", i)
		case i%4 == 2:
			entry["hold_music_url"] = "https://cdn.example.com/hold.mp3"
			entry["timeout_config"] = map[string]any{"message": fmt.Sprintf("Line %d is busy, please call back.", i)}
		case i == 99:
			entry["x_added_by_support"] = map[string]any{"ticket": 4711} // a field this provider does not know
		}
		pinless = append(pinless, mustJSON(entry))
		a.Pinless = append(a.Pinless, n)
	}
	sipOnly := func(prefix string, i int) json.RawMessage {
		entry := map[string]any{"room_creation_api": "https://pbx.example.com/sip", "hmac": secret(200 + i), "sip_uri": sipURI()}
		if prefix != "" {
			entry["name_prefix"] = prefix
		}
		return mustJSON(entry)
	}
	for i, prefix := range []string{"office-pbx", "lab-trunk", "support-sbc"} {
		pinless = append(pinless, sipOnly(prefix, i))
		a.SIP = append(a.SIP, prefix)
	}
	a.NoPrefix, a.SharedPrefix = 1, "shared-trunk"
	pinless = append(pinless, sipOnly("", 3), sipOnly(a.SharedPrefix, 4), sipOnly(a.SharedPrefix, 5))
	for i, n := range a.Numbers[messyPinless : messyPinless+messyPin] {
		entry := map[string]any{"phone_number": n, "name_prefix": fmt.Sprintf("pin-%d", i)}
		if i%3 == 0 {
			entry["ivr_greeting"] = map[string]any{"message": "Please enter your meeting PIN."}
		}
		pin = append(pin, mustJSON(entry))
		a.Pin = append(a.Pin, n)
	}
	objects := []struct {
		typ    string
		fields map[string]any
	}{
		{PinlessDialin, map[string]any{"phone_number": a.Numbers[112], "room_creation_api": "https://agents.example.com/call", "hmac": secret(300), "sip_uri": sipURI()}},
		{PinlessDialin, map[string]any{"phone_number": a.Numbers[113], "room_creation_api": "https://agents.example.com/call", "name_prefix": "agents", "hmac": secret(301), "sip_uri": sipURI()}},
		{PinlessDialin, map[string]any{"room_creation_api": "https://agents.example.com/sip", "name_prefix": "agents-sip", "hmac": secret(302), "sip_uri": sipURI()}},
		{PinDialin, map[string]any{"phone_number": a.Numbers[114], "ivr_greeting": map[string]any{"message": "Welcome."}}},
	}
	e.mu.Unlock()

	for _, err := range []error{e.SeedDialinArray(PinlessDialin, pinless), e.SeedDialinArray(PinDialin, pin)} {
		if err != nil {
			panic(err)
		}
	}
	for _, o := range objects {
		id, err := e.SeedDialinConfig(o.typ, mustJSON(o.fields))
		if err != nil {
			panic(err)
		}
		a.Configs = append(a.Configs, id)
		if n, ok := o.fields["phone_number"].(string); ok {
			a.ConfigNumbers = append(a.ConfigNumbers, n)
		}
	}
	a.Unrouted = a.Numbers[115:]
	return a
}

func mustJSON(v any) json.RawMessage {
	return jsonResp(http.StatusOK, v).body
}
