package dialin

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// snapshot is one answer of Daily's: the domain's id and its dial-in arrays, parsed.
type snapshot struct {
	domainID string
	arrays   map[string][]Entry
}

func parseSnapshot(dom *client.Domain) (snapshot, error) {
	snap := snapshot{domainID: dom.DomainID, arrays: map[string][]Entry{}}
	for _, array := range Arrays {
		raws, err := dom.DialinEntries(array)
		if err != nil {
			return snapshot{}, err
		}
		entries := make([]Entry, 0, len(raws))
		for _, raw := range raws {
			en, err := parseEntry(raw)
			if err != nil {
				return snapshot{}, &client.DecodeError{What: array, Err: err}
			}
			entries = append(entries, en)
		}
		snap.arrays[array] = entries
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
			raws[i] = en.sendable()
		}
		changed[array] = raws
	}
	return changed
}
