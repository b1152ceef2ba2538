package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// dialinStore is the domain's dial-in config as a test reads and changes it
// out of band: the emulator, or the live API (see accEnv.Dialin).
type dialinStore interface {
	DialinArray(array string) []json.RawMessage
	SetDialinArray(array string, entries []json.RawMessage) error
	MutateDialinEntry(array, key string, fn func(entry map[string]any)) bool
}

// Dialin is the store behind this environment.
func (e *accEnv) Dialin(t *testing.T) dialinStore {
	if e.Emu != nil {
		return e.Emu
	}
	return liveDialin{t: t, c: e.Client(t)}
}

// Numbers returns n numbers the domain owns and tests may route: seeded in
// the test's own emulator, or on the live API the first n of
// DAILY_ACC_LIVE_NUMBERS (comma-separated E.164), which every live test
// shares (live tests run one at a time, each on cleared dial-in arrays).
func (e *accEnv) Numbers(t *testing.T, n int) []string {
	t.Helper()
	if e.Emu != nil {
		return seedNumbers(e.Emu, n)
	}
	live := strings.FieldsFunc(os.Getenv("DAILY_ACC_LIVE_NUMBERS"), func(r rune) bool { return r == ',' || r == ' ' })
	if len(live) < n {
		t.Skipf("needs %d owned numbers in DAILY_ACC_LIVE_NUMBERS, has %d", n, len(live))
	}
	return live[:n]
}

// liveDialin changes the live domain's dial-in config through the API, as
// another tool would. Live tests need a domain of their own for this reason.
type liveDialin struct {
	t *testing.T
	c *client.Client
}

func (l liveDialin) DialinArray(array string) []json.RawMessage {
	dom, err := l.c.GetDomain(context.Background())
	if err != nil {
		l.t.Fatalf("reading the live domain: %v", err)
	}
	entries, err := dom.DialinEntries(array)
	if err != nil {
		l.t.Fatal(err)
	}
	return entries
}

func (l liveDialin) SetDialinArray(array string, entries []json.RawMessage) error {
	_, err := l.c.SetDialinArrays(context.Background(), map[string][]json.RawMessage{array: entries})
	return err
}

func (l liveDialin) MutateDialinEntry(array, key string, fn func(entry map[string]any)) bool {
	entries := l.DialinArray(array)
	for i, raw := range entries {
		var m map[string]any
		if keyOf(raw) != key || json.Unmarshal(raw, &m) != nil {
			continue
		}
		fn(m)
		entries[i], _ = json.Marshal(m)
		if err := setArray(l, array, entries); err != nil {
			l.t.Fatal(err)
		}
		return true
	}
	return false
}

// setArray writes a dial-in array out of band as another writer of Daily
// could: entries read back from Daily go without their read-only fields,
// which Daily may refuse (emulator.SentSipURI) [inferred]. Every test's
// out-of-band array write goes through it.
func setArray(store dialinStore, array string, entries []json.RawMessage) error {
	sent := make([]json.RawMessage, len(entries))
	for i, raw := range entries {
		sent[i] = raw
		if entry, err := dialin.ParseEntry(raw); err == nil {
			sent[i] = entry.Sendable()
		}
	}
	return store.SetDialinArray(array, sent)
}

// seedNumbers makes the emulator's domain own n numbers, +14155550000 and
// up, bought long enough ago that they could be released.
func seedNumbers(emu *emulator.Emulator, n int) []string {
	numbers := make([]string, n)
	for i := range n {
		numbers[i] = fmt.Sprintf("+1415555%04d", i)
		emu.SeedPurchased(numbers[i], emu.Now().Add(-30*24*time.Hour))
	}
	return numbers
}

// seedUnmanagedRoutes gives each number a pinless route that no Terraform
// resource manages, and returns the entries as Daily then holds them. On the
// emulator each entry also carries a field the provider does not know,
// x_added_by_support, which must survive every write byte for byte. The live
// API is not sent it: Daily does not document accepting unknown entry fields.
func seedUnmanagedRoutes(t *testing.T, emu dialinStore, numbers ...string) []json.RawMessage {
	t.Helper()
	_, live := emu.(liveDialin)
	entries := make([]json.RawMessage, len(numbers))
	for i, n := range numbers {
		extra := fmt.Sprintf(`,"x_added_by_support":{"ticket":%d}`, i)
		if live {
			extra = ""
		}
		entries[i] = json.RawMessage(fmt.Sprintf(
			`{"phone_number":%q,"room_creation_api":"https://unmanaged.example/hook","hmac":"dW5tYW5hZ2VkLXNlY3JldA=="%s}`, n, extra))
	}
	if err := setArray(emu, client.PinlessDialin, entries); err != nil {
		t.Fatal(err)
	}
	return emu.DialinArray(client.PinlessDialin)
}

// keyOf is the route key of a raw entry (dialin.Entry.Key), or "" when the
// entry is not a JSON object.
func keyOf(raw json.RawMessage) string {
	entry, err := dialin.ParseEntry(raw)
	if err != nil {
		return ""
	}
	return entry.Key()
}

// keysOf lists the route keys of the array, in its order.
func keysOf(emu dialinStore, array string) []string {
	var keys []string
	for _, raw := range emu.DialinArray(array) {
		keys = append(keys, keyOf(raw))
	}
	return keys
}

// entryOf returns the store's entry for key, decoded.
func entryOf(emu dialinStore, array, key string) (map[string]any, bool) {
	for _, raw := range emu.DialinArray(array) {
		var m map[string]any
		if keyOf(raw) == key && json.Unmarshal(raw, &m) == nil {
			return m, true
		}
	}
	return nil, false
}

