//go:build !linux

package bench

import (
	"errors"
	"os"
)

// peakRSS is measured on Linux only, where getrusage reports it in KiB.
func peakRSS(*os.ProcessState) (int64, error) {
	return 0, errors.New("peak memory is measured on Linux only")
}
