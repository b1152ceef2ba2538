//go:build !linux

package bench

import "time"

// procWatcher reads /proc, which only Linux has: elsewhere memory and
// provider CPU time are 0.
type procWatcher struct{}

type procStats struct {
	peakRSS      int64
	processes    int
	cpu          time.Duration
	terraformRSS int64
}

func watchProcesses(string, int) *procWatcher { return &procWatcher{} }

func (*procWatcher) stop() procStats { return procStats{} }
