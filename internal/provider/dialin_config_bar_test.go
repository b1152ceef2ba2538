package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// The bar of issue 18, against the emulator under each store reading, with
// PUTs that mint a new secret when they leave it out: 3 pinless configs (one
// SIP-only) and 1 PIN config beside unmanaged array routes and an unmanaged
// object, through creation, a no-op, changes, drift, imports, a refused
// number, faults and destroy. Each step is one terraform command (the CLI
// harness), so the emulator's request counts are exact, and the unmanaged
// routes are checked byte for byte after each.
func TestAccDialinConfig_bar(t *testing.T) {
	t.Parallel()
	forEachStoreReading(t, func(t *testing.T, env *accEnv) {
		env.RequireEmulator(t)
		(&barRun{t: t, env: env, wd: newCLIWorkdir(t)}).run()
	})
}

// barRun is one run of the bar: its environment and what it keeps between steps.
type barRun struct {
	t       *testing.T
	env     *accEnv
	wd      *cliWorkdir
	numbers []string
	// The unmanaged routes as Daily held them before the first apply.
	entries map[string][]json.RawMessage
	objects []json.RawMessage
}

// barConfig is the configuration of one step.
type barConfig struct {
	webhookA    string
	timeoutA    bool   // a has a timeout_config
	hmacB       string // b's explicit secret, "" for none
	importD     bool   // an import block adopts d by its number
	conflicting bool   // e, on a number an unmanaged route holds
	faulted     bool   // f0..f4
}

func (r *barRun) hcl(c barConfig) string {
	var b strings.Builder
	b.WriteString(r.env.ProviderConfig())
	a := fmt.Sprintf("  phone_number = %q\n  room_creation_api = %q", r.numbers[0], c.webhookA)
	if c.timeoutA {
		a += "\n  timeout_config = { message = \"Please call back later.\" }"
	}
	b.WriteString(configHCL("pinless_dialin", "a", a))
	bBody := fmt.Sprintf("  phone_number = %q\n  room_creation_api = \"https://hooks.example/b\"", r.numbers[1])
	if c.hmacB != "" {
		bBody += fmt.Sprintf("\n  hmac = %q", c.hmacB)
	}
	b.WriteString(configHCL("pinless_dialin", "b", bBody))
	b.WriteString(configHCL("pinless_dialin", "c", "  name_prefix = \"office-pbx\"\n  room_creation_api = \"https://hooks.example/sip\""))
	b.WriteString(configHCL("pin_dialin", "d", fmt.Sprintf("  phone_number = %q\n  name_prefix = \"meetings\"", r.numbers[2])))
	if c.importD {
		fmt.Fprintf(&b, "\nimport {\n  to = daily_pin_dialin_config.d\n  id = %q\n}\n", r.numbers[2])
	}
	if c.conflicting {
		b.WriteString(configHCL("pinless_dialin", "e", fmt.Sprintf("  phone_number = %q\n  room_creation_api = \"https://hooks.example/e\"", r.numbers[3])))
	}
	if c.faulted {
		for i, n := range r.numbers[7:12] {
			b.WriteString(configHCL("pinless_dialin", fmt.Sprintf("f%d", i), fmt.Sprintf("  phone_number = %q\n  room_creation_api = \"https://hooks.example/f\"", n)))
		}
	}
	return b.String()
}

