package emulator

import (
	"bufio"
	"net"
	"net/http"
	"time"
)

// Observe calls seen after each request next served, with the status it
// answered (0: dropped without an answer, as a Faults.DropRate fault does)
// and when it arrived and was answered: for request logs around a served
// emulator.
func Observe(next http.Handler, seen func(r *http.Request, status int, arrived, answered time.Time)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived := time.Now()
		ow := &observedWriter{ResponseWriter: w, report: func(status int) { seen(r, status, arrived, time.Now()) }}
		next.ServeHTTP(ow, r)
		if !ow.hijacked {
			ow.report(ow.status)
		}
	})
}

// observedWriter records the status of an answer. A dropped request is
// reported before its connection is taken over: from then on the server no
// longer tracks the handler (httptest.Server.Close does not wait for it), so
// an observation made after the drop could come after the server is closed.
type observedWriter struct {
	http.ResponseWriter
	report   func(status int)
	status   int
	hijacked bool
}

func (w *observedWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (w *observedWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Hijack reports the request as dropped (status 0), then hands over the
// connection; http.ResponseController finds it here.
func (w *observedWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.hijacked = true
	w.report(0)
	return http.NewResponseController(w.ResponseWriter).Hijack()
}
