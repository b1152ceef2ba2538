package bench

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// procWatcher records the peak resident set size (VmHWM) and CPU time of
// every process running the provider binary, and Terraform's own peak.
// Terraform starts and stops the provider itself, once or more per command;
// the kernel keeps each process's high-water mark and CPU time, so polling
// only has to catch each process shortly before it exits (CPU time used in
// its last 20 ms may be missed).
type procWatcher struct {
	stopped chan struct{}
	done    sync.WaitGroup
	stats   procStats
}

// clockTick is USER_HZ, the unit of /proc/<pid>/stat times: 100 on every
// Linux platform Go supports.
const clockTick = 10 * time.Millisecond

// watchProcesses polls /proc for processes whose executable is binary, and
// for terraformPID.
func watchProcesses(binary string, terraformPID int) *procWatcher {
	w := &procWatcher{stopped: make(chan struct{})}
	w.done.Go(func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		cpu := map[string]int64{} // ticks, by /proc directory
		tfDir := "/proc/" + strconv.Itoa(terraformPID)
		for {
			w.stats.terraformRSS = max(w.stats.terraformRSS, statusField(tfDir, "VmHWM:")*1024)
			dirs, _ := filepath.Glob("/proc/[0-9]*")
			for _, dir := range dirs {
				if exe, err := os.Readlink(filepath.Join(dir, "exe")); err != nil || exe != binary {
					continue
				}
				w.stats.peakRSS = max(w.stats.peakRSS, statusField(dir, "VmHWM:")*1024)
				if ticks, ok := cpuTicks(dir); ok {
					cpu[dir] = ticks
				}
			}
			select {
			case <-tick.C:
			case <-w.stopped:
				for _, t := range cpu {
					w.stats.cpu += time.Duration(t) * clockTick
				}
				return
			}
		}
	})
	return w
}

// stop ends the polling and returns what it saw.
func (w *procWatcher) stop() procStats {
	close(w.stopped)
	w.done.Wait()
	return w.stats
}

// statusField is a "Name: value kB" field of /proc/<pid>/status, 0 if absent.
func statusField(dir, name string) int64 {
	status, err := os.ReadFile(filepath.Join(dir, "status"))
	if err != nil {
		return 0 // exited meanwhile
	}
	for line := range bytes.Lines(status) {
		if v, ok := bytes.CutPrefix(line, []byte(name)); ok {
			n, _ := strconv.ParseInt(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(v), []byte("kB")))), 10, 64)
			return n
		}
	}
	return 0
}

// cpuTicks is utime + stime of /proc/<pid>/stat.
func cpuTicks(dir string) (int64, bool) {
	stat, err := os.ReadFile(filepath.Join(dir, "stat"))
	if err != nil {
		return 0, false
	}
	// Fields after the command name, which may hold spaces, start at state (3).
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, false
	}
	f := bytes.Fields(stat[i+1:])
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(string(f[11]), 10, 64)
	stime, err2 := strconv.ParseInt(string(f[12]), 10, 64)
	return utime + stime, err1 == nil && err2 == nil
}
