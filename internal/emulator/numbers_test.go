package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

type listAnswer struct {
	TotalCount int                 `json:"total_count"`
	Data       []map[string]string `json:"data"`
}

func listAvailable(t *testing.T, e *Emulator, query string) listAnswer {
	t.Helper()
	status, body := call(t, e, "GET", "/v1/list-available-numbers?"+query, "")
	if status != 200 {
		t.Fatalf("%s: %d %s", query, status, body)
	}
	var a listAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	if a.TotalCount != len(a.Data) {
		t.Fatalf("total_count %d for %d numbers", a.TotalCount, len(a.Data))
	}
	return a
}

func TestInventory(t *testing.T) {
	inv := New(Options{Seed: 3}).Available()
	if !slices.Equal(inv, New(Options{Seed: 3}).Available()) {
		t.Fatal("inventory not deterministic")
	}
	if slices.Equal(inv, New(Options{Seed: 4}).Available()) {
		t.Fatal("seed ignored")
	}
	codes, regions := map[string]bool{}, map[string]bool{}
	for _, a := range inv {
		if !nanp.MatchString(a.Number) || a.City == "" {
			t.Fatalf("bad inventory entry %+v", a)
		}
		codes[a.Number[2:5]] = true
		regions[a.Region] = true
	}
	if len(inv) < 2000 || len(codes) < 15 || !regions["ON"] || !regions["CA"] {
		t.Fatalf("%d numbers, %d area codes, regions %v", len(inv), len(codes), regions)
	}
}

func TestListAvailableFilters(t *testing.T) {
	e := New(Options{})
	e.AddAvailable(AvailableNumber{"+19499800001", "CA", "Irvine"}, AvailableNumber{"+19499800001", "CA", "Irvine"})
	all := listAvailable(t, e, "")
	if len(all.Data) != 30 || all.Data[0]["number"] != "+19499800001" || all.Data[0]["region"] != "CA" {
		t.Fatalf("unfiltered: %v", all.Data)
	}
	check := func(query string, ok func(number, region string) bool) {
		t.Helper()
		a := listAvailable(t, e, query)
		if len(a.Data) == 0 {
			t.Fatalf("%s: no numbers", query)
		}
		for _, d := range a.Data {
			if !ok(d["number"], d["region"]) {
				t.Fatalf("%s: %v does not match", query, d)
			}
		}
	}
	inv := e.Available()
	city := func(n string) string {
		return inv[slices.IndexFunc(inv, func(a AvailableNumber) bool { return a.Number == n })].City
	}
	check("areacode=415", func(n, _ string) bool { return strings.HasPrefix(n, "+1415") })
	check("region=ON", func(_, r string) bool { return r == "ON" })
	check("region=ca&city=irvine", func(n, r string) bool { return r == "CA" && city(n) == "Irvine" })
	national := strings.TrimPrefix(inv[100].Number, "+1")
	check("areacode="+national[:3]+"&contains="+national[4:8], func(n, _ string) bool {
		return strings.HasPrefix(n, "+1"+national[:3]) && strings.Contains(n[2:], national[4:8])
	})
	check("starts_with="+national[:5], func(n, _ string) bool { return strings.HasPrefix(n[2:], national[:5]) })
	check("ends_with="+national[3:], func(n, _ string) bool { return strings.HasSuffix(n, national[3:]) })
	check("region=TX&contains=123", func(n, r string) bool { return r == "TX" && strings.Contains(n[2:], "123") })
	if a := listAvailable(t, e, "areacode=999"); len(a.Data) != 0 {
		t.Fatalf("areacode 999: %v", a.Data)
	}

	variant := New(Options{Variants: Variants{AvailableKeyPhoneNumber: true}})
	if d := listAvailable(t, variant, "areacode=416").Data[0]; d["phoneNumber"] == "" || d["number"] != "" || d["region"] != "ON" {
		t.Fatalf("phoneNumber variant: %v", d)
	}
}