// hmacsOf maps the route key of each entry of the array that has an hmac to it.
func hmacsOf(emu dialinStore, array string) map[string]string {
	out := map[string]string{}
	for _, raw := range emu.DialinArray(array) {
		entry, err := dialin.ParseEntry(raw)
		if hmac := entry.Text("hmac"); err == nil && hmac != "" {
			out[entry.Key()] = hmac
		}
	}
	return out
}

// emuCheck asserts on the emulator's state. It is a statecheck, because the
// legacy Check functions cannot handle for_each resources.
type emuCheck func() error

func (c emuCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c()
}

// destroyed runs emulator checks as a CheckDestroy.
func destroyed(checks ...emuCheck) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, c := range checks {
			if err := c(); err != nil {
				return err
			}
		}
		return nil
	}
}

// checkUntouched fails unless every entry of want is still in the array byte for byte.
func checkUntouched(emu dialinStore, array string, want []json.RawMessage) emuCheck {
	same := untouchedAs(emu)
	return func() error {
		have := emu.DialinArray(array)
		for _, w := range want {
			if !slices.ContainsFunc(have, func(h json.RawMessage) bool { return same(h, w) }) {
				return fmt.Errorf("unmanaged entry changed or lost:\nwant %s\nhave %s", w, joinRaw(have))
			}
		}
		return nil
	}
}

// untouchedAs is how an entry nobody changed compares with itself at the
// store: byte for byte where a write keeps the sip_uri of the routes it
// does not change (othersSipURIsKept); otherwise as JSON, less sip_uri,
// which is Daily's to mint.
func untouchedAs(store dialinStore) func(have, want json.RawMessage) bool {
	if othersSipURIsKept(store) {
		return func(have, want json.RawMessage) bool { return bytes.Equal(have, want) }
	}
	return equalLessSipURI
}

// equalLessSipURI reports whether two entries are the same JSON but for
// their sip_uri.
func equalLessSipURI(have, want json.RawMessage) bool {
	var h, w map[string]any
	if json.Unmarshal(have, &h) != nil || json.Unmarshal(want, &w) != nil {
		return false
	}
	delete(h, "sip_uri")
	delete(w, "sip_uri")
	return reflect.DeepEqual(h, w)
}

// sipURIKept reports whether the environment promises a route's sip_uri
// survives a write of the route: only an emulator reading says so (Daily
// does not document it).
func sipURIKept(env *accEnv) bool {
	if env.Emu == nil {
		return false
	}
	reading := env.Emu.Options().SipURI
	return reading == "" || reading == emulator.SipURIStable
}

// othersSipURIsKept reports whether the store promises that a write of an
// array keeps the sip_uri of the routes it does not change: only an
// emulator reading says so, every one but SipURIEveryWrite (Daily does not
// document it).
func othersSipURIsKept(store dialinStore) bool {
	emu, ok := store.(*emulator.Emulator)
	return ok && emu.Options().SipURI != emulator.SipURIEveryWrite
}

// onlyIf is check when cond holds, and a check of nothing otherwise: for
// assertions that hold under some readings of Daily only.
func onlyIf(cond bool, check statecheck.StateCheck) statecheck.StateCheck {
	if cond {
		return check
	}
	return emuCheck(func() error { return nil })
}

// ignoredUnless is attrs when cond fails, for ImportStateVerifyIgnore:
// attributes that match the import under some readings of Daily only.
func ignoredUnless(cond bool, attrs ...string) []string {
	if cond {
		return nil
	}
	return attrs
}

// checkArrayKeys fails unless the array holds exactly these keys.
func checkArrayKeys(emu dialinStore, array string, keys ...string) emuCheck {
	return func() error {
		have := keysOf(emu, array)
		slices.Sort(have)
		want := slices.Sorted(slices.Values(keys))
		if !slices.Equal(have, want) {
			return fmt.Errorf("%s holds %v, want %v", array, have, want)
		}
		return nil
	}
}

// checkEntry fails unless the entry for key has these field values.
func checkEntry(emu dialinStore, array, key string, fields map[string]any) emuCheck {
	return func() error {
		m, ok := entryOf(emu, array, key)
		if !ok {
			return fmt.Errorf("%s has no entry for %s", array, key)
		}
		for f, want := range fields {
			got, _ := json.Marshal(m[f])
			w, _ := json.Marshal(want)
			if !bytes.Equal(got, w) {
				return fmt.Errorf("%s[%s].%s = %s, want %s", array, key, f, got, w)
			}
		}
		return nil
	}
}

func joinRaw(raws []json.RawMessage) string {
	parts := make([]string, len(raws))
	for i, r := range raws {
		parts[i] = string(r)
	}
	return strings.Join(parts, "\n     ")
}

// forEachRoutesConfig declares one pinless route per number with for_each.
func forEachRoutesConfig(providerConfig string, numbers []string, webhookFor func(string) string) string {
	var b strings.Builder
	b.WriteString(providerConfig)
	b.WriteString("\nlocals {\n  routes = {\n")
	for _, n := range numbers {
		fmt.Fprintf(&b, "    %q = %q\n", n, webhookFor(n))
	}
	b.WriteString(`  }
}

resource "daily_pinless_dialin_route" "r" {
  for_each          = local.routes
  phone_number      = each.key
  room_creation_api = each.value
}
`)
	return b.String()
}
