package emulator

import (
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
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		seen(r, sw.status, arrived, time.Now())
	})
}

// statusWriter records the status; Unwrap lets drop hijack the connection
// through http.ResponseController.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