func TestListAvailableRules(t *testing.T) {
	e := New(Options{})
	for _, q := range []string{
		"areacode=41", "areacode=41a",
		"areacode=415&region=CA",
		"region=California", "region=C1",
		"city=Irvine", "region=CA&city=Irvine&contains=123", "region=CA&city=Irvine&starts_with=949",
		"region=CA&city=Irvine&ends_with=123", "areacode=949&region=CA&city=Irvine",
		"contains=12", "contains=12345678", "starts_with=12a", "ends_with=1",
		"starts_with=415&contains=123", "starts_with=415&ends_with=123",
		"ends_with=123&contains=456",
	} {
		status, body := call(t, e, "GET", "/v1/list-available-numbers?"+q, "")
		wantError(t, status, body, 400, "validation-error")
	}
	// Allowed combinations.
	for _, q := range []string{"areacode=415&contains=123", "areacode=415&starts_with=4152", "region=CA&ends_with=1234", "contains=1234567"} {
		listAvailable(t, e, q)
	}
}

func TestBuy(t *testing.T) {
	start := time.Date(2025, 3, 14, 4, 46, 31, 0, time.UTC)
	e := New(Options{Start: start})
	e.AddAvailable(AvailableNumber{"+18058700061", "CA", "Santa Barbara"})

	status, body := call(t, e, "POST", "/v1/buy-phone-number", `{"number":"+18058700061"}`)
	m := decode(t, body)
	if status != 200 || m["number"] != "+18058700061" || len(m["id"].(string)) != 36 || len(m) != 2 {
		t.Fatalf("specific buy: %d %s", status, body)
	}
	// Gone from the inventory; cannot be bought twice.
	if a := listAvailable(t, e, "ends_with=8700061"); slices.ContainsFunc(a.Data, func(d map[string]string) bool { return d["number"] == "+18058700061" }) {
		t.Fatal("bought number still listed")
	}
	status, body = call(t, e, "POST", "/v1/buy-phone-number", `{"number":"+18058700061"}`)
	wantError(t, status, body, 400, "invalid-request-error")

	for _, b := range []string{"", "{}", "  "} {
		status, body = call(t, e, "POST", "/v1/buy-phone-number", b)
		n := decode(t, body)["number"].(string)
		newest := e.Purchased()[0]
		if status != 200 || newest.Number != n || !nanp.MatchString(n) || slices.Contains([]string{"416", "604", "514", "403"}, n[2:5]) {
			t.Fatalf("random buy %q: %d %s", b, status, body)
		}
	}

	for _, bad := range []string{`{"number":"8058700061"}`, `{"number":"+1805870006"}`, `{"number":"+448058700061"}`, `{"number":""}`} {
		status, body = call(t, e, "POST", "/v1/buy-phone-number", bad)
		want := `{"errors":[{"code":"422","detail":"Number is invalid.","status":"422","title":"Invalid Attribute"}],"status":422}`
		if status != 422 || string(body) != want {
			t.Fatalf("%s: %d %s", bad, status, body)
		}
	}
	for _, bad := range []string{`{"number":"+12125550000"}`, `{"number":12}`, `{"name":"Acme"}`, `{"number":"+18058700061","name":"x"}`} {
		status, body = call(t, e, "POST", "/v1/buy-phone-number", bad)
		wantError(t, status, body, 400, "invalid-request-error")
	}
	status, body = call(t, e, "POST", "/v1/buy-phone-number", `[1]`)
	wantError(t, status, body, 400, "json-parsing-error")

	p := e.Purchased()
	if len(p) != 4 || p[3].Number != "+18058700061" || !p[3].CreatedDate.Equal(start) || p[3].Name != nil {
		t.Fatalf("purchased %+v", p)
	}
	for i := 1; i < len(p); i++ {
		if p[i].PaginationID >= p[i-1].PaginationID {
			t.Fatalf("pagination ids not newest first: %+v", p)
		}
	}
}

type purchasedAnswer struct {
	TotalCount int              `json:"total_count"`
	Data       []map[string]any `json:"data"`
}

func listPurchased(t *testing.T, e *Emulator, query string) purchasedAnswer {
	t.Helper()
	status, body := call(t, e, "GET", "/v1/purchased-phone-numbers?"+query, "")
	if status != 200 {
		t.Fatalf("%s: %d %s", query, status, body)
	}
	var a purchasedAnswer
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&a); err != nil {
		t.Fatal(err)
	}
	return a
}

