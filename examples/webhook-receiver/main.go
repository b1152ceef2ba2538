// Command webhook-receiver is a minimal room_creation_api endpoint for a
// daily_pinless_dialin_route: it checks that each incoming-call request was
// signed by Daily with the route's hmac, then logs the call.
//
// Daily signs a request with two headers:
//
//	X-Pinless-Timestamp: <unix time, milliseconds>
//	X-Pinless-Signature: base64(HMAC-SHA256(key = base64-decode(hmac), message = timestamp + "." + raw body))
//
// The secret is the route's hmac (terraform output -raw hmac). Give it in
// DAILY_WEBHOOK_HMAC, or give a file that holds it with -hmac-file; the file is
// read again on every request, so a secret written after start-up, or rotated,
// is picked up without a restart.
//
// A real receiver would now create a room and a bot for the call, and answer
// Daily with POST /v1/dialin/pinlessCallUpdate; this one only logs it.
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// maxSkew is how far the signed timestamp may be from this machine's clock;
// it bounds how long a captured request can be replayed.
const maxSkew = 5 * time.Minute

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	hmacFile := flag.String("hmac-file", "", "file holding the route's hmac (instead of DAILY_WEBHOOK_HMAC)")
	flag.Parse()

	secret := func() (string, error) {
		if *hmacFile == "" {
			if s := os.Getenv("DAILY_WEBHOOK_HMAC"); s != "" {
				return s, nil
			}
			return "", errors.New("set DAILY_WEBHOOK_HMAC or -hmac-file")
		}
		b, err := os.ReadFile(*hmacFile)
		return strings.TrimSpace(string(b)), err
	}
	if _, err := secret(); err != nil && *hmacFile == "" {
		log.Fatal(err)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	// Scripts read this line to learn the port when -addr ends in ":0".
	fmt.Printf("listening on http://%s/\n", ln.Addr())

	srv := &http.Server{Handler: handler(secret, time.Now), ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}

// incomingCall is the body Daily POSTs when a call arrives.
type incomingCall struct {
	To         string `json:"To"`
	From       string `json:"From"`
	CallID     string `json:"callId"`
	CallDomain string `json:"callDomain"`
}

func handler(secret func() (string, error), now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
		if err != nil {
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		key, err := secret()
		if err != nil {
			log.Printf("rejected: no secret: %v", err)
			http.Error(w, "receiver has no secret", http.StatusServiceUnavailable)
			return
		}
		// Unsigned requests are refused too, including the test request Daily may
		// send when routes are saved: Daily keeps the routes whatever the answer.
		ts, sig := r.Header.Get("X-Pinless-Timestamp"), r.Header.Get("X-Pinless-Signature")
		if err := verify(key, ts, sig, body, now()); err != nil {
			log.Printf("rejected: %v", err)
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		var call incomingCall
		if err := json.Unmarshal(body, &call); err != nil {
			http.Error(w, "body is not JSON", http.StatusBadRequest)
			return
		}
		log.Printf("signature OK: call %s from %s to %s (domain %s)", call.CallID, call.From, call.To, call.CallDomain)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"accepted"}`))
	})
}

// verify checks a request's signature and that its timestamp is fresh.
func verify(secret, timestamp, signature string, body []byte, now time.Time) error {
	if timestamp == "" || signature == "" {
		return errors.New("missing X-Pinless-Timestamp or X-Pinless-Signature")
	}
	n, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp %q is not an integer", timestamp)
	}
	// Milliseconds have been seen; accept seconds too.
	signedAt := time.UnixMilli(n)
	if n < 1e12 {
		signedAt = time.Unix(n, 0)
	}
	if d := now.Sub(signedAt); d > maxSkew || d < -maxSkew {
		return fmt.Errorf("timestamp is %s away from now", d.Round(time.Second))
	}
	key, err := base64.StdEncoding.DecodeString(secret)
	if err != nil {
		return errors.New("the configured secret is not base64")
	}
	got, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return errors.New("signature is not base64")
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(timestamp + "."))
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return errors.New("signature does not match")
	}
	return nil
}
