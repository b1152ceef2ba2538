package provider

import (
	"encoding/json"
	"testing"

	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// splitOdd sets apart the entries no route key addresses on its own, and
// says which they are and why.
func TestArrayKind_splitOdd(t *testing.T) {
	t.Parallel()
	parse := func(raws ...string) []dialin.Entry {
		var entries []dialin.Entry
		for _, raw := range raws {
			e, err := dialin.ParseEntry(json.RawMessage(raw))
			if err != nil {
				t.Fatal(err)
			}
			entries = append(entries, e)
		}
		return entries
	}
	pinless := parse(
		`{"phone_number":"+14155550100","room_creation_api":"dailybots"}`,
		`{"room_creation_api":"https://pbx.example/sip","sip_uri":"sip:a@x"}`,
		`{"name_prefix":"trunk","room_creation_api":"https://pbx.example/sip","sip_uri":"sip:b@x"}`,
		`{"name_prefix":"office","room_creation_api":"https://pbx.example/sip"}`,
		`{"name_prefix":"trunk","room_creation_api":"https://pbx.example/other"}`,
	)
	addressable, odd := pinlessKind.splitOdd(pinless)
	if len(addressable) != 2 || addressable[0].Key() != "+14155550100" || addressable[1].Key() != "sip:office" {
		t.Errorf("addressable: %v", addressable)
	}
	if len(odd) != 2 || odd[0].key != "sip:" || odd[1].key != "sip:trunk" {
		t.Fatalf("odd: %+v", odd)
	}
	want := []string{
		"The domain's pinless_dialin array holds 3 of its 5 entries that no route key addresses on its own",
		`entry 2 (SIP-only, with neither phone_number nor name_prefix; sip_uri "sip:a@x")`,
		`entries 3 and 5 (SIP-only, all with name_prefix "trunk"; sip_uri "sip:b@x", room_creation_api "https://pbx.example/other")`,
		"by a name_prefix no other entry has",
	}
	if got := pinlessKind.describeOdd(odd, len(pinless)); !errorPattern(want...).MatchString(got) {
		t.Errorf("got %s\nwant %q", got, want)
	}
	warning := pinlessKind.oddEntriesLeftOut(odd, len(pinless), "the results")
	if !errorPattern("left out of the results", "stay at Daily exactly as they are", "give each SIP-only entry a name_prefix of its own").MatchString(warning.Detail()) {
		t.Errorf("warning: %s", warning.Detail())
	}
	refusal := pinlessKind.oddEntriesRefused(odd, len(pinless), "daily_pinless_dialin")
	if !errorPattern("daily_pinless_dialin keys its routes by phone number or sip:<name_prefix>", "merge such entries", "daily_pinless_dialin_route").MatchString(refusal.Detail()) {
		t.Errorf("refusal: %s", refusal.Detail())
	}
	ambiguous := pinlessKind.ambiguousRoute("sip:trunk", pinless, "delete")
	if ambiguous.Summary() != "Dial-in route key held by several entries" ||
		!errorPattern("Cannot delete the pinless dial-in route sip:trunk", "holds it as entries 3 and 5", "Nothing was changed").MatchString(ambiguous.Detail()) {
		t.Errorf("ambiguous: %s: %s", ambiguous.Summary(), ambiguous.Detail())
	}

	// A PIN route needs its number; two entries for one number are odd anywhere.
	pin := parse(`{"phone_number":"+14155550100"}`, `{"name_prefix":"lobby"}`, `{"phone_number":"+14155550101"}`, `{"phone_number":"+14155550101","name_prefix":"b"}`)
	addressable, odd = pinKind.splitOdd(pin)
	if len(addressable) != 1 || len(odd) != 2 {
		t.Fatalf("pin: addressable %v, odd %+v", addressable, odd)
	}
	if got := pinKind.describeOdd(odd, len(pin)); !errorPattern(`entry 2 (without phone_number (name_prefix "lobby"))`, "entries 3 and 4 (all for +14155550101)").MatchString(got) {
		t.Errorf("pin: %s", got)
	}
	if addressable, odd := pinlessKind.splitOdd(pinless[:1]); len(addressable) != 1 || odd != nil {
		t.Errorf("a plain array: %v, %v", addressable, odd)
	}
}
