package emulator

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// ErrNoRoute is returned by SimulateCall when no pinless_dialin entry routes the number.
var ErrNoRoute = errors.New("emulator: no pinless_dialin entry")

// Call is one simulated incoming call.
type Call struct {
	ID, To, From string
	SipURI       string // set when the webhook answers with POST /dialin/pinlessCallUpdate
}

// Calls returns the simulated calls, oldest first.
func (e *Emulator) Calls() []Call {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.calls)
}

// SimulateCall plays Daily's side of an incoming call (section 4 of the contract):
// it POSTs {"To","From","callId","callDomain"} to the room_creation_api of the
// pinless entry for to, signed with the entry's hmac, and returns the webhook's status.
func (e *Emulator) SimulateCall(ctx context.Context, to, from string) (int, error) {
	e.mu.Lock()
	routes := slices.DeleteFunc(slices.Concat(e.pinless, e.separate), func(d *dialinEntry) bool { return d.typ != PinlessDialin })
	i := slices.IndexFunc(routes, func(d *dialinEntry) bool {
		en := d.fields
		// [inferred] a SIP-only entry is reached through its sip_uri, with
		// or without the "sip:" the To of a webhook call carries.
		return en["phone_number"] == to || (en["phone_number"] == nil && (en["sip_uri"] == to || "sip:"+fmt.Sprint(en["sip_uri"]) == to))
	})
	if i < 0 {
		e.mu.Unlock()
		return 0, fmt.Errorf("%w for %s", ErrNoRoute, to)
	}
	entry := routes[i].fields
	target, _ := entry["room_creation_api"].(string)
	secret, _ := entry["hmac"].(string)
	call := Call{ID: e.uuid(), To: to, From: from}
	// Registered before the webhook runs, since it calls pinlessCallUpdate while handling.
	e.calls = append(e.calls, call)
	e.mu.Unlock()

	key, err := base64.StdEncoding.DecodeString(secret)
	if err != nil {
		return 0, fmt.Errorf("emulator: hmac of the entry for %s is not base64: %w", to, err)
	}
	body, err := json.Marshal(struct {
		To         string `json:"To"`
		From       string `json:"From"`
		CallID     string `json:"callId"`
		CallDomain string `json:"callDomain"`
	}{to, from, call.ID, e.domainID})
	if err != nil {
		return 0, err
	}
	// The timestamp is wall-clock milliseconds [seen], not the emulator clock:
	// webhooks compare it with their own time.
	ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(ts + "."))
	mac.Write(body)

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Pinless-Timestamp", ts)
	req.Header.Set("X-Pinless-Signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	resp, err := e.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// emulatorCall serves POST /v1/_emulator/call {"to","from"} → {"status": webhook status}.
func (e *Emulator) emulatorCall(q request) response {
	var in struct{ To, From string }
	if err := decodeJSON(q.body, &in); err != nil {
		return jsonParsingError(err).response()
	}
	if in.To == "" || in.From == "" {
		return invalid("to and from are required").response()
	}
	status, err := e.SimulateCall(q.Context(), in.To, in.From)
	if errors.Is(err, ErrNoRoute) {
		return errorf(http.StatusNotFound, "not-found", "%v", err).response()
	}
	if err != nil {
		return errorf(http.StatusBadGateway, "server-error", "webhook failed: %v", err).response()
	}
	return jsonResp(http.StatusOK, map[string]int{"status": status})
}

// pinlessCallUpdate serves POST /dialin/pinlessCallUpdate, which the webhook
// calls once the room for a call is ready.
func (e *Emulator) pinlessCallUpdate(q request) response {
	var in struct {
		CallID     string `json:"callId"`
		CallDomain string `json:"callDomain"`
		SipURI     string `json:"sipUri"`
	}
	if err := decodeJSON(q.body, &in); err != nil {
		return jsonParsingError(err).response()
	}
	if in.CallID == "" || in.CallDomain == "" || in.SipURI == "" {
		return invalid("callId, callDomain and sipUri are required").response()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	i := slices.IndexFunc(e.calls, func(c Call) bool { return c.ID == in.CallID })
	if i < 0 || in.CallDomain != e.domainID { // [inferred] a call of another domain is unknown here
		return errorf(http.StatusNotFound, "not-found", "call %s not found", in.CallID).response()
	}
	e.calls[i].SipURI = in.SipURI
	return jsonResp(http.StatusOK, map[string]string{"ok": "true"})
}
