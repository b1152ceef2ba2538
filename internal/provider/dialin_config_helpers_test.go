package provider

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/daily-tf/terraform-provider-daily/internal/emulator"
)

// The config resources' tests run under every reading of how Daily's config
// objects relate to its arrays (emulator.DialinStore), each with PUTs that
// mint a new secret when they leave it out: the provider must lose no
// secret and no route under any of them. On the live API they run once,
// under whatever Daily does, and log what each reading predicts where the
// readings differ (see predict).

// configReading is one emulator reading a config test runs under.
type configReading struct {
	name string
	opts emulator.Options
}

var configReadings = []configReading{
	{"shared", emulator.Options{DialinStore: emulator.DialinStoreShared, PutOmittedHMAC: emulator.PutOmittedHMACRotate}},
	{"separate", emulator.Options{DialinStore: emulator.DialinStoreSeparate, PutOmittedHMAC: emulator.PutOmittedHMACRotate}},
}

// liveMode reports whether acceptance tests run against the live API (see newAccEnv).
func liveMode() bool {
	return os.Getenv("DAILY_ACC_LIVE") == "1" && os.Getenv(envAPIKey) != ""
}

// forEachStoreReading runs test once per configReading, in parallel
// subtests of their own, each against an emulator of that reading (opts,
// at most one, may set the others, and another PutOmittedHMAC); on the
// live API, once.
func forEachStoreReading(t *testing.T, test func(t *testing.T, env *accEnv), opts ...emulator.Options) {
	t.Helper()
	if liveMode() {
		t.Run("live", func(t *testing.T) { test(t, newAccEnv(t)) })
		return
	}
	for _, r := range configReadings {
		o := r.opts
		if len(opts) > 0 {
			base := opts[0]
			base.DialinStore = o.DialinStore
			if base.PutOmittedHMAC == "" {
				base.PutOmittedHMAC = o.PutOmittedHMAC
			}
			o = base
		}
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			test(t, newAccEnv(t, o))
		})
	}
}

// predict logs, at a point where the readings of Daily's config objects
// differ, what each predicts and what Daily did, so that a live run settles
// which reading is Daily's. sharedSays and separateSays are what the shared
// and separate store readings predict; observed is what happened, as one of
// them. On the emulator, whose reading is known, a wrong observation fails
// the test: the observation itself is tested there.
func predict(t *testing.T, env *accEnv, point, sharedSays, separateSays string, observedShared bool) {
	t.Helper()
	verdict := "the separate reading"
	if observedShared {
		verdict = "the shared reading"
	}
	t.Logf("READING %s: under the shared reading %s; under the separate reading %s. Daily did what %s predicts.",
		point, sharedSays, separateSays, verdict)
	if env.Emu != nil {
		if want := env.storeReading() == emulator.DialinStoreShared; observedShared != want {
			t.Errorf("READING %s: the emulator (%s) did what %s predicts", point, env.Emu.Readings(), verdict)
		}
	}
}

// predictSecret is predict for what a PUT that leaves out the secret does
// to it (emulator.PutOmittedHMAC).
func predictSecret(t *testing.T, env *accEnv, point string, rotated bool) {
	t.Helper()
	verdict := "keep"
	if rotated {
		verdict = "rotate"
	}
	t.Logf("READING %s: a PUT without hmac either keeps the object's secret (keep) or mints a new one (rotate). Daily did: %s.", point, verdict)
	if env.Emu != nil {
		if want := env.secretReading() == emulator.PutOmittedHMACRotate; rotated != want {
			t.Errorf("READING %s: the emulator (%s) did: %s", point, env.Emu.Readings(), verdict)
		}
	}
}

// storeReading is the emulator's DialinStore reading.
func (e *accEnv) storeReading() emulator.DialinStore {
	return emulator.DialinStore(e.reading("dialin_store"))
}

// secretReading is the emulator's PutOmittedHMAC reading.
func (e *accEnv) secretReading() emulator.PutOmittedHMAC {
	return emulator.PutOmittedHMAC(e.reading("put_omitted_hmac"))
}

// reading is the value of one reading in the emulator's Readings.
func (e *accEnv) reading(name string) string {
	for _, field := range strings.Fields(e.Emu.Readings()) {
		if k, v, _ := strings.Cut(field, "="); k == name {
			return v
		}
	}
	return ""
}

// inArray reports whether the array holds an entry with key.
func inArray(store dialinStore, array, key string) bool {
	return slices.Contains(keysOf(store, array), key)
}

// newAccEnv takes the readings a test leaves unset from DAILY_EMULATOR_*,
// so that DAILY_EMULATOR_DIALIN_STORE=separate make test runs every
// acceptance test under the other store reading; a test's own reading wins.
// Not parallel: it sets the process's environment.
func TestNewAccEnvTakesReadingsFromEnvironment(t *testing.T) {
	if liveMode() {
		t.Skip("about the emulator")
	}
	t.Setenv(emulator.EnvDialinStore, string(emulator.DialinStoreSeparate))
	t.Setenv(emulator.EnvPutOmittedHMAC, string(emulator.PutOmittedHMACRotate))
	if env := newAccEnv(t); env.storeReading() != emulator.DialinStoreSeparate || env.secretReading() != emulator.PutOmittedHMACRotate {
		t.Errorf("the environment's readings were not taken: %s", env.Emu.Readings())
	}
	if env := newAccEnv(t, emulator.Options{DialinStore: emulator.DialinStoreShared}); env.storeReading() != emulator.DialinStoreShared {
		t.Errorf("the test's own reading lost to the environment's: %s", env.Emu.Readings())
	}
}
