package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Names of the two dial-in arrays in the domain config.
const (
	PinlessDialin = "pinless_dialin"
	PinDialin     = "pin_dialin"
)

type propKind int

const (
	kindBool propKind = iota
	kindString
	kindNullableString
	kindAny // objects such as bucket settings, or null
)

type setting struct {
	kind  propKind
	value any
}

// settings are the domain properties the emulator knows besides the dial-in
// arrays, with their defaults [inferred]. [inferred] A property must keep its JSON type.
var settings = map[string]setting{
	"enable_advanced_chat":         {kindBool, false},
	"enable_breakout_rooms":        {kindBool, false},
	"enable_emoji_reactions":       {kindBool, false},
	"enable_hand_raising":          {kindBool, false},
	"enable_live_captions_ui":      {kindBool, false},
	"enable_network_ui":            {kindBool, false},
	"enable_noise_cancellation_ui": {kindBool, true},
	"enable_people_ui":             {kindBool, true},
	"enable_pip_ui":                {kindBool, false},
	"enable_prejoin_ui":            {kindBool, true},
	"enable_terse_logging":         {kindBool, false},
	"enable_transcription_storage": {kindBool, false},
	"enable_video_processing_ui":   {kindBool, true},
	"hide_daily_branding":          {kindBool, false},
	"hipaa":                        {kindBool, false},
	"intercom_auto_record":         {kindBool, false},
	"disable_rtmp_geo_fallback":    {kindBool, false},
	"lang":                         {kindString, "en"},
	"redirect_on_meeting_exit":     {kindNullableString, nil},
	"meeting_join_hook":            {kindNullableString, nil},
	"geo":                          {kindNullableString, nil},
	"rtmp_geo":                     {kindNullableString, nil},
	"recordings_bucket":            {kindAny, nil},
	"transcription_bucket":         {kindAny, nil},
}

func defaultConfig() map[string]any {
	c := make(map[string]any, len(settings))
	for name, s := range settings {
		c[name] = s.value
	}
	return c
}

func (k propKind) accepts(v any) bool {
	switch k {
	case kindBool:
		_, ok := v.(bool)
		return ok
	case kindString:
		_, ok := v.(string)
		return ok
	case kindNullableString:
		_, ok := v.(string)
		return ok || v == nil
	default:
		_, ok := v.(map[string]any)
		return ok || v == nil
	}
}

type domainBody struct {
	DomainName string         `json:"domain_name"`
	DomainID   string         `json:"domain_id"`
	Config     map[string]any `json:"config"`
}

// domainObject renders GET / (caller holds the lock). Maps marshal with sorted
// keys, so unchanged entries are byte-identical across responses: that Daily
// answers an unchanged entry alike every time is [inferred], and tests
// comparing unmanaged entries byte for byte rely on it.
func (e *Emulator) domainObject() response {
	cfg := maps.Clone(e.config)
	cfg[PinlessDialin] = arrayFields(e.pinless)
	cfg[PinDialin] = arrayFields(e.pin)
	return jsonResp(http.StatusOK, domainBody{e.opts.DomainName, e.domainID, cfg})
}

func (e *Emulator) getDomain(request) response {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.domainObject()
}

