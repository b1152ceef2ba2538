package bench

import (
	"errors"
	"os"
	"syscall"
)

// peakRSS returns the peak resident set size of an exited process, in bytes.
func peakRSS(ps *os.ProcessState) (int64, error) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, errors.New("no resource usage for the provider process")
	}
	return ru.Maxrss * 1024, nil // KiB on Linux
}
