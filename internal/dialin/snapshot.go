package dialin

import (
	"encoding/json"
	"slices"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// snapshot holds the parsed dial-in arrays of one domain read.
type snapshot map[string][]Entry

func snapshotOf(dom *client.Domain) (snapshot, error) {
	snap := snapshot{}
	for _, array := range Arrays {
		raws, err := dom.DialinEntries(array)
		if err != nil {
			return nil, err
		}
		entries := make([]Entry, 0, len(raws))
		for _, raw := range raws {
			en, err := parseEntry(raw)
			if err != nil {
				return nil, &client.DecodeError{What: array, Err: err}
			}
			entries = append(entries, en)
		}
		snap[array] = entries
	}
	return snap, nil
}

func (s snapshot) clone() snapshot {
	c := make(snapshot, len(s))
	for k, v := range s {
		c[k] = slices.Clip(v)
	}
	return c
}

// changedSince returns, ready to send, the arrays that differ from before.
func (s snapshot) changedSince(before snapshot) map[string][]json.RawMessage {
	changed := map[string][]json.RawMessage{}
	for array, entries := range s {
		if slices.EqualFunc(entries, before[array], func(a, b Entry) bool { return string(a.Raw) == string(b.Raw) }) {
			continue
		}
		raws := make([]json.RawMessage, len(entries))
		for i, en := range entries {
			raws[i] = en.Raw
		}
		changed[array] = raws
	}
	return changed
}
