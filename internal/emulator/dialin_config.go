package emulator

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// The per-object dial-in API, /domain-dialin-config (contract section 3).
// How its objects relate to the domain arrays is Options.DialinStore.

// configFields decodes a create or PUT body: a JSON object of config fields.
func configFields(body []byte) (map[string]any, *apiError) {
	var in map[string]any
	if err := decodeJSON(body, &in); err != nil {
		return nil, jsonParsingError(err)
	}
	if in == nil {
		return nil, invalid("body must be a JSON object of config fields")
	}
	return in, nil
}

// withoutNulls drops the fields set to null: a create takes null as absent,
// as the docs do for a pinless object's phone_number [doc, inferred for the
// other fields].
func withoutNulls(fields map[string]any) map[string]any {
	maps.DeleteFunc(fields, func(_ string, v any) bool { return v == nil })
	return fields
}

// checkConfig validates the config of a type with the rules of the array
// entries (caller holds the lock).
func (e *Emulator) checkConfig(typ string, fields map[string]any) *apiError {
	check := e.validatePin
	if typ == PinlessDialin {
		check = e.validatePinless
	}
	if err := check(fields); err != nil {
		return invalid("%v", err)
	}
	return nil
}

// checkNumberFree enforces one dial-in config per number across both types
// and both stores [doc]; the status and text are [inferred].
func (e *Emulator) checkNumberFree(fields map[string]any, self *dialinEntry) *apiError {
	n, ok := fields["phone_number"].(string)
	if !ok {
		return nil
	}
	if where := e.holder(n, self); where != "" {
		return invalid("%s is used by more than one dial-in entry: %s holds it", n, where)
	}
	return nil
}

func (e *Emulator) createConfig(q request) response {
	in, err := configFields(q.body)
	if err != nil {
		return err.response()
	}
	typ, _ := in["type"].(string)
	if typ != PinlessDialin && typ != PinDialin {
		return invalid("type must be %q or %q", PinlessDialin, PinDialin).response()
	}
	delete(in, "type")
	e.mu.Lock()
	defer e.mu.Unlock()
	before := e.staleCopy(true, typ)
	d, err := e.createObject(typ, withoutNulls(in))
	if err != nil {
		return err.response()
	}
	e.staleWriteBack(before)
	return objectResp(d)
}

// createObject adds a config object under the rules of POST
// /domain-dialin-config (caller holds the lock).
func (e *Emulator) createObject(typ string, fields map[string]any) (*dialinEntry, *apiError) {
	if err := e.checkConfig(typ, fields); err != nil {
		return nil, err
	}
	if err := e.checkNumberFree(fields, nil); err != nil {
		return nil, err
	}
	if typ == PinlessDialin {
		if _, ok := fields["hmac"]; !ok {
			fields["hmac"] = mintHMAC() // a create without one gets one [doc]
		}
	}
	d := e.newEntry(typ, true, fields)
	if e.opts.DialinStore == DialinStoreShared {
		// [inferred] a new object is appended to its type's array.
		*e.array(typ) = append(*e.array(typ), d)
	} else {
		e.separate = append(e.separate, d)
	}
	e.assignSipURI(d)
	// Whether Daily sends its test request to the webhook of a new object,
	// as it does for an array write, is unknown: none is sent [inferred].
	return d, nil
}

// assignSipURI gives a pinless object its sip_uri, minted by Daily and
// read-only [doc].
func (e *Emulator) assignSipURI(d *dialinEntry) {
	if d.typ == PinlessDialin {
		d.fields["sip_uri"] = e.sipURI(e.objectIdentity(d), d.fields)
	}
}

// objectIdentity is sipIdentity for a config object.
func (e *Emulator) objectIdentity(d *dialinEntry) string {
	if e.opts.DialinStore == DialinStoreShared {
		return e.arrayIdentity(d)
	}
	return "object " + d.id
}

func (e *Emulator) getConfig(q request) response {
	return e.onObject(q.param, objectResp)
}

// onObject answers a call on the object id with call's answer, under the
// lock, or with the object's 404: a GET, PUT and DELETE of one object look
// it up alike.
func (e *Emulator) onObject(id string, call func(d *dialinEntry) response) response {
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.object(id)
	if d == nil {
		return configNotFound(id)
	}
	return call(d)
}