func (e *Emulator) postDomain(q request) response {
	var in map[string]any
	if err := decodeJSON(q.body, &in); err != nil {
		return jsonParsingError(err).response()
	}
	props, ok := in["properties"].(map[string]any)
	if !ok {
		return invalid("body must be {\"properties\": {...}}").response()
	}
	for k := range in {
		if k != "properties" { // [inferred] only "properties" is accepted at the top level
			return invalid("unknown field %q", k).response()
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var arrays []string
	for _, name := range []string{PinDialin, PinlessDialin} {
		if _, ok := props[name]; ok {
			arrays = append(arrays, name)
		}
	}
	before := e.staleCopy(false, arrays...)
	if err := e.applyProperties(props); err != nil {
		return err.response()
	}
	e.staleWriteBack(before)
	return e.domainObject()
}

// applyProperties validates every property first and changes nothing unless all
// are valid (caller holds the lock).
func (e *Emulator) applyProperties(props map[string]any) *apiError {
	updates := map[string]any{}
	pinless, pin := arrayFields(e.pinless), arrayFields(e.pin)
	var setPinless, setPin bool
	for _, name := range slices.Sorted(maps.Keys(props)) {
		v := props[name]
		var err *apiError
		switch name {
		case PinlessDialin:
			pinless, err = e.validateArray(name, v, e.validatePinless)
			setPinless = true
		case PinDialin:
			pin, err = e.validateArray(name, v, e.validatePin)
			setPin = true
		default:
			s, known := settings[name]
			switch {
			case !known: // [inferred from additionalProperties:false]
				err = invalid("unknown property %q", name)
			case !s.kind.accepts(v): // [inferred]
				err = invalid("property %q has the wrong type", name)
			}
			updates[name] = v
		}
		if err != nil {
			return err
		}
	}
	if setPinless || setPin {
		if err := checkUnique(pinless, pin); err != nil {
			return err
		}
		if err := e.checkObjectNumbers(pinless, pin); err != nil {
			return err
		}
	}

	// Properties that are not sent keep their value [inferred].
	maps.Copy(e.config, updates)
	if setPin {
		e.storeArray(PinDialin, pin)
	}
	if setPinless {
		e.storeArray(PinlessDialin, pinless)
		e.sendTestRequests(pinless)
	}
	return nil
}

// checkObjectNumbers refuses, under the separate store, an array entry on a
// number that a config object holds: one config per number [doc].
func (e *Emulator) checkObjectNumbers(arrays ...[]map[string]any) *apiError {
	for _, entry := range slices.Concat(arrays...) {
		n, ok := entry["phone_number"].(string)
		if !ok {
			continue
		}
		for _, d := range e.separate {
			if d.fields["phone_number"] == n {
				return invalid("%s is used by more than one dial-in entry: dial-in config %s (%s) holds it", n, d.id, d.typ)
			}
		}
	}
	return nil
}

// validateArray checks a whole dial-in array and returns copies of its entries.
func (e *Emulator) validateArray(name string, v any, check func(map[string]any) error) ([]map[string]any, *apiError) {
	list, ok := v.([]any)
	if !ok { // [inferred] null is not an empty array
		return nil, invalid("%s must be an array", name)
	}
	out := make([]map[string]any, 0, len(list))
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, invalid("%s[%d] must be an object", name, i)
		}
		// Unknown fields are kept as sent, and the entries in the order sent [inferred].
		entry := maps.Clone(m)
		if err := check(entry); err != nil {
			return nil, invalid("%s[%d]: %v", name, i, err)
		}
		out = append(out, entry)
	}
	return out, nil
}

// validatePinless checks one pinless_dialin entry. A null value for a known
// field is refused rather than treated as absent [inferred].
func (e *Emulator) validatePinless(entry map[string]any) error {
	// Read-only [doc]; a sent value is ignored, or refused (Options.SentSipURI) [inferred].
	if _, sent := entry["sip_uri"]; sent && e.opts.SentSipURI == SentSipURIRefuse {
		return errors.New("sip_uri is read-only")
	}
	delete(entry, "sip_uri")
	if _, ok := entry["phone_number"]; ok {
		if err := e.checkNumber(entry["phone_number"]); err != nil {
			return err
		}
	}
	// [inferred] room_creation_api is required: without it a call has nowhere to go.
	if _, ok := entry["room_creation_api"]; !ok {
		return errors.New("room_creation_api is required")
	}
	// Old Daily Bots accounts hold the non-URL value "dailybots" [daily-code];
	// that Daily takes it back when such an entry is re-sent is [inferred]
	// from accounts that hold it.
	if entry["room_creation_api"] != dailybots {
		if err := checkURL("room_creation_api", entry["room_creation_api"]); err != nil {
			return err
		}
	}
	if err := optionalString(entry, "name_prefix"); err != nil {
		return err
	}
	if _, ok := entry["hold_music_url"]; ok {
		if err := checkURL("hold_music_url", entry["hold_music_url"]); err != nil {
			return err
		}
	}
	if err := optionalMessage(entry, "timeout_config"); err != nil {
		return err
	}
	if v, ok := entry["hmac"]; ok {
		// [inferred] a sent secret must be non-empty standard base64, as Daily mints them.
		s, isString := v.(string)
		if _, err := base64.StdEncoding.DecodeString(s); !isString || s == "" || err != nil {
			return errors.New("hmac must be a base64 string")
		}
	}
	return nil
}

