package emulator

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// AvailableNumber is a number offered by GET /list-available-numbers.
type AvailableNumber struct{ Number, Region, City string }

// PurchasedNumber is a number bought by the domain.
type PurchasedNumber struct {
	ID           string
	Number       string
	Name         *string
	PaginationID int64
	CreatedDate  time.Time
}

// releaseHold is how long a new number cannot be released [doc].
const releaseHold = 14 * 24 * time.Hour

// maxAvailable caps one list-available-numbers answer [inferred].
const maxAvailable = 30

// areaCodes is the emulator's inventory: one area code per city [inferred].
// Real cities have overlays (Toronto: 416, 647, 437), so a number bought by
// city may start otherwise on Daily.
var areaCodes = []struct{ code, region, city string }{
	{"212", "NY", "New York"}, {"718", "NY", "Brooklyn"}, {"415", "CA", "San Francisco"},
	{"310", "CA", "Los Angeles"}, {"949", "CA", "Irvine"}, {"805", "CA", "Santa Barbara"},
	{"312", "IL", "Chicago"}, {"512", "TX", "Austin"}, {"713", "TX", "Houston"},
	{"305", "FL", "Miami"}, {"206", "WA", "Seattle"}, {"617", "MA", "Boston"},
	{"303", "CO", "Denver"}, {"404", "GA", "Atlanta"}, {"702", "NV", "Las Vegas"},
	{"503", "OR", "Portland"}, {"416", "ON", "Toronto"}, {"604", "BC", "Vancouver"},
	{"514", "QC", "Montreal"}, {"403", "AB", "Calgary"},
}

var canadianRegions = []string{"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"}