func (r *barRun) run() {
	t, emu, store := r.t, r.env.Emu, r.env.Objects(r.t)
	r.seed()
	const v1, v2, explicit = "https://hooks.example/a/v1", "https://hooks.example/a/v2", "ZXhwbGljaXQtc2VjcmV0LWZvci1i"
	config := barConfig{webhookA: v1, timeoutA: true}

	// 4 configs: exactly 4 POSTs, no other write.
	r.wd.write(r.hcl(config))
	r.apply("creating 4 configs", map[string]int{"POST /domain-dialin-config": 4})
	r.checkObject(client.PinlessDialin, r.numbers[0], map[string]any{"room_creation_api": v1, "timeout_config": map[string]any{"message": "Please call back later."}})
	r.checkObject(client.PinlessDialin, "sip:office-pbx", map[string]any{"room_creation_api": "https://hooks.example/sip", "phone_number": nil})
	r.checkObject(client.PinDialin, r.numbers[2], map[string]any{"name_prefix": "meetings"})

	// A no-op apply writes nothing.
	if r.wd.planHasChanges() {
		t.Error("the plan after creating the configs is not empty")
	}
	r.apply("a no-op apply", nil)

	// A webhook change is one PUT, which keeps the id and the secret, and
	// the SIP URI under the readings that keep it; the state has Daily's.
	before := r.object(client.PinlessDialin, r.numbers[0])
	stateBefore := r.stateValues("daily_pinless_dialin_config.a")
	config.webhookA = v2
	r.wd.write(r.hcl(config))
	r.apply("changing a webhook", map[string]int{"PUT /domain-dialin-config": 1})
	after := r.object(client.PinlessDialin, r.numbers[0])
	stateAfter := r.stateValues("daily_pinless_dialin_config.a")
	for _, f := range []string{"hmac", "sip_uri"} {
		kept := f == "hmac" || sipURIKept(r.env)
		if stateAfter[f] != after.text(f) || kept && (before.text(f) != after.text(f) || stateBefore[f] != stateAfter[f]) {
			t.Errorf("changing the webhook changed %s: Daily %q -> %q, state %v -> %v", f, before.text(f), after.text(f), stateBefore[f], stateAfter[f])
		}
	}
	if before.ID != after.ID || stateAfter["id"] != before.ID {
		t.Errorf("changing the webhook changed the id: %s -> %s (state %v)", before.ID, after.ID, stateAfter["id"])
	}
	r.checkObject(client.PinlessDialin, r.numbers[0], map[string]any{"room_creation_api": v2})

	// Clearing timeout_config clears it at Daily.
	config.timeoutA = false
	r.wd.write(r.hcl(config))
	r.apply("clearing timeout_config", map[string]int{"PUT /domain-dialin-config": 1})
	r.checkObject(client.PinlessDialin, r.numbers[0], map[string]any{"timeout_config": nil, "hmac": before.text("hmac")})

	// An explicit secret reaches Daily.
	config.hmacB = explicit
	r.wd.write(r.hcl(config))
	r.apply("setting b's secret", map[string]int{"PUT /domain-dialin-config": 1})
	r.checkObject(client.PinlessDialin, r.numbers[1], map[string]any{"hmac": explicit})

	// Out of band, b is deleted and a's webhook changed (its secret kept):
	// both are planned and repaired, and the secrets stay.
	deleteObject(t, store, client.PinlessDialin, r.numbers[1])
	editObject(t, store, client.PinlessDialin, r.numbers[0], map[string]any{"room_creation_api": "https://attacker.example/hook"})
	if !r.wd.planHasChanges() {
		t.Error("the plan after an out-of-band delete and change is empty")
	}
	r.apply("repairing drift", map[string]int{"POST /domain-dialin-config": 1, "PUT /domain-dialin-config": 1})
	r.checkObject(client.PinlessDialin, r.numbers[0], map[string]any{"room_creation_api": v2, "hmac": before.text("hmac")})
	r.checkObject(client.PinlessDialin, r.numbers[1], map[string]any{"room_creation_api": "https://hooks.example/b", "hmac": explicit})
	if r.wd.planHasChanges() {
		t.Error("the plan after repairing drift is not empty")
	}

	// terraform import by id, and an import block by phone number, adopt with 0 writes.
	for _, address := range []string{"daily_pinless_dialin_config.a", "daily_pin_dialin_config.d"} {
		if err := r.wd.tf.StateRm(context.Background(), address); err != nil {
			t.Fatalf("terraform state rm %s: %v", address, err)
		}
	}
	emu.ResetCounts()
	if err := r.wd.importInstance("daily_pinless_dialin_config.a", after.ID); err != nil {
		t.Fatalf("terraform import by id: %v", err)
	}
	r.checkWrites("terraform import by id", nil)
	r.checkNoDomainRead("terraform import by id")
	config.importD = true
	r.wd.write(r.hcl(config))
	r.apply("an import block by phone number", nil)
	if got := r.stateValues("daily_pin_dialin_config.d")["id"]; got != r.object(client.PinDialin, r.numbers[2]).ID {
		t.Errorf("the import block by phone number adopted %v", got)
	}
	if r.wd.planHasChanges() {
		t.Error("the plan after the imports is not empty")
	}
	config.importD = false

	// A config on a number an unmanaged route holds fails naming the number and changes nothing.
	objectsBefore := store.DialinConfigs()
	config.conflicting = true
	r.wd.write(r.hcl(config))
	emu.ResetCounts()
	err := r.wd.tryApply()
	if err == nil || !strings.Contains(err.Error(), r.numbers[3]+" is already held") {
		t.Errorf("a config on %s, which an unmanaged route holds, gave %v", r.numbers[3], err)
	}
	r.checkWrites("a refused config", map[string]int{"POST /domain-dialin-config": 1}) // refused by Daily
	if now := store.DialinConfigs(); len(now) != len(objectsBefore) {
		t.Errorf("Daily holds %d objects after the refused config, want %d", len(now), len(objectsBefore))
	}
	if err := checkObjectsUntouched(store, objectsBefore)(); err != nil {
		t.Error(err)
	}
	r.checkUnmanaged("a refused config")
	config.conflicting = false

	// 5 more configs under 25% 429/5xx and 15% lost answers: exactly one object each.
	config.faulted = true
	r.wd.write(r.hcl(config))
	emu.ResetCounts()
	emu.SetFaults(emulator.Faults{FailRate: 0.25, DropRate: 0.15})
	r.wd.apply()
	stats := emu.FaultStats()
	emu.SetFaults(emulator.Faults{})
	r.checkNoDomainRead("the faulted apply")
	requests := 0
	for _, n := range emu.Counts() {
		requests += n
	}
	t.Logf("faults during the apply: of %d requests (%d POSTs), %d refused, %d answers lost",
		requests, emu.Count("POST /domain-dialin-config"), stats.Failed, stats.Dropped)
	if stats.Failed+stats.Dropped == 0 {
		t.Errorf("the faulted apply met no fault in %d requests: this step proved nothing", requests)
	}
	for _, n := range r.numbers[7:12] {
		r.checkObject(client.PinlessDialin, n, map[string]any{"room_creation_api": "https://hooks.example/f"})
	}
	if r.wd.planHasChanges() {
		t.Error("the plan after the faulted apply is not empty")
	}
	r.checkUnmanaged("the faulted apply")

	// Destroy removes only the managed objects.
	emu.ResetCounts()
	r.wd.destroy()
	r.checkNoDomainRead("destroy")
	var left []string
	for _, o := range objectsIn(t, store, "") {
		left = append(left, string(o.raw))
	}
	var unmanaged []string
	for _, raw := range r.objects {
		unmanaged = append(unmanaged, string(raw))
	}
	slices.Sort(left)
	slices.Sort(unmanaged)
	if !slices.Equal(left, unmanaged) {
		t.Errorf("after destroy Daily holds the objects\n%s\nwant only the unmanaged ones\n%s", strings.Join(left, "\n"), strings.Join(unmanaged, "\n"))
	}
	r.checkUnmanaged("destroy")
}