// validatePin checks one pin_dialin entry. [inferred] Pin entries get neither
// hmac nor sip_uri: they have no webhook.
func (e *Emulator) validatePin(entry map[string]any) error {
	if _, ok := entry["phone_number"]; !ok {
		return errors.New("phone_number is required")
	}
	if err := e.checkNumber(entry["phone_number"]); err != nil {
		return err
	}
	if err := optionalString(entry, "name_prefix"); err != nil {
		return err
	}
	return optionalMessage(entry, "ivr_greeting")
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)

func (e *Emulator) checkNumber(v any) error {
	s, ok := v.(string)
	if !ok || !e164.MatchString(s) {
		return errors.New("phone_number must be an E.164 number")
	}
	if e.purchasedIndex(s) < 0 {
		return fmt.Errorf("%s is not associated with domain %s", s, e.opts.DomainName)
	}
	return nil
}

func checkURL(field string, v any) error {
	s, _ := v.(string)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s must be an http(s) URL", field)
	}
	return nil
}

func optionalString(entry map[string]any, field string) error {
	if v, ok := entry[field]; ok {
		if _, isString := v.(string); !isString {
			return fmt.Errorf("%s must be a string", field)
		}
	}
	return nil
}

// optionalMessage checks an object of the form {"message": string}.
func optionalMessage(entry map[string]any, field string) error {
	v, ok := entry[field]
	if !ok {
		return nil
	}
	m, isObject := v.(map[string]any)
	if !isObject {
		return fmt.Errorf("%s must be an object", field)
	}
	if err := optionalString(m, "message"); err != nil {
		return fmt.Errorf("%s.%v", field, err)
	}
	return nil
}

// dailybots is the room_creation_api of routes made by Daily Bots.
const dailybots = "dailybots"

// checkUnique enforces that a number routes through one entry across both
// arrays [doc]; the refusal's text is [inferred], and the provider's walk
// test matches it. SIP-only entries may share a name_prefix, or have none:
// real accounts hold such entries, so Daily accepts them [inferred].
func checkUnique(pinless, pin []map[string]any) *apiError {
	seen := map[string]bool{}
	for _, entry := range slices.Concat(pinless, pin) {
		n, ok := entry["phone_number"].(string)
		if !ok {
			continue
		}
		if seen[n] {
			return invalid("%s is used by more than one dial-in entry", n)
		}
		seen[n] = true
	}
	return nil
}

// entryKey identifies an entry: its phone_number, or "sip:"+name_prefix for
// SIP-only entries; "" when it has neither.
func entryKey(entry map[string]any) string {
	if n, ok := entry["phone_number"].(string); ok {
		return n
	}
	if p, ok := entry["name_prefix"].(string); ok {
		return "sip:" + p
	}
	return ""
}

// sipMint is the sip_uri minted for an entry identity, with the content it
// was minted for (used by SipURIOnChange).
type sipMint struct{ uri, content string }

// sipURI returns the sip_uri of the pinless route identified by identity
// (see sipIdentity) with these fields, as a write of the route leaves it
// (caller holds the lock). It is minted on the route's first appearance;
// then it stays (SipURIStable), or is minted anew whenever the route's other
// fields change (SipURIOnChange) or on every write (SipURIEveryWrite): which
// one Daily does is unknown [inferred].
func (e *Emulator) sipURI(identity string, fields map[string]any) string {
	content := ""
	if e.opts.SipURI == SipURIOnChange {
		rest := maps.Clone(fields)
		delete(rest, "sip_uri")
		content = string(jsonResp(http.StatusOK, rest).body)
	}
	if m, ok := e.sipURIs[identity]; ok && m.content == content && e.opts.SipURI != SipURIEveryWrite {
		return m.uri
	}
	uri := e.mintSipURI()
	e.sipURIs[identity] = sipMint{uri, content}
	return uri
}

