// Command daily-emulator serves the in-memory Daily API emulator on a loopback
// address for demos and manual testing. Once listening it prints one line,
//
//	DAILY_API_URL=http://127.0.0.1:PORT/v1 DAILY_API_KEY=KEY
//
// to stdout, logs every request to stderr, and exits on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "daily-emulator:", err)
		}
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("daily-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address; loopback hosts only")
	key := fs.String("key", "emulator-key", "API key the emulator accepts")
	seed := fs.Int64("seed", 0, "seed for the number inventory and random choices")
	latency := fs.Duration("latency", 0, "delay added to every request")
	failRate := fs.Float64("fail-rate", 0, "fraction of requests answered 429/500/503 before any work")
	dropRate := fs.Float64("drop-rate", 0, "fraction of requests applied, then dropped without an answer")
	rateLimit := fs.Bool("rate-limit", false, "enforce 20 requests/s, answering 429 rate-limit-error")
	sendTests := fs.Bool("send-test-requests", false, `POST {"Test":"test"} to each room_creation_api when pinless_dialin is set`)
	seedNumbers := fs.Int("seed-numbers", 0, "pre-purchase N numbers, bought 30 days ago so they can be released")
	messy := fs.Bool("messy-account", false, "seed an account made by hand over years: 130 numbers (+1312555xxxx), 100 pinless and 12 PIN routes, SIP-only interconnects (odd ones included) and a few dial-in config objects")
	// Readings of what Daily does not document; unset, each comes from its
	// environment variable, else the default (the first reading named).
	dialinStore := fs.String("dialin-store", "", readingUsage("how dial-in config objects relate to the domain arrays", emulator.EnvDialinStore, emulator.AllDialinStores))
	putHMAC := fs.String("put-omitted-hmac", "", readingUsage("what a PUT of a config object without hmac does to its secret", emulator.EnvPutOmittedHMAC, emulator.AllPutOmittedHMACs))
	putSemantics := fs.String("put-semantics", "", readingUsage("how a PUT of a config object treats the fields it leaves out", emulator.EnvPutSemantics, emulator.AllPutSemantics))
	sipURI := fs.String("sip-uri", "", readingUsage("when a route's sip_uri is minted", emulator.EnvSipURI, emulator.AllSipURIMintings))
	sentSipURI := fs.String("sent-sip-uri", "", readingUsage("what a sip_uri sent with an entry or object does", emulator.EnvSentSipURI, emulator.AllSentSipURIs))
	staleCopies := fs.Int("stale-copies", 0, "play a stale writer: undo this many client writes of the dial-in arrays in a row, each by writing back the arrays as they were just before it")
	staleDelay := fs.Duration("stale-delay", 100*time.Millisecond, "how long after a client's write the stale writer writes its copy back")
	staleObjects := fs.Bool("stale-objects", false, "writes of dial-in config objects trigger the stale writer too")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkLoopback(*addr); err != nil {
		return err
	}
	opts, err := emulator.OptionsFromEnv(emulator.Options{
		APIKey: *key, Seed: *seed, SendTestRequests: *sendTests,
		DialinStore:    emulator.DialinStore(*dialinStore),
		PutOmittedHMAC: emulator.PutOmittedHMAC(*putHMAC),
		PutSemantics:   emulator.PutSemantics(*putSemantics),
		SipURI:         emulator.SipURIMinting(*sipURI),
		SentSipURI:     emulator.SentSipURI(*sentSipURI),
	})
	if err != nil {
		return err
	}

	e := emulator.New(opts)
	defer e.Close()
	inv := e.Available()
	if *seedNumbers < 0 || *seedNumbers > len(inv) {
		return fmt.Errorf("-seed-numbers must be between 0 and %d", len(inv))
	}
	for _, n := range inv[:*seedNumbers] {
		e.SeedPurchased(n.Number, e.Now().Add(-30*24*time.Hour))
	}
	if *messy {
		e.SeedMessyAccount()
	}
	e.SetFaults(emulator.Faults{Latency: *latency, FailRate: *failRate, DropRate: *dropRate, RateLimit: *rateLimit})
	e.SetStaleWriter(emulator.StaleWriter{Delay: *staleDelay, Copies: *staleCopies, Objects: *staleObjects})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	logger := log.New(stderr, "", log.LstdFlags|log.Lmicroseconds)
	logger.Printf("readings: %s", e.Readings())
	srv := &http.Server{Handler: logRequests(e, logger), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "DAILY_API_URL=http://%s/v1 DAILY_API_KEY=%s\n", ln.Addr(), e.APIKey())

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

func readingUsage[T ~string](what, env string, readings []T) string {
	names := make([]string, len(readings))
	for i, r := range readings {
		names[i] = string(r)
	}
	return fmt.Sprintf("%s: %s (default $%s, else %s)", what, strings.Join(names, " or "), env, readings[0])
}

// checkLoopback refuses addresses that would expose the emulator beyond this machine.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr: %w", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr %s: only loopback hosts (127.0.0.1, ::1, localhost) are allowed", addr)
	}
	return nil
}

func logRequests(next http.Handler, logger *log.Logger) http.Handler {
	return emulator.Observe(next, func(r *http.Request, status int, arrived, answered time.Time) {
		outcome := fmt.Sprint(status)
		if status == 0 {
			outcome = "dropped"
		}
		logger.Printf("%s %s %s %v", r.Method, r.URL.RequestURI(), outcome, answered.Sub(arrived).Round(time.Microsecond))
	})
}
