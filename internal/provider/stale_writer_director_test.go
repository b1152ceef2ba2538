package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// staleDelay is how long after the provider's write the stale copy lands:
// well within the engine's confirming delay (dialin.DefaultVerifyDelay), as
// a writer that read just before the write and saved just after would.
const staleDelay = 100 * time.Millisecond

// staleDirector serves the emulator to the provider and decides which of
// the provider's writes the stale writer undoes: once armed, the first write,
// and then the first write that makes again a change of that one: its
// repair, alone or merged into a later batch, or a later batch whose read,
// taken before the first copy landed, still held the first write's changes
// (the engine confirms a change only after the last write carrying it, so
// that one is repaired too). Other writes, such as the next batch of a
// per-route apply, are left alone. Writes go through it one at a time, which
// suits one provider (one engine) per domain.
type staleDirector struct {
	emu *emulator.Emulator

	mu     sync.Mutex
	armed  bool
	start  time.Time
	first  map[string]bool // the keys the first undone write changed
	undone int             // writes undone since armed: 2 once the repair was
	writes []string        // every write since armed, for reports
}

// serveStaleDirector starts the director in front of emu and returns it with
// the base URL the provider is to use.
func serveStaleDirector(t *testing.T, emu *emulator.Emulator) (*staleDirector, string) {
	d := &staleDirector{emu: emu}
	srv := httptest.NewServer(d)
	t.Cleanup(srv.Close)
	return d, srv.URL + "/v1"
}

// arm makes the director undo the next write and its first repair.
func (d *staleDirector) arm() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.armed, d.start, d.first, d.undone, d.writes = true, time.Now(), nil, 0, nil
}

// disarm leaves every later write alone.
func (d *staleDirector) disarm() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.armed = false
}

// repairUndone reports whether both writes were undone, and describes every
// write since arm.
func (d *staleDirector) repairUndone() (bool, string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.undone == 2, strings.Join(d.writes, "\n      ")
}

func (d *staleDirector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/v1"), "/"); r.Method != http.MethodPost || p != "" {
		d.emu.ServeHTTP(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	d.mu.Lock()
	defer d.mu.Unlock()
	d.awaitCopies()
	changed := d.changedKeys(body)
	repair := d.undone == 1 && slices.ContainsFunc(changed, func(k string) bool { return d.first[k] })
	undo := d.armed && (d.undone == 0 || repair)
	taken := d.emu.StaleWriterStats().Taken
	if undo {
		d.emu.SetStaleWriter(emulator.StaleWriter{Delay: staleDelay, Copies: 1})
	}
	d.emu.ServeHTTP(w, r)
	what := ""
	switch {
	case !undo:
	case d.emu.StaleWriterStats().Taken == taken: // refused or failed: nothing to undo
		d.emu.SetStaleWriter(emulator.StaleWriter{})
		what = " (not written: nothing undone)"
	case d.undone == 0:
		d.undone, d.first = 1, map[string]bool{}
		for _, k := range changed {
			d.first[k] = true
		}
		what = " (the first write: undone)"
	default:
		d.undone = 2
		what = " (its repair: undone)"
	}
	if d.armed {
		d.writes = append(d.writes, fmt.Sprintf("write at +%s changing %d routes%s",
			time.Since(d.start).Round(time.Millisecond), len(changed), what))
	}
}

// awaitCopies waits until no copy is pending, so that a copy never lands
// between the reading of a write's changes and the write: a write made from
// a read taken before the copy then counts the first write's changes it
// carries again, and is undone as its repair.
func (d *staleDirector) awaitCopies() {
	for deadline := time.Now().Add(10 * staleDelay); d.emu.StaleWriterStats().Pending > 0 && time.Now().Before(deadline); {
		time.Sleep(staleDelay / 20)
	}
}

// changedKeys are the keys of the routes a POST / body changes: added,
// edited or left out, against the arrays as Daily holds them now. sip_uri
// is left out of the comparison: Daily ignores a sent one.
func (d *staleDirector) changedKeys(body []byte) []string {
	var in struct {
		Properties map[string][]json.RawMessage `json:"properties"`
	}
	if json.Unmarshal(body, &in) != nil {
		return nil
	}
	comparableForm := func(raw []byte) string {
		fields, _ := decodeFields(raw)
		delete(fields, "sip_uri")
		return string(canonical(fields))
	}
	var changed []string
	for _, name := range slices.Sorted(maps.Keys(in.Properties)) {
		held := map[string]string{}
		for _, raw := range d.emu.DialinArray(name) {
			held[keyOf(raw)] = comparableForm(raw)
		}
		for _, raw := range in.Properties[name] {
			key := keyOf(raw)
			if was, ok := held[key]; !ok || was != comparableForm(raw) {
				changed = append(changed, key)
			}
			delete(held, key)
		}
		changed = append(changed, slices.Sorted(maps.Keys(held))...)
	}
	return changed
}
