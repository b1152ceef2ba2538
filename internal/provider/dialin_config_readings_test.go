package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// The questions that Daily's documentation leaves open about its config
// objects (daily-api.md section 3), asked through the API alone: how the
// objects relate to the arrays (one store or two) and what a PUT without
// hmac does to the secret. Each answer is logged beside what each reading
// predicts (predict), so that a maintainer's first live run settles them;
// on the emulator the answers must be its reading's, which tests the
// questions themselves.
func TestAccDialinConfig_readings(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("an acceptance test: set TF_ACC=1")
	}
	t.Parallel()
	if liveMode() {
		forEachStoreReading(t, askReadings)
		return
	}
	for _, secret := range emulator.AllPutOmittedHMACs {
		t.Run(string(secret), func(t *testing.T) {
			t.Parallel()
			forEachStoreReading(t, askReadings, emulator.Options{PutOmittedHMAC: secret})
		})
	}
}

// askReadings asks the questions of TestAccDialinConfig_readings of env.
func askReadings(t *testing.T, env *accEnv) {
	arrays, store := env.Dialin(t), env.Objects(t)
	numbers := env.Numbers(t, 2)
	const secret = "cmVhZGluZ3Mtc2VjcmV0"
	object := seedObject(t, store, client.PinlessDialin, fmt.Sprintf(
		`{"phone_number":%q,"room_creation_api":"https://readings.example/object","hmac":%q}`, numbers[0], secret))

	predict(t, env, "a config object created", "the pinless_dialin array (GET /) shows its entry", "it does not",
		inArray(arrays, client.PinlessDialin, numbers[0]))

	route := json.RawMessage(fmt.Sprintf(`{"phone_number":%q,"room_creation_api":"https://readings.example/route","hmac":%q}`, numbers[1], secret))
	if err := setArray(arrays, client.PinlessDialin, append(arrays.DialinArray(client.PinlessDialin), route)); err != nil {
		t.Fatalf("adding an array route: %v", err)
	}
	_, listed := objectByKey(t, store, client.PinlessDialin, numbers[1])
	predict(t, env, "an array route added", "GET /domain-dialin-config lists it as an object", "it does not", listed)

	// A PUT that leaves out hmac, as a script that does not know it would send.
	body, _ := json.Marshal(map[string]any{"phone_number": numbers[0], "room_creation_api": "https://readings.example/object/v2"})
	if err := store.UpdateDialinConfig(object.ID, body); err != nil {
		t.Fatalf("a PUT without hmac: %v", err)
	}
	updated, _ := objectByKey(t, store, client.PinlessDialin, numbers[0])
	predictSecret(t, env, "a PUT without hmac", updated.text("hmac") != secret)
	t.Logf("READING sip_uri across that PUT: Daily %s it (%q -> %q).",
		map[bool]string{true: "kept", false: "minted a new one for"}[updated.text("sip_uri") == object.text("sip_uri")],
		object.text("sip_uri"), updated.text("sip_uri"))

	// A whole-array POST that leaves the object's number out.
	others := slices.DeleteFunc(arrays.DialinArray(client.PinlessDialin), func(raw json.RawMessage) bool { return keyOf(raw) == numbers[0] })
	if err := setArray(arrays, client.PinlessDialin, others); err != nil {
		t.Fatalf("a whole-array POST without the object: %v", err)
	}
	_, kept := objectByKey(t, store, client.PinlessDialin, numbers[0])
	predict(t, env, "a whole-array POST that leaves an object's number out", "deletes the object", "leaves it alone", !kept)

	// An array entry on a number an object holds.
	if !kept {
		seedObject(t, store, client.PinlessDialin, fmt.Sprintf(`{"phone_number":%q,"room_creation_api":"https://readings.example/object","hmac":%q}`, numbers[0], secret))
	}
	entries := slices.DeleteFunc(arrays.DialinArray(client.PinlessDialin), func(raw json.RawMessage) bool { return keyOf(raw) == numbers[0] })
	entry := json.RawMessage(fmt.Sprintf(`{"phone_number":%q,"room_creation_api":"https://readings.example/entry","hmac":%q}`, numbers[0], secret))
	err := setArray(arrays, client.PinlessDialin, append(entries, entry))
	t.Logf("an array entry on a number an object holds: Daily answered %v", err)
	predict(t, env, "a whole-array POST with an entry on a number an object holds",
		"is accepted: it rewrites the object", "is refused: one dial-in config per number", err == nil)
}
