package dialin

// keyHistory is what this engine did to each key, per array.
type keyHistory struct {
	// claimed keys were written or taken over by a Create or Put. A later
	// Delete leaves them: in one walk Terraform deletes an object holding a
	// key before creating its successor, or after the successor took the key
	// over, never the successor itself.
	claimed map[string]map[string]bool
	// removed holds the entries Deletes removed, as they were. A later Create
	// or Put of the key starts from it, so the route keeps its hmac, sip_uri
	// and unknown fields instead of getting a new secret.
	removed map[string]map[string]Entry
}

func (h *keyHistory) claim(array, key string) {
	if h.claimed == nil {
		h.claimed = map[string]map[string]bool{}
	}
	if h.claimed[array] == nil {
		h.claimed[array] = map[string]bool{}
	}
	h.claimed[array][key] = true
}

func (h *keyHistory) remove(array string, e Entry) {
	if h.removed == nil {
		h.removed = map[string]map[string]Entry{}
	}
	if h.removed[array] == nil {
		h.removed[array] = map[string]Entry{}
	}
	h.removed[array][e.Key()] = e
}