// seed gives the domain numbers, unmanaged array routes (two pinless, one
// PIN) and an unmanaged pinless object.
func (r *barRun) seed() {
	t, arrays, store := r.t, r.env.Dialin(r.t), r.env.Objects(r.t)
	r.numbers = r.env.Numbers(t, 12)
	seedUnmanagedRoutes(t, arrays, r.numbers[3], r.numbers[4])
	if err := setArray(arrays, client.PinDialin, []json.RawMessage{
		json.RawMessage(fmt.Sprintf(`{"phone_number":%q,"name_prefix":"unmanaged-pin"}`, r.numbers[5])),
	}); err != nil {
		t.Fatal(err)
	}
	seedObject(t, store, client.PinlessDialin, fmt.Sprintf(
		`{"phone_number":%q,"room_creation_api":"https://unmanaged.example/object","hmac":"b2JqZWN0LXNlY3JldA=="}`, r.numbers[6]))
	r.entries = map[string][]json.RawMessage{}
	for _, array := range []string{client.PinlessDialin, client.PinDialin} {
		r.entries[array] = arrays.DialinArray(array)
	}
	r.objects = store.DialinConfigs()
}

// apply runs terraform apply and checks that it sent exactly the writes
// named (none when nil), and that the unmanaged routes are untouched.
func (r *barRun) apply(what string, writes map[string]int) {
	r.t.Helper()
	r.env.Emu.ResetCounts()
	r.wd.apply()
	r.checkWrites(what, writes)
	r.checkNoDomainRead(what)
	r.checkUnmanaged(what)
}