func pid(item map[string]any) string { return item["pagination_id"].(json.Number).String() }

func TestPurchasedPagination(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	e := New(Options{Start: start})
	inv := e.Available()
	for i := range 120 {
		e.SeedPurchased(inv[i].Number, start.Add(time.Duration(i)*time.Minute))
	}
	want := e.Purchased() // newest first
	var got []string
	var sizes []int
	query := ""
	for {
		a := listPurchased(t, e, query)
		if a.TotalCount != 120 {
			t.Fatalf("total_count %d", a.TotalCount)
		}
		if len(a.Data) == 0 {
			break
		}
		sizes = append(sizes, len(a.Data))
		for _, d := range a.Data {
			got = append(got, d["number"].(string))
		}
		query = "starting_after=" + pid(a.Data[len(a.Data)-1])
	}
	if !slices.Equal(sizes, []int{50, 50, 20}) {
		t.Fatalf("page sizes %v", sizes)
	}
	for i, p := range want {
		if got[i] != p.Number {
			t.Fatalf("item %d: %s, want %s", i, got[i], p.Number)
		}
	}

	// Backwards from the oldest item.
	got, sizes = nil, nil
	query = fmt.Sprintf("ending_before=%d", want[119].PaginationID)
	for {
		a := listPurchased(t, e, query)
		if len(a.Data) == 0 {
			break
		}
		sizes = append(sizes, len(a.Data))
		var page []string
		for _, d := range a.Data {
			page = append(page, d["number"].(string))
		}
		got = append(page, got...)
		query = "ending_before=" + pid(a.Data[0])
	}
	if !slices.Equal(sizes, []int{50, 50, 19}) {
		t.Fatalf("backward page sizes %v", sizes)
	}
	for i, p := range want[:119] {
		if got[i] != p.Number {
			t.Fatalf("backward item %d: %s, want %s", i, got[i], p.Number)
		}
	}

	if a := listPurchased(t, e, "limit=500"); len(a.Data) != 50 {
		t.Fatalf("limit=500 gave %d", len(a.Data))
	}
	if a := listPurchased(t, e, "limit=7"); len(a.Data) != 7 {
		t.Fatalf("limit=7 gave %d", len(a.Data))
	}
	for _, bad := range []string{"limit=0", "limit=x", "starting_after=abc", "starting_after=1&ending_before=2"} {
		status, body := call(t, e, "GET", "/v1/purchased-phone-numbers?"+bad, "")
		wantError(t, status, body, 400, "invalid-request-error")
	}

	item := listPurchased(t, e, "limit=1").Data[0]
	wantItem := map[string]any{"name": nil, "type": "purchased_phone_number", "id": want[0].ID, "pagination_id": json.Number(fmt.Sprint(want[0].PaginationID)),
		"created_date": "2025-01-01T01:59:00.000Z", "number": want[0].Number, "status": "verified", "verified": true}
	if fmt.Sprint(item) != fmt.Sprint(wantItem) {
		t.Fatalf("item %v, want %v", item, wantItem)
	}
}

func TestPurchasedFilters(t *testing.T) {
	e := New(Options{})
	e.SeedPurchased("+14155550100", e.Now())
	e.SeedPurchased("+14155550199", e.Now())
	e.SeedPurchased("+12125550100", e.Now())
	if again := e.SeedPurchased("+12125550100", e.Now()); len(e.Purchased()) != 3 || again.Number != "+12125550100" {
		t.Fatal("SeedPurchased duplicated a number")
	}
	a := listPurchased(t, e, "filter_number="+url.QueryEscape("+1415")+"&limit=1")
	if a.TotalCount != 2 || len(a.Data) != 1 || a.Data[0]["number"] != "+14155550199" {
		t.Fatalf("filter_number: %+v", a)
	}
	if a := listPurchased(t, e, "filter_number=0100"); a.TotalCount != 2 {
		t.Fatalf("filter_number substring: %+v", a)
	}
	if a := listPurchased(t, e, "filter_name=acme"); a.TotalCount != 0 || a.Data == nil {
		t.Fatalf("filter_name on nil names: %+v", a)
	}
	if !e.NamePurchased("+12125550100", "Acme Support") || e.NamePurchased("+19995550100", "x") {
		t.Fatal("NamePurchased named the wrong numbers")
	}
	if a := listPurchased(t, e, "filter_name=acme"); a.TotalCount != 1 || a.Data[0]["name"] != "Acme Support" {
		t.Fatalf("filter_name: %+v", a)
	}
	e.NamePurchased("+12125550100", "")
	if a := listPurchased(t, e, "filter_name=acme"); a.TotalCount != 0 {
		t.Fatalf("filter_name after clearing the name: %+v", a)
	}
}