// writeObject is onObject for a write of the object: a stale writer (see
// Options.StaleWriter) copies its array before the write and, if write
// succeeds, writes the copy back later.
func (e *Emulator) writeObject(id string, write func(d *dialinEntry) (response, *apiError)) response {
	return e.onObject(id, func(d *dialinEntry) response {
		before := e.staleCopy(true, d.typ)
		answer, err := write(d)
		if err != nil {
			return err.response()
		}
		e.staleWriteBack(before)
		return answer
	})
}

// configNotFound is the 404 of an unknown object; the type is [inferred].
func configNotFound(id string) response {
	return errorf(http.StatusNotFound, "not-found", "dial-in config %s not found", id).response()
}

func (e *Emulator) putConfig(q request) response {
	in, err := configFields(q.body)
	if err != nil {
		return err.response()
	}
	return e.writeObject(q.param, func(d *dialinEntry) (response, *apiError) {
		if err := e.updateObject(d, in); err != nil {
			return response{}, err
		}
		return objectResp(d), nil
	})
}

// updateObject applies a PUT body to d under the PutSemantics and
// PutOmittedHMAC readings, all or nothing (caller holds the lock).
func (e *Emulator) updateObject(d *dialinEntry, in map[string]any) *apiError {
	if typ, ok := in["type"]; ok {
		// The type is fixed at create [doc]; refusing it here is [inferred].
		if typ != d.typ {
			return invalid("type cannot be changed; delete the config and create one of type %v", typ)
		}
		delete(in, "type")
	}
	if _, sent := in["sip_uri"]; sent && e.opts.SentSipURI == SentSipURIRefuse { // see Options.SentSipURI
		return invalid("sip_uri is read-only")
	}
	delete(in, "sip_uri") // read-only [doc]; ignored [inferred]
	var fields map[string]any
	switch e.opts.PutSemantics {
	case PutReplace:
		fields = withoutNulls(in)
	default: // PutMerge
		fields = maps.Clone(d.fields)
		delete(fields, "sip_uri")
		for k, v := range in {
			if v == nil {
				delete(fields, k)
			} else {
				fields[k] = v
			}
		}
	}
	if d.typ == PinlessDialin {
		if h, sent := in["hmac"]; !sent || h == nil {
			old, had := d.fields["hmac"]
			switch {
			case e.opts.PutOmittedHMAC == PutOmittedHMACKeep && had:
				fields["hmac"] = old
			default:
				delete(fields, "hmac")
			}
		}
	}
	if err := e.checkConfig(d.typ, fields); err != nil {
		return err
	}
	if err := e.checkNumberFree(fields, d); err != nil {
		return err
	}
	if _, ok := fields["hmac"]; !ok && d.typ == PinlessDialin {
		fields["hmac"] = mintHMAC()
	}
	d.fields = fields
	e.assignSipURI(d)
	return nil
}

func (e *Emulator) deleteConfig(q request) response {
	return e.writeObject(q.param, func(d *dialinEntry) (response, *apiError) {
		e.removeObject(d)
		// [inferred] the documented answer is {"status": "ok"}-like, its value unsure.
		return jsonResp(http.StatusOK, map[string]string{"status": "ok"}), nil
	})
}

// maxConfigPage is the list's page limit [doc]; larger limits are clamped
// and the default is the maximum [inferred].
const maxConfigPage = 100

