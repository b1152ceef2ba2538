package bench

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// requestLog records when each request reached the emulator and when it was
// answered, for timelines of a run (requests-<phase>.tsv).
type requestLog struct {
	mu      sync.Mutex
	entries []loggedRequest
}

type loggedRequest struct {
	start, end   time.Time
	method, path string
	status       int
}

func (l *requestLog) wrap(h http.Handler) http.Handler {
	return emulator.Observe(h, func(r *http.Request, status int, arrived, answered time.Time) {
		l.mu.Lock()
		l.entries = append(l.entries, loggedRequest{start: arrived, end: answered, method: r.Method, path: r.URL.Path, status: status})
		l.mu.Unlock()
	})
}

func (l *requestLog) reset() {
	l.mu.Lock()
	l.entries = nil
	l.mu.Unlock()
}

// write saves the log as tab-separated values: arrival (RFC 3339), arrival
// and answer in ms since the command started, method, path, status.
func (l *requestLog) write(path string, origin time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	b.WriteString("arrival\tstart_ms\tend_ms\tmethod\tpath\tstatus\n")
	for _, e := range l.entries {
		fmt.Fprintf(&b, "%s\t%.1f\t%.1f\t%s\t%s\t%d\n", e.start.UTC().Format(time.RFC3339Nano),
			ms(e.start.Sub(origin)), ms(e.end.Sub(origin)), e.method, e.path, e.status)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