// defaultInventory draws 150 distinct numbers per area code and shuffles them,
// so an unfiltered listing spans many area codes.
func defaultInventory(rng *rand.Rand) []AvailableNumber {
	const perCode = 150
	var out []AvailableNumber
	for _, ac := range areaCodes {
		seen := map[string]bool{}
		for len(seen) < perCode {
			n := fmt.Sprintf("+1%s%d%02d%04d", ac.code, 2+rng.IntN(8), rng.IntN(100), rng.IntN(10000))
			if !seen[n] {
				seen[n] = true
				out = append(out, AvailableNumber{n, ac.region, ac.city})
			}
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// nanp matches a purchasable (US/Canada) number.
var nanp = regexp.MustCompile(`^\+1[2-9][0-9]{2}[2-9][0-9]{6}$`)

// AddAvailable adds numbers to the inventory, ahead of the default ones so that
// unfiltered listings show them. Numbers already known are skipped.
func (e *Emulator) AddAvailable(numbers ...AvailableNumber) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var fresh []AvailableNumber
	for _, n := range numbers {
		if e.availableIndex(n.Number) < 0 && e.purchasedIndex(n.Number) < 0 &&
			!slices.ContainsFunc(fresh, func(f AvailableNumber) bool { return f.Number == n.Number }) {
			fresh = append(fresh, n)
		}
	}
	e.available = append(fresh, e.available...)
}

// Available returns the current inventory in listing order.
func (e *Emulator) Available() []AvailableNumber {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.available)
}

// SeedPurchased records number as bought at createdAt (name nil), as if bought
// in Daily's dashboard. A number already purchased is returned unchanged.
func (e *Emulator) SeedPurchased(number string, createdAt time.Time) PurchasedNumber {
	e.mu.Lock()
	defer e.mu.Unlock()
	if i := e.purchasedIndex(number); i >= 0 {
		return e.purchased[i]
	}
	return e.purchase(number, createdAt)
}

// NamePurchased sets the name of a purchased number, as Daily's dashboard
// can (the API cannot); "" clears it. It reports whether number is purchased.
func (e *Emulator) NamePurchased(number, name string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	i := e.purchasedIndex(number)
	if i < 0 {
		return false
	}
	e.purchased[i].Name = nil
	if name != "" {
		e.purchased[i].Name = &name
	}
	return true
}

// Purchased returns the purchased numbers, newest first.
func (e *Emulator) Purchased() []PurchasedNumber {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := slices.Clone(e.purchased)
	slices.Reverse(out)
	return out
}

// ReleaseOutOfBand releases a number ignoring the 14-day rule, removing its
// dial-in entries. It reports whether id was purchased.
func (e *Emulator) ReleaseOutOfBand(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.release(id)
}

func (e *Emulator) availableIndex(number string) int {
	return slices.IndexFunc(e.available, func(a AvailableNumber) bool { return a.Number == number })
}

func (e *Emulator) purchasedIndex(number string) int {
	return slices.IndexFunc(e.purchased, func(p PurchasedNumber) bool { return p.Number == number })
}

// purchase moves number from the inventory to the purchased list (caller holds the lock).
func (e *Emulator) purchase(number string, createdAt time.Time) PurchasedNumber {
	if i := e.availableIndex(number); i >= 0 {
		e.available = slices.Delete(e.available, i, i+1)
	}
	p := PurchasedNumber{ID: e.uuid(), Number: number, PaginationID: e.nextPID, CreatedDate: createdAt}
	e.nextPID += 1 + e.rng.Int64N(3)
	e.purchased = append(e.purchased, p)
	return p
}

// release removes a purchased number and its dial-in entries [daily-code]. The
// number does not return to the inventory [inferred].
func (e *Emulator) release(id string) bool {
	i := slices.IndexFunc(e.purchased, func(p PurchasedNumber) bool { return p.ID == id })
	if i < 0 {
		return false
	}
	e.removeDialinEntries(e.purchased[i].Number)
	e.purchased = slices.Delete(e.purchased, i, i+1)
	return true
}

func validationError(format string, args ...any) response {
	return errorf(http.StatusBadRequest, "validation-error", format, args...).response()
}

func isDigits(s string, minLen, maxLen int) bool {
	if len(s) < minLen || len(s) > maxLen {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// listAvailable serves GET /list-available-numbers. [inferred] The digit filters
// apply to the 10-digit national number (area code included), e.g. starts_with=415.
func (e *Emulator) listAvailable(q request) response {
	get := q.URL.Query().Get
	areacode, region, city := get("areacode"), get("region"), get("city")
	contains, startsWith, endsWith := get("contains"), get("starts_with"), get("ends_with")
	switch {
	case areacode != "" && !isDigits(areacode, 3, 3): // [inferred]
		return validationError("areacode must be 3 digits")
	case region != "" && areacode != "":
		return validationError("region cannot be combined with areacode")
	case region != "" && (len(region) != 2 || !isLetters(region)): // [inferred]
		return validationError("region must be a two-letter state or province code")
	case city != "" && region == "":
		return validationError("city requires region")
	case city != "" && (areacode != "" || startsWith != "" || contains != "" || endsWith != ""):
		return validationError("city cannot be combined with areacode, starts_with, contains or ends_with")
	case startsWith != "" && (contains != "" || endsWith != ""):
		return validationError("starts_with cannot be combined with contains or ends_with")
	case endsWith != "" && contains != "":
		return validationError("ends_with cannot be combined with contains or starts_with")
	}
	for _, f := range [][2]string{{"contains", contains}, {"starts_with", startsWith}, {"ends_with", endsWith}} {
		if f[1] != "" && !isDigits(f[1], 3, 7) {
			return validationError("%s must be 3 to 7 digits", f[0])
		}
	}

	key := "number"
	if e.opts.Variants.AvailableKeyPhoneNumber {
		key = "phoneNumber"
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	data := []map[string]string{}
	for _, a := range e.available {
		national := strings.TrimPrefix(a.Number, "+1")
		// [inferred] region and city match case-insensitively.
		if (areacode != "" && !strings.HasPrefix(national, areacode)) ||
			(region != "" && !strings.EqualFold(a.Region, region)) ||
			(city != "" && !strings.EqualFold(a.City, city)) ||
			!strings.Contains(national, contains) ||
			!strings.HasPrefix(national, startsWith) ||
			!strings.HasSuffix(national, endsWith) {
			continue
		}
		data = append(data, map[string]string{key: a.Number, "region": a.Region})
		if len(data) == maxAvailable {
			break
		}
	}
	return jsonResp(http.StatusOK, map[string]any{"total_count": len(data), "data": data})
}

func isLetters(s string) bool {
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// vendorInvalidNumber is the 422 shape of the phone vendor, passed through by Daily [doc].
var vendorInvalidNumber = jsonResp(http.StatusUnprocessableEntity, map[string]any{
	"errors": []map[string]string{{"detail": "Number is invalid.", "status": "422", "title": "Invalid Attribute", "code": "422"}},
	"status": 422,
})

func (e *Emulator) buyNumber(q request) response {
	in := map[string]any{}
	if len(bytes.TrimSpace(q.body)) > 0 {
		if err := decodeJSON(q.body, &in); err != nil {
			return jsonParsingError(err).response()
		}
	}
	for k := range in {
		if k != "number" { // [inferred] a number's name cannot be set through the API [doc]
			return invalid("unknown field %q", k).response()
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var number string
	if v, ok := in["number"]; ok {
		s, isString := v.(string)
		switch {
		case !isString: // [inferred]
			return invalid("number must be a string").response()
		case !nanp.MatchString(s): // [inferred] which numbers the vendor finds invalid
			return vendorInvalidNumber
		case e.availableIndex(s) < 0: // [inferred] status and text are undocumented
			return invalid("%s is not available", s).response()
		}
		number = s
	} else {
		var us []string
		for _, a := range e.available {
			if !slices.Contains(canadianRegions, strings.ToUpper(a.Region)) {
				us = append(us, a.Number)
			}
		}
		if len(us) == 0 { // [inferred]
			return invalid("no numbers available").response()
		}
		number = us[e.rng.IntN(len(us))]
	}
	p := e.purchase(number, e.now())
	return jsonResp(http.StatusOK, map[string]string{"id": p.ID, "number": p.Number})
}

type purchasedItem struct {
	Name         *string `json:"name"`
	Type         string  `json:"type"`
	ID           string  `json:"id"`
	PaginationID int64   `json:"pagination_id"`
	CreatedDate  string  `json:"created_date"`
	Number       string  `json:"number"`
	Status       string  `json:"status"`
	Verified     bool    `json:"verified"`
}

func (e *Emulator) listPurchased(q request) response {
	query := q.URL.Query()
	limit := 50
	if s := query.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 { // [inferred]
			return invalid("limit must be a positive integer").response()
		}
		limit = min(n, 50) // at most 50 per page [doc]; larger limits are clamped [inferred]
	}
	cursor := func(name string) (int64, bool, *apiError) {
		s := query.Get(name)
		if s == "" {
			return 0, false, nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, false, invalid("%s must be a pagination_id", name)
		}
		return n, true, nil
	}
	after, hasAfter, err := cursor("starting_after")
	if err != nil {
		return err.response()
	}
	before, hasBefore, err := cursor("ending_before")
	if err != nil {
		return err.response()
	}
	if hasAfter && hasBefore { // [inferred]
		return invalid("starting_after and ending_before cannot be combined").response()
	}
	filterName, filterNumber := query.Get("filter_name"), query.Get("filter_number")

	e.mu.Lock()
	defer e.mu.Unlock()
	var matches []PurchasedNumber // newest first
	for _, p := range slices.Backward(e.purchased) {
		// [inferred] filters are case-insensitive substring matches; a nil name never matches.
		if filterName != "" && (p.Name == nil || !containsFold(*p.Name, filterName)) {
			continue
		}
		if filterNumber != "" && !strings.Contains(p.Number, filterNumber) {
			continue
		}
		matches = append(matches, p)
	}
	page := matches
	switch {
	case hasAfter:
		i := slices.IndexFunc(matches, func(p PurchasedNumber) bool { return p.PaginationID < after })
		if i < 0 {
			i = len(matches)
		}
		page = matches[i:]
		page = page[:min(limit, len(page))]
	case hasBefore:
		i := slices.IndexFunc(matches, func(p PurchasedNumber) bool { return p.PaginationID <= before })
		if i < 0 {
			i = len(matches)
		}
		page = matches[max(0, i-limit):i]
	default:
		page = page[:min(limit, len(page))]
	}
	data := make([]purchasedItem, len(page))
	for i, p := range page {
		data[i] = purchasedItem{p.Name, "purchased_phone_number", p.ID, p.PaginationID, e.formatDate(p.CreatedDate), p.Number, "verified", true}
	}
	return jsonResp(http.StatusOK, map[string]any{"total_count": len(matches), "data": data})
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

func (e *Emulator) formatDate(t time.Time) string {
	if e.opts.Variants.RFC1123Dates {
		return t.UTC().Format(time.RFC1123Z)
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

func (e *Emulator) releaseNumber(q request) response {
	e.mu.Lock()
	defer e.mu.Unlock()
	i := slices.IndexFunc(e.purchased, func(p PurchasedNumber) bool { return p.ID == q.param })
	if i < 0 { // [inferred]
		return errorf(http.StatusNotFound, "not-found", "phone number %s not found", q.param).response()
	}
	// [inferred] a number exactly 14 days old can be released.
	if e.now().Sub(e.purchased[i].CreatedDate) < releaseHold {
		// This error has no "info" [doc].
		return jsonResp(http.StatusUnprocessableEntity, map[string]string{"error": "Failed to release new number, try again in 14 days"})
	}
	e.release(q.param)
	if e.opts.Variants.ReleaseDeletedBody {
		return jsonResp(http.StatusOK, map[string]any{"deleted": true, "id": q.param})
	}
	return jsonResp(http.StatusOK, map[string]string{"status": "ok"})
}
