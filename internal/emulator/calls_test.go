package emulator

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// webhook verifies Daily's signature with the documented formula and, when
// valid, reports the room back through pinlessCallUpdate.
func webhook(e *Emulator, base string, secret *string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts := r.Header.Get("X-Pinless-Timestamp")
		key, _ := base64.StdEncoding.DecodeString(*secret)
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(ts + "." + string(body)))
		if !hmac.Equal([]byte(base64.StdEncoding.EncodeToString(mac.Sum(nil))), []byte(r.Header.Get("X-Pinless-Signature"))) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		ms, err := strconv.ParseInt(ts, 10, 64)
		if err != nil || time.Since(time.UnixMilli(ms)).Abs() > time.Minute {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		var in struct{ To, From, CallID, CallDomain string }
		if err := json.Unmarshal(body, &in); err != nil || in.To == "" || in.From == "" || in.CallID == "" || in.CallDomain != e.DomainID() {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		upd, _ := json.Marshal(map[string]string{"callId": in.CallID, "callDomain": in.CallDomain, "sipUri": "sip:room@example"})
		req, _ := http.NewRequest("POST", base+"/dialin/pinlessCallUpdate", bytes.NewReader(upd))
		req.Header.Set("Authorization", "Bearer "+e.APIKey())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
	}))
}

func TestSimulateCall(t *testing.T) {
	e := New(Options{})
	base := e.StartServer()
	defer e.Close()
	secret := "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ="
	hook := webhook(e, base, &secret)
	defer hook.Close()
	n := buy(t, e, 1)
	post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[0], hook.URL, `,"hmac":"`+secret+`"`)+`]}`)

	status, err := e.SimulateCall(context.Background(), n[0], "+15555550100")
	if err != nil || status != 200 {
		t.Fatalf("call: %d %v", status, err)
	}
	calls := e.Calls()
	if len(calls) != 1 || calls[0].To != n[0] || calls[0].From != "+15555550100" || calls[0].SipURI != "sip:room@example" {
		t.Fatalf("calls %+v", calls)
	}

	// A rotated secret breaks verification: the webhook's answer is passed through.
	post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[0], hook.URL, "")+`]}`)
	if status, err := e.SimulateCall(context.Background(), n[0], "+15555550100"); err != nil || status != 401 {
		t.Fatalf("rotated: %d %v", status, err)
	}
	if _, err := e.SimulateCall(context.Background(), "+12125550123", "+15555550100"); !errors.Is(err, ErrNoRoute) {
		t.Fatalf("unrouted number: %v", err)
	}
}

func TestSimulateSIPCall(t *testing.T) {
	e := New(Options{})
	base := e.StartServer()
	defer e.Close()
	secret := "c2VjcmV0"
	hook := webhook(e, base, &secret)
	defer hook.Close()
	post(t, e, `{"pinless_dialin":[{"name_prefix":"trunk","room_creation_api":"`+hook.URL+`","hmac":"`+secret+`"}]}`)
	uri := array(t, e, PinlessDialin)[0]["sip_uri"].(string)
	// Reached by the sip_uri as configs show it, and as the To of a call shows it.
	for _, to := range []string{uri, "sip:" + uri} {
		if status, err := e.SimulateCall(context.Background(), to, "sip:caller@example"); err != nil || status != 200 {
			t.Fatalf("SIP call to %s: %d %v", to, status, err)
		}
	}
}

func TestCallEndpoints(t *testing.T) {
	e := New(Options{})
	base := e.StartServer()
	defer e.Close()
	secret := "c2VjcmV0"
	hook := webhook(e, base, &secret)
	defer hook.Close()
	n := buy(t, e, 1)
	post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[0], hook.URL, `,"hmac":"`+secret+`"`)+`]}`)

	status, body := call(t, e, "POST", "/v1/_emulator/call", `{"to":"`+n[0]+`","from":"+15555550100"}`)
	if status != 200 || string(body) != `{"status":200}` {
		t.Fatalf("%d %s", status, body)
	}
	status, body = call(t, e, "POST", "/v1/_emulator/call", `{"to":"+12125550123","from":"+15555550100"}`)
	wantError(t, status, body, 404, "not-found")
	status, body = call(t, e, "POST", "/v1/_emulator/call", `{"to":"`+n[0]+`"}`)
	wantError(t, status, body, 400, "invalid-request-error")
	status, body = callAuth(t, e, "POST", "/v1/_emulator/call", `{"to":"`+n[0]+`","from":"+1"}`, "")
	wantError(t, status, body, 400, "authorization-header-error")

	callID := e.Calls()[0].ID
	for _, bad := range []string{`{"callId":"` + callID + `","callDomain":"` + e.DomainID() + `"}`, `{}`} {
		status, body = call(t, e, "POST", "/v1/dialin/pinlessCallUpdate", bad)
		wantError(t, status, body, 400, "invalid-request-error")
	}
	for _, unknown := range []string{`{"callId":"nope","callDomain":"` + e.DomainID() + `","sipUri":"sip:x"}`, `{"callId":"` + callID + `","callDomain":"other","sipUri":"sip:x"}`} {
		status, body = call(t, e, "POST", "/v1/dialin/pinlessCallUpdate", unknown)
		wantError(t, status, body, 404, "not-found")
	}
	status, body = call(t, e, "POST", "/v1/dialin/pinlessCallUpdate", `{"callId":"`+callID+`","callDomain":"`+e.DomainID()+`","sipUri":"sip:y"}`)
	if status != 200 || string(body) != `{"ok":"true"}` || e.Calls()[0].SipURI != "sip:y" {
		t.Fatalf("%d %s", status, body)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/v1") {
		t.Fatalf("base URL %s", base)
	}
}
