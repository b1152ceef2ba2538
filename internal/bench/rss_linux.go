package bench

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// rssWatcher records the peak resident set size (VmHWM) of every process
// running the provider binary. Terraform starts and stops the provider
// itself, once per command; the kernel keeps each process's high-water mark,
// so polling only has to catch each process before it exits.
type rssWatcher struct {
	stopped chan struct{}
	done    sync.WaitGroup
	peak    int64 // bytes
}

// watchRSS polls /proc for processes whose executable is binary.
func watchRSS(binary string) *rssWatcher {
	w := &rssWatcher{stopped: make(chan struct{})}
	w.done.Go(func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			w.peak = max(w.peak, highWaterMark(binary))
			select {
			case <-tick.C:
			case <-w.stopped:
				return
			}
		}
	})
	return w
}

// stop ends the polling and returns the highest VmHWM seen, in bytes.
func (w *rssWatcher) stop() int64 {
	close(w.stopped)
	w.done.Wait()
	return w.peak
}

// highWaterMark is the largest VmHWM of the processes running binary.
func highWaterMark(binary string) int64 {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var peak int64
	for _, dir := range dirs {
		if exe, err := os.Readlink(filepath.Join(dir, "exe")); err != nil || exe != binary {
			continue
		}
		status, err := os.ReadFile(filepath.Join(dir, "status"))
		if err != nil {
			continue // exited meanwhile
		}
		for line := range bytes.Lines(status) {
			if v, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
				kib, _ := strconv.ParseInt(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(v), []byte("kB")))), 10, 64)
				peak = max(peak, kib*1024)
			}
		}
	}
	return peak
}