func TestRFC1123Variant(t *testing.T) {
	e := New(Options{Start: time.Date(2024, 8, 19, 18, 50, 34, 0, time.UTC), Variants: Variants{RFC1123Dates: true}})
	buy(t, e, 1)
	if d := listPurchased(t, e, "").Data[0]["created_date"]; d != "Mon, 19 Aug 2024 18:50:34 +0000" {
		t.Fatalf("created_date %v", d)
	}
}

func TestRelease(t *testing.T) {
	e := New(Options{Start: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)})
	n := buy(t, e, 2)
	id := e.Purchased()[1].ID // n[0]
	post(t, e, `{"pinless_dialin":[`+pinlessEntry(n[0], "https://a.example/hook", "")+`,`+pinlessEntry(n[1], "https://b.example/hook", "")+`]}`)

	tooEarly := `{"error":"Failed to release new number, try again in 14 days"}`
	status, body := call(t, e, "DELETE", "/v1/release-phone-number/"+id, "")
	if status != 422 || string(body) != tooEarly {
		t.Fatalf("new number: %d %s", status, body)
	}
	e.Advance(14*24*time.Hour - time.Second)
	if status, body := call(t, e, "DELETE", "/v1/release-phone-number/"+id, ""); status != 422 || string(body) != tooEarly {
		t.Fatalf("13.99 days: %d %s", status, body)
	}
	e.Advance(time.Second)
	status, body = call(t, e, "DELETE", "/v1/release-phone-number/"+id, "")
	if status != 200 || string(body) != `{"status":"ok"}` {
		t.Fatalf("release: %d %s", status, body)
	}
	if p := e.Purchased(); len(p) != 1 || p[0].Number != n[1] {
		t.Fatalf("purchased after release: %+v", p)
	}
	if got := array(t, e, PinlessDialin); len(got) != 1 || got[0]["phone_number"] != n[1] {
		t.Fatalf("dial-in entry not removed: %v", got)
	}
	if slices.ContainsFunc(e.Available(), func(a AvailableNumber) bool { return a.Number == n[0] }) {
		t.Fatal("released number back in the inventory")
	}
	status, body = call(t, e, "DELETE", "/v1/release-phone-number/"+id, "")
	wantError(t, status, body, 404, "not-found")
}

func TestReleaseDeletedVariantAndOutOfBand(t *testing.T) {
	e := New(Options{Variants: Variants{ReleaseDeletedBody: true}})
	old := e.SeedPurchased("+14155550100", e.Now().Add(-30*24*time.Hour))
	status, body := call(t, e, "DELETE", "/v1/release-phone-number/"+old.ID, "")
	if status != 200 || string(body) != `{"deleted":true,"id":"`+old.ID+`"}` {
		t.Fatalf("%d %s", status, body)
	}

	n := buy(t, e, 1)
	post(t, e, `{"pin_dialin":[{"phone_number":"`+n[0]+`"}]}`)
	id := e.Purchased()[0].ID
	if !e.ReleaseOutOfBand(id) || e.ReleaseOutOfBand(id) {
		t.Fatal("ReleaseOutOfBand result")
	}
	if len(e.Purchased()) != 0 || len(array(t, e, PinDialin)) != 0 {
		t.Fatal("out-of-band release left state behind")
	}
}
