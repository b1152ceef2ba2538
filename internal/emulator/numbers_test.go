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
	check("areacode=212&contains=55", nil) // replaced below: digits must be 3–7
	_ = 0
}