// checkNoDomainRead fails the test if the domain (GET /, the arrays) was
// read: config objects are read and written by themselves.
func (r *barRun) checkNoDomainRead(what string) {
	r.t.Helper()
	if n := r.env.Emu.Count("GET /"); n != 0 {
		r.t.Errorf("%s read the domain %d times, want none", what, n)
	}
}

// barWrites are the requests that change Daily's dial-in config.
var barWrites = []string{"POST /", "POST /domain-dialin-config", "PUT /domain-dialin-config", "DELETE /domain-dialin-config"}

func (r *barRun) checkWrites(what string, want map[string]int) {
	r.t.Helper()
	got := map[string]int{}
	for _, w := range barWrites {
		if n := r.env.Emu.Count(w); n != 0 {
			got[w] = n
		}
	}
	if want == nil {
		want = map[string]int{}
	}
	if !maps.Equal(got, want) {
		r.t.Errorf("%s sent the writes %v, want %v", what, got, want)
	}
}

// checkUnmanaged fails the test unless every unmanaged route is held byte for byte.
func (r *barRun) checkUnmanaged(what string) {
	r.t.Helper()
	arrays, store := r.env.Dialin(r.t), r.env.Objects(r.t)
	for array, entries := range r.entries {
		if err := checkUntouched(arrays, array, entries)(); err != nil {
			r.t.Errorf("after %s: %v", what, err)
		}
	}
	if err := checkObjectsUntouched(store, r.objects)(); err != nil {
		r.t.Errorf("after %s: %v", what, err)
	}
}

func (r *barRun) checkObject(typ, key string, fields map[string]any) {
	r.t.Helper()
	if err := checkObject(r.t, r.env.Objects(r.t), typ, key, fields)(); err != nil {
		r.t.Error(err)
	}
}

func (r *barRun) object(typ, key string) storedObject {
	r.t.Helper()
	o, ok := objectByKey(r.t, r.env.Objects(r.t), typ, key)
	if !ok {
		r.t.Fatalf("no %s object holds %s", typ, key)
	}
	return o
}

// stateValues are the attribute values of the resource at address in the state.
func (r *barRun) stateValues(address string) map[string]any {
	r.t.Helper()
	state, err := r.wd.tf.Show(context.Background(), r.wd.reattach)
	if err != nil {
		r.t.Fatal(err)
	}
	var found *tfjson.StateResource
	if state.Values != nil {
		for _, res := range state.Values.RootModule.Resources {
			if res.Address == address {
				found = res
			}
		}
	}
	if found == nil {
		r.t.Fatalf("%s is not in the state", address)
	}
	return found.AttributeValues
}
