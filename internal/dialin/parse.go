package dialin

import "encoding/json"

// ParseEntry parses one entry of a dial-in array as Daily sent it, for code
// outside this package that reads entries by key (Entry.Key).
func ParseEntry(raw json.RawMessage) (Entry, error) {
	return parseEntry(raw)
}
