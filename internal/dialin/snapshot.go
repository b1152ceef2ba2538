package dialin

import (
	"encoding/json"
	"maps"
	"slices"
	"sync"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// snapshot is one answer of Daily's: the domain's id and its dial-in arrays, parsed.
type snapshot struct {
	domainID string
	arrays   map[string][]Entry
}

func parseSnapshot(dom *client.Domain) (snapshot, error) {
	return (*entryCache)(nil).parse(dom)
}

// entryCache keeps the entries of Daily's last answer by their text. The
// next answer holds the same entries but the few a write changed, and
// parsing a thousand entries anew costs milliseconds on the way of every
// wave (between a read and its write, and between a write's answer and its
// callers): only entries whose text is new are parsed. Entries are values
// whose Fields are never changed (see Engine.Entries), so sharing them
// between snapshots is safe.
type entryCache struct {
	mu    sync.Mutex
	byRaw map[string]cachedEntry
}

type cachedEntry struct {
	text  string // the entry's Raw, as the map's key
	entry Entry
}

// parse is parseSnapshot, reusing the entries of the last answer parsed
// (none with a nil cache).
func (c *entryCache) parse(dom *client.Domain) (snapshot, error) {
	var last, next map[string]cachedEntry
	if c != nil {
		c.mu.Lock()
		defer c.mu.Unlock()
		last, next = c.byRaw, make(map[string]cachedEntry, len(c.byRaw))
	}
	snap := snapshot{domainID: dom.DomainID, arrays: map[string][]Entry{}}
	for _, array := range Arrays {
		raws, err := dom.DialinEntries(array)
		if err != nil {
			return snapshot{}, err
		}
		entries := make([]Entry, 0, len(raws))
		for _, raw := range raws {
			ce, ok := last[string(raw)]
			if !ok {
				en, err := parseEntry(raw)
				if err != nil {
					return snapshot{}, &client.DecodeError{What: array, Err: err}
				}
				ce = cachedEntry{entry: en}
				if next != nil {
					ce.text = string(raw)
				}
			}
			if next != nil {
				next[ce.text] = ce
			}
			entries = append(entries, ce.entry)
		}
		snap.arrays[array] = entries
	}
	if c != nil {
		c.byRaw = next
	}
	return snap, nil
}

// clone copies the arrays, so that changes made to the copy's arrays leave
// the original alone.
func (s snapshot) clone() snapshot {
	c := snapshot{domainID: s.domainID, arrays: maps.Clone(s.arrays)}
	for k, v := range c.arrays {
		c.arrays[k] = slices.Clip(v)
	}
	return c
}

// changedSince returns, ready to send, the arrays that differ from before.
func (s snapshot) changedSince(before snapshot) map[string][]json.RawMessage {
	changed := map[string][]json.RawMessage{}
	for array, entries := range s.arrays {
		if slices.EqualFunc(entries, before.arrays[array], func(a, b Entry) bool { return string(a.Raw) == string(b.Raw) }) {
			continue
		}
		raws := make([]json.RawMessage, len(entries))
		for i, en := range entries {
			raws[i] = en.Sendable()
		}
		changed[array] = raws
	}
	return changed
}
