package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// A stand-in, with the same shape, for what the owner of internal/dialin is
// adding: dialin.AmbiguousKeys, and *dialin.AmbiguousKeyError, which the
// engine's Create, Put and Delete will return for a key several entries
// hold. When they land, delete this file: use dialin.AmbiguousKeys in
// arrayKind.splitOdd and *dialin.AmbiguousKeyError in routeResource, and drop
// the checkUnambiguous calls, which the engine then makes under its lock
// against the array it writes, not against the last one read.

// ambiguousKeys lists, sorted, the keys that several entries hold.
func ambiguousKeys(entries []dialin.Entry) []string {
	count := map[string]int{}
	for _, e := range entries {
		count[e.Key()]++
	}
	var keys []string
	for key, n := range count {
		if n > 1 {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys)
	return keys
}

// ambiguousKeyError refuses to write or delete the route with a key that
// several entries of the array hold: which one is meant cannot be told.
type ambiguousKeyError struct {
	Array, Key string
}

func (e *ambiguousKeyError) Error() string {
	return fmt.Sprintf("%s holds several entries for %s, which cannot be told apart", e.Array, e.Key)
}

// checkUnambiguous fails with *ambiguousKeyError when several entries of
// array hold key, as the engine's shared reads last saw the array. A read
// that fails checks nothing: the write that follows reads again, and its
// error is the one to report.
func checkUnambiguous(ctx context.Context, engine *dialin.Engine, array, key string) error {
	entries, err := engine.Entries(ctx, array)
	if err == nil && slices.Contains(ambiguousKeys(entries), key) {
		return &ambiguousKeyError{Array: array, Key: key}
	}
	return nil
}
