package bench

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// providerProcess is the provider binary running in debug mode, which
// Terraform reattaches to instead of starting (and stopping) it per command.
// Running it as our own child is what lets us read its peak memory.
type providerProcess struct {
	cmd      *exec.Cmd
	reattach string // value for TF_REATTACH_PROVIDERS
	exited   chan error
}

const reattachPrefix = "TF_REATTACH_PROVIDERS='"

// startProvider runs binary -debug and waits for the reattach configuration
// it prints. The provider's own stdout and stderr go to logFile.
func startProvider(binary string, logFile io.Writer) (*providerProcess, error) {
	cmd := exec.Command(binary, "-debug")
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &providerProcess{cmd: cmd, exited: make(chan error, 1)}

	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(logFile, line)
			if _, rest, ok := strings.Cut(line, reattachPrefix); ok {
				found <- strings.TrimSuffix(rest, "'")
			}
		}
		// Wait only after stdout is drained, as os/exec requires.
		p.exited <- cmd.Wait()
	}()

	select {
	case p.reattach = <-found:
		return p, nil
	case err := <-p.exited:
		return nil, fmt.Errorf("provider exited before printing its reattach configuration: %v", err)
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-p.exited
		return nil, errors.New("provider printed no reattach configuration within 30s")
	}
}

// stop interrupts the provider (its debug mode ends on SIGINT) and returns
// the peak resident set size of its whole life, in bytes.
func (p *providerProcess) stop() (int64, error) {
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		return 0, err
	}
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
	return peakRSS(p.cmd.ProcessState)
}
