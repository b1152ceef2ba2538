package provider

import (
	"fmt"
	"testing"
)

// Another writer of the domain's dial-in config, such as a dashboard tab or a
// script that read the arrays just before the provider's write and saves its
// copy just after: the emulator's stale writer (emulator.StaleWriter). Daily
// has no compare-and-set, so the provider's defence is the read that
// confirms each write (internal/dialin/confirm.go). These tests check that
// it covers all four dial-in resources, every write (repairs included) and
// everything a change decided: values set, fields cleared, secrets kept.

// TestAccDialinStaleWriter applies, for each of the four dial-in resources,
// a create of 30 routes, a change of 10 webhooks (PIN routes: greetings),
// timeout_config cleared on 10 routes (PIN routes: ivr_greeting) and a
// removal of 20, each while another writer undoes the apply's first write
// and the first repair of it, 100 ms after each. Every apply must succeed
// with Daily exact when it has ended and again 0.5 s later: values set,
// fields cleared, no secret rotated (the state's is Daily's, and stays),
// unmanaged entries and fields byte for byte; the next plan is empty.
func TestAccDialinStaleWriter(t *testing.T) {
	t.Parallel()
	for _, res := range staleResources {
		t.Run(res.String(), func(t *testing.T) {
			t.Parallel()
			r := newStaleRun(t, res, staleRoutes)
			k := res.kind
			r.step("a create of 30 routes", func() { r.addRoutes(r.numbers) })
			r.step("a change of 10 routes", func() {
				for i, number := range r.numbers[10:20] {
					c := r.routes[number]
					if k.secret {
						c.webhook = fmt.Sprintf("https://hooks.example/r%d/v2", 10+i)
					} else {
						c.greeting = fmt.Sprintf("Greeting %d, second version", 10+i)
					}
					r.routes[number] = c
				}
			})
			r.step("a field cleared on 10 routes", func() {
				for _, number := range r.numbers[:10] {
					c := r.routes[number]
					if c.timeout == "" && c.greeting == "" {
						t.Fatalf("route %s has nothing to clear", number)
					}
					c.timeout, c.greeting = "", ""
					r.routes[number] = c
				}
			})
			r.step("a removal of 20 routes", func() {
				for _, number := range r.numbers[10:] {
					delete(r.routes, number)
				}
			})
		})
	}
}
