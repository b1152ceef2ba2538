package main

import "testing"

func TestFullVersion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		version, commit, revision string
		want                      string
	}{
		{"0.2.0", "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d", "", "0.2.0+1a2b3c4d5e6f"},
		{"0.2.0", "1a2b3c4", "ffffffffffff", "0.2.0+1a2b3c4"},
		{"dev", "", "1a2b3c4d5e6f.dirty", "dev+1a2b3c4d5e6f.dirty"},
		{"dev", "", "", "dev"},
	} {
		if got := fullVersion(tc.version, tc.commit, tc.revision); got != tc.want {
			t.Errorf("fullVersion(%q, %q, %q) = %q, want %q", tc.version, tc.commit, tc.revision, got, tc.want)
		}
	}
}