func (e *Emulator) listConfigs(q request) response {
	query := q.URL.Query()
	limit := maxConfigPage
	if s := query.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 { // [inferred]
			return invalid("limit must be a positive integer").response()
		}
		limit = min(n, maxConfigPage)
	}
	after, before := query.Get("starting_after"), query.Get("ending_before")
	if after != "" && before != "" { // [inferred]
		return invalid("starting_after and ending_before cannot be combined").response()
	}
	typ := query.Get("type")
	if typ != "" && typ != PinlessDialin && typ != PinDialin { // [inferred]
		return invalid("type must be %q or %q", PinlessDialin, PinDialin).response()
	}
	var anyOf []string
	for _, n := range strings.Split(query.Get("phone_numbers"), ",") {
		if n = strings.TrimSpace(n); n != "" {
			anyOf = append(anyOf, n)
		}
	}
	number, user, prefix := query.Get("phone_number"), query.Get("sip_username"), query.Get("name_prefix")

	e.mu.Lock()
	defer e.mu.Unlock()
	// [inferred] a cursor is an object id, also of an object deleted since;
	// an id never seen is refused.
	cursor := func(id string) (int64, *apiError) {
		seq, ok := e.idSeq[id]
		if !ok {
			return 0, invalid("no dial-in config %s", id)
		}
		return seq, nil
	}
	var matches []*dialinEntry // newest first
	for _, d := range e.objects() {
		// [inferred] every filter but phone_numbers (a substring match per
		// item [doc]) matches exactly; sip_username is the sip_uri's local part.
		n, _ := d.fields["phone_number"].(string)
		p, _ := d.fields["name_prefix"].(string)
		uri, _ := d.fields["sip_uri"].(string)
		local, _, _ := strings.Cut(uri, "@")
		if (typ != "" && d.typ != typ) || (number != "" && n != number) || (prefix != "" && p != prefix) ||
			(user != "" && local != user) ||
			(len(anyOf) > 0 && !slices.ContainsFunc(anyOf, func(s string) bool { return n != "" && strings.Contains(n, s) })) {
			continue
		}
		matches = append(matches, d)
	}
	page := matches
	switch {
	case after != "":
		seq, err := cursor(after)
		if err != nil {
			return err.response()
		}
		i := slices.IndexFunc(matches, func(d *dialinEntry) bool { return d.seq < seq })
		if i < 0 {
			i = len(matches)
		}
		page = matches[i:]
		page = page[:min(limit, len(page))]
	case before != "":
		seq, err := cursor(before)
		if err != nil {
			return err.response()
		}
		i := slices.IndexFunc(matches, func(d *dialinEntry) bool { return d.seq <= seq })
		if i < 0 {
			i = len(matches)
		}
		page = matches[max(0, i-limit):i]
	default:
		page = page[:min(limit, len(page))]
	}
	data := make([]map[string]any, len(page))
	for i, d := range page {
		data[i] = objectBody(d)
	}
	return jsonResp(http.StatusOK, map[string]any{"total_count": len(matches), "data": data})
}

// Hooks for tests: the per-object API as another writer (Daily's dashboard,
// a script) uses it, and reads as the API answers.

// CreateDialinConfig creates an object of type typ (PinlessDialin or
// PinDialin) from fields (a JSON object) under the rules of POST
// /domain-dialin-config, and returns its id.
func (e *Emulator) CreateDialinConfig(typ string, fields json.RawMessage) (string, error) {
	if typ != PinlessDialin && typ != PinDialin {
		return "", fmt.Errorf("emulator: unknown dial-in config type %q", typ)
	}
	in, apiErr := configFields(fields)
	if apiErr != nil {
		return "", apiErr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	d, apiErr := e.createObject(typ, withoutNulls(in))
	if apiErr != nil {
		return "", apiErr
	}
	return d.id, nil
}

// UpdateDialinConfig applies fields (a JSON object) to the object id under
// the rules of PUT /domain-dialin-config/{id}.
func (e *Emulator) UpdateDialinConfig(id string, fields json.RawMessage) error {
	in, apiErr := configFields(fields)
	if apiErr != nil {
		return apiErr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.object(id)
	if d == nil {
		return fmt.Errorf("emulator: no dial-in config %s", id)
	}
	if apiErr := e.updateObject(d, in); apiErr != nil {
		return apiErr
	}
	return nil
}

// DeleteDialinConfig deletes the object id; it reports whether there was one.
func (e *Emulator) DeleteDialinConfig(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.object(id)
	if d != nil {
		e.removeObject(d)
	}
	return d != nil
}

// MutateDialinConfig edits the config of the object id in place to simulate
// drift, without validation or minting. fn runs under the emulator's lock
// and must not call it. It reports whether there is such an object.
func (e *Emulator) MutateDialinConfig(id string, fn func(config map[string]any)) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.object(id)
	if d == nil {
		return false
	}
	fn(d.fields)
	e.keepSipURI(e.objectIdentity(d), d.fields)
	return true
}

// DialinConfig returns the object id exactly as GET /domain-dialin-config/{id}
// answers it.
func (e *Emulator) DialinConfig(id string) (json.RawMessage, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.object(id)
	if d == nil {
		return nil, false
	}
	return objectResp(d).body, true
}

// DialinConfigs returns every object, newest first, each exactly as the list
// answers it.
func (e *Emulator) DialinConfigs() []json.RawMessage {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []json.RawMessage
	for _, d := range e.objects() {
		out = append(out, objectResp(d).body)
	}
	return out
}