// mintSipURI makes a sip_uri of the form Daily's examples show,
// <hex>--<ms>@daily-<hex>-pinless-sip.dapp.signalwire.com, without a "sip:"
// scheme (the To of a webhook call adds it) [seen]. The hex identifies the
// domain (here: from its id) and <ms> is the minting time in milliseconds,
// made unique within the domain [inferred].
func (e *Emulator) mintSipURI() string {
	ms := max(e.now().UnixMilli(), e.lastSipMS+1)
	e.lastSipMS = ms
	hex := e.sipDomainHex()
	return fmt.Sprintf("%s--%d@daily-%s-pinless-sip.dapp.signalwire.com", hex, ms, hex)
}

// sipDomainHex is the 16 hex digits that stand for the domain in its sip_uris.
func (e *Emulator) sipDomainHex() string {
	return strings.ReplaceAll(e.domainID, "-", "")[:16]
}

// mintHMAC makes a secret: 32 random bytes in standard base64, the length
// of Daily's examples [doc]; their make-up is [inferred].
func mintHMAC() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.StdEncoding.EncodeToString(b)
}

// sendTestRequests posts Daily's test body to each webhook of a newly set
// pinless array; answers and errors are ignored [doc, daily-code].
func (e *Emulator) sendTestRequests(entries []map[string]any) {
	if !e.opts.SendTestRequests {
		return
	}
	for _, entry := range entries {
		target, _ := entry["room_creation_api"].(string)
		e.goBackground(func() {
			req, err := http.NewRequestWithContext(e.bgCtx, http.MethodPost, target, strings.NewReader(`{"Test":"test"}`))
			if err != nil {
				return
			}
			req.Header.Set("Content-Type", "application/json")
			if resp, err := e.client.Do(req); err == nil {
				_ = resp.Body.Close()
			}
		})
	}
}

// DialinArray returns the entries of PinlessDialin or PinDialin exactly as GET / would.
func (e *Emulator) DialinArray(array string) []json.RawMessage {
	e.mu.Lock()
	defer e.mu.Unlock()
	slot := e.array(array)
	if slot == nil {
		return nil
	}
	out := make([]json.RawMessage, len(*slot))
	for i, d := range *slot {
		out[i] = jsonResp(http.StatusOK, d.fields).body
	}
	return out
}

// SetDialinArray replaces a dial-in array under the same rules as POST /
// (validation, hmac minting, sip_uri), as another writer would.
func (e *Emulator) SetDialinArray(array string, entries []json.RawMessage) error {
	if e.array(array) == nil {
		return fmt.Errorf("emulator: unknown dial-in array %q", array)
	}
	list := make([]any, len(entries))
	for i, raw := range entries {
		if err := decodeJSON(raw, &list[i]); err != nil {
			return jsonParsingError(err)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.applyProperties(map[string]any{array: list}); err != nil {
		return err
	}
	return nil
}

// MutateDialinEntry edits one stored entry in place to simulate drift, without
// validation or hmac minting. key is the phone_number, or "sip:"+name_prefix for
// entries without one. fn runs under the emulator's lock and must not call it.
// The edited entry is what Daily holds: sent back unchanged, it keeps its
// sip_uri under every reading but SipURIEveryWrite.
func (e *Emulator) MutateDialinEntry(array, key string, fn func(entry map[string]any)) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	slot := e.array(array)
	if slot == nil {
		return false
	}
	for _, d := range *slot {
		if entryKey(d.fields) == key {
			fn(d.fields)
			e.keepSipURI(e.arrayIdentity(d), d.fields)
			return true
		}
	}
	return false
}
