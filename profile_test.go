package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestProfiling(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "profiles")
	p, err := startProfiling(dir)
	if err != nil {
		t.Fatal(err)
	}
	p.stop()
	p.stop() // a SIGTERM after Serve returned must not write twice
	prefix := filepath.Join(dir, strconv.Itoa(os.Getpid())+"-")
	for _, name := range []string{"cpu.pprof", "heap.pprof", "heap-peak.pprof", "mem-peak.txt", "mem-exit.txt"} {
		info, err := os.Stat(prefix + name)
		if err != nil || info.Size() == 0 {
			t.Errorf("%s: %v, %v", name, info, err)
		}
	}
	mem, err := os.ReadFile(prefix + "mem-exit.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\nrss ", "/gc/heap/live:bytes ", "/memory/classes/total:bytes "} {
		if !strings.Contains(string(mem), want) {
			t.Errorf("mem-exit.txt lacks %q:\n%s", want, mem)
		}
	}
}
