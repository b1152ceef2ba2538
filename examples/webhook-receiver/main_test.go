package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

const secret = "c2VjcmV0LWtleS1mb3ItdGVzdHM=" // base64("secret-key-for-tests")

func sign(t *testing.T, key, ts string, body []byte) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(key)
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, raw)
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func TestVerify(t *testing.T) {
	t.Parallel()
	now := time.UnixMilli(1_760_000_000_000)
	body := []byte(`{"To":"+14155550100","From":"+12125550100","callId":"c1","callDomain":"d1"}`)
	ms := strconv.FormatInt(now.UnixMilli(), 10)
	stale := strconv.FormatInt(now.Add(-10*time.Minute).UnixMilli(), 10)
	secs := strconv.FormatInt(now.Unix(), 10)

	cases := []struct {
		name, ts, sig string
		body          []byte
		ok            bool
	}{
		{"milliseconds", ms, sign(t, secret, ms, body), body, true},
		{"seconds", secs, sign(t, secret, secs, body), body, true},
		{"tampered body", ms, sign(t, secret, ms, body), append([]byte(" "), body...), false},
		{"other secret", ms, sign(t, "b3RoZXI=", ms, body), body, false},
		{"stale", stale, sign(t, secret, stale, body), body, false},
		{"unsigned", "", "", body, false},
		{"signature not base64", ms, "%%%", body, false},
	}
	for _, c := range cases {
		err := verify(secret, c.ts, c.sig, c.body, now)
		if (err == nil) != c.ok {
			t.Errorf("%s: verify = %v, want ok=%v", c.name, err, c.ok)
		}
	}
}

// TestEmulatorCall checks the receiver against the emulator's signed webhook,
// which is what make demo relies on.
func TestEmulatorCall(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, receiverSecret string
		want                 int
	}{
		{"right secret", secret, http.StatusOK},
		{"wrong secret", "b3RoZXI=", http.StatusUnauthorized},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			receiver := httptest.NewServer(handler(func() (string, error) { return c.receiverSecret, nil }, time.Now))
			t.Cleanup(receiver.Close)

			emu := emulator.New(emulator.Options{})
			t.Cleanup(emu.Close)
			number := emu.Available()[0].Number
			emu.SeedPurchased(number, emu.Now())
			entry, err := json.Marshal(map[string]string{"phone_number": number, "room_creation_api": receiver.URL, "hmac": secret})
			if err != nil {
				t.Fatal(err)
			}
			if err := emu.SetDialinArray(emulator.PinlessDialin, []json.RawMessage{entry}); err != nil {
				t.Fatal(err)
			}
			status, err := emu.SimulateCall(t.Context(), number, "+12125550100")
			if err != nil || status != c.want {
				t.Fatalf("SimulateCall = %d, %v; want %d", status, err, c.want)
			}
		})
	}
}
