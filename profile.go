package main

import (
	"bytes"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// profileEnv names a directory into which the provider process writes pprof
// profiles of itself (for benchmarks; off when unset):
//
//   - <pid>-cpu.pprof: CPU profile of the whole process life;
//   - <pid>-heap.pprof: heap profile at exit, after a GC (live heap at exit;
//     -sample_index=alloc_space shows every allocation of the run);
//   - <pid>-heap-peak.pprof and <pid>-mem-peak.txt: heap profile and Go
//     memory statistics when the resident set last grew by 5 % (so within
//     5 % of its peak), with the kernel's split of the resident set;
//   - <pid>-mem-exit.txt: Go memory statistics at exit.
//
// Terraform ends a provider by calling go-plugin's Shutdown RPC, which stops
// the gRPC server and makes Serve return; Terraform kills the process if it
// has not exited 2 s later. The profiles are written after Serve returns, and
// on SIGTERM.
const profileEnv = "DAILY_PROVIDER_PROFILE"

// profiler writes the profiles described at profileEnv.
type profiler struct {
	prefix  string
	cpu     *os.File
	stopped chan struct{}
	done    sync.WaitGroup
	once    sync.Once
}

// startProfiling starts profiling into dir; stop must be called at exit.
func startProfiling(dir string) (*profiler, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	p := &profiler{
		prefix:  filepath.Join(dir, strconv.Itoa(os.Getpid())+"-"),
		stopped: make(chan struct{}),
	}
	cpu, err := os.Create(p.prefix + "cpu.pprof")
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		cpu.Close()
		return nil, err
	}
	p.cpu = cpu
	p.done.Go(p.watchPeak)

	// go-plugin ignores SIGINT (Terraform forwards Ctrl-C by RPC); a SIGTERM
	// would end the process without running deferred functions.
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	go func() {
		if _, ok := <-term; ok {
			p.stop()
			os.Exit(143)
		}
	}()
	return p, nil
}

// watchPeak samples the resident set every 100 ms and writes a heap profile
// whenever it exceeds the last one written by 5 %: the last profile written
// is within 5 % of the peak. A heap profile shows the heap as of the last
// completed GC, which runs often while the heap grows.
func (p *profiler) watchPeak() {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var written int64
	for {
		if rss := residentBytes(); rss > written+written/20 {
			written = rss
			p.writeHeap("heap-peak.pprof")
			p.writeMem("mem-peak.txt", rss)
		}
		select {
		case <-tick.C:
		case <-p.stopped:
			return
		}
	}
}

// stop ends the CPU profile and writes the exit profiles; it runs once.
func (p *profiler) stop() {
	p.once.Do(func() {
		close(p.stopped)
		p.done.Wait()
		pprof.StopCPUProfile()
		p.cpu.Close()
		rss := residentBytes()
		runtime.GC() // the heap profile shows the heap as of the last GC
		p.writeHeap("heap.pprof")
		p.writeMem("mem-exit.txt", rss)
	})
}

func (p *profiler) writeHeap(name string) {
	f, err := os.Create(p.prefix + name)
	if err != nil {
		return
	}
	defer f.Close()
	_ = pprof.Lookup("heap").WriteTo(f, 0)
}

// writeMem writes the resident set and the runtime's memory metrics:
// where the process's memory is, from Go's point of view.
func (p *profiler) writeMem(name string, rss int64) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "time %s\nrss %d\nGOGC %q GOMEMLIMIT %q\n", time.Now().Format(time.RFC3339Nano), rss, os.Getenv("GOGC"), os.Getenv("GOMEMLIMIT"))
	// The kernel's split of the resident set: anonymous memory (Go's heap,
	// stacks, runtime metadata) and file pages (the executable itself).
	if status, err := os.ReadFile("/proc/self/status"); err == nil {
		for line := range bytes.Lines(status) {
			for _, key := range []string{"VmHWM:", "VmRSS:", "RssAnon:", "RssFile:", "Threads:"} {
				if bytes.HasPrefix(line, []byte(key)) {
					b.Write(bytes.Join(bytes.Fields(line), []byte(" ")))
					b.WriteByte('\n')
				}
			}
		}
	}
	var samples []metrics.Sample
	for _, d := range metrics.All() {
		if d.Kind == metrics.KindUint64 && (strings.HasPrefix(d.Name, "/memory/") || strings.HasPrefix(d.Name, "/gc/") || strings.HasPrefix(d.Name, "/sched/goroutines")) {
			samples = append(samples, metrics.Sample{Name: d.Name})
		}
	}
	metrics.Read(samples)
	for _, s := range samples {
		fmt.Fprintf(&b, "%s %d\n", s.Name, s.Value.Uint64())
	}
	_ = os.WriteFile(p.prefix+name, b.Bytes(), 0o644)
}

// residentBytes is this process's resident set (Linux; 0 elsewhere).
func residentBytes() int64 {
	statm, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	fields := bytes.Fields(statm)
	if len(fields) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(string(fields[1]), 10, 64)
	return pages * int64(os.Getpagesize())
}
