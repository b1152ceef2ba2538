package dialin

import "sync"

// keyHistory is what this engine did to each key of each array (or, for a
// config object, of the array its type names).
type keyHistory struct {
	mu sync.Mutex
	// claimed keys were written or taken over by a Create or Put (or an
	// object's create or update). A later Delete leaves them: in one walk
	// Terraform deletes an object holding a key before creating its
	// successor, or after the successor took the key over, never the
	// successor itself.
	claimed map[arrayKey]bool
	// removed holds the entries Deletes removed, as they were. A later Create
	// or Put of the key starts from it, so the route keeps its hmac, sip_uri
	// and unknown fields instead of getting a new secret.
	removed map[arrayKey]Entry
	// objects holds the keys of config objects this engine created or
	// updated, by the array their type names. Under the reading where
	// objects are the arrays' entries, such an object shows in the array:
	// a Delete of the key's entry that ran before it is confirmed by it.
	objects map[arrayKey]bool
	// deleting counts the array Deletes of each key under way.
	deleting map[arrayKey]int
}

// arrayKey names one route: the key of an entry of an array.
type arrayKey struct{ array, key string }

func newKeyHistory() *keyHistory {
	return &keyHistory{claimed: map[arrayKey]bool{}, removed: map[arrayKey]Entry{}, objects: map[arrayKey]bool{}, deleting: map[arrayKey]int{}}
}

func (h *keyHistory) claim(k arrayKey)          { h.mark(h.claimed, k) }
func (h *keyHistory) isClaimed(k arrayKey) bool { return h.marked(h.claimed, k) }

func (h *keyHistory) claimObject(k arrayKey)    { h.mark(h.objects, k) }
func (h *keyHistory) hasObject(k arrayKey) bool { return h.marked(h.objects, k) }

// mark adds k to set, one of the history's sets of keys (claimed,
// objects), under the history's lock; marked reads it.
func (h *keyHistory) mark(set map[arrayKey]bool, k arrayKey) {
	h.mu.Lock()
	defer h.mu.Unlock()
	set[k] = true
}

func (h *keyHistory) marked(set map[arrayKey]bool, k arrayKey) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return set[k]
}

func (h *keyHistory) remove(k arrayKey, e Entry) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removed[k] = e
}

func (h *keyHistory) removedEntry(k arrayKey) (Entry, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.removed[k]
	return e, ok
}

// startDelete records an array Delete of k under way; the returned func
// records its end.
func (h *keyHistory) startDelete(k arrayKey) (done func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.deleting[k]++
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.deleting[k]--
	}
}

// isBeingDeleted reports whether an array Delete of k is under way.
func (h *keyHistory) isBeingDeleted(k arrayKey) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.deleting[k] > 0
}
