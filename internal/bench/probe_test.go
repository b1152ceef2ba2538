package bench

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestProbe(t *testing.T) {
	if os.Getenv("PROBE") == "" {
		t.Skip()
	}
	opts := Options{Terraform: "/usr/local/bin/terraform", Provider: "/tmp/probe/terraform-provider-daily", Latency: 50 * time.Millisecond, Parallelism: 10, KeepDir: true}
	for _, sc := range []Scenario{{Kind: Routes, N: 300}} {
		r, err := Run(context.Background(), opts, sc)
		t.Logf("%s: %+v err=%v", sc, r, err)
	}
}
