package emulator

import (
	"fmt"
	"os"
	"slices"
)

// Readings of what Daily does not document. Each Options field below takes
// one; the zero value picks the one the API contract calls most likely.

// DialinStore is how the per-object dial-in configs (/domain-dialin-config)
// relate to the domain's dial-in arrays [inferred].
type DialinStore string

// The readings of DialinStore.
const (
	// DialinStoreShared means the objects are the array entries. GET / shows
	// every object of a type in that type's array; a POST / of a whole array
	// replaces the objects of that type (an entry keeps the id of the object
	// with its key, objects left out are deleted, new entries become new
	// objects). Whether array entries show their id is unknown: they do not.
	DialinStoreShared DialinStore = "shared"
	// DialinStoreSeparate means the objects are a store of their own. A number
	// has one dial-in config across both stores: a POST / carrying a number
	// an object holds is refused, and so is an object on a number an array
	// entry holds.
	DialinStoreSeparate DialinStore = "separate"
)

// PutOmittedHMAC is what a PUT of a pinless object without hmac (or with
// "hmac": null) does to its secret [inferred].
type PutOmittedHMAC string

// The readings of PutOmittedHMAC.
const (
	PutOmittedHMACKeep   PutOmittedHMAC = "keep"   // the secret stays
	PutOmittedHMACRotate PutOmittedHMAC = "rotate" // a new one is minted, as an array write without hmac does
)

// PutSemantics is how a PUT of a config object treats the fields it does not
// send [inferred].
type PutSemantics string

// The readings of PutSemantics.
const (
	PutMerge   PutSemantics = "merge"   // fields not sent are kept; null clears a field
	PutReplace PutSemantics = "replace" // fields not sent are removed; null is taken as absent
)

// SipURIMinting is when Daily mints a route's sip_uri [inferred].
type SipURIMinting string

// The readings of SipURIMinting.
const (
	SipURIStable     SipURIMinting = "stable"      // once per route key, kept across writes
	SipURIOnChange   SipURIMinting = "on-change"   // anew whenever the route's other fields change
	SipURIEveryWrite SipURIMinting = "every-write" // anew on every write that carries the route (the <ms> in it may be the time of the write)
)

// SentSipURI is what Daily does with a sip_uri sent in an entry or a config
// object: it is read-only [doc], but whether a sent one is ignored or
// refused is not said [inferred]. The provider never sends it.
type SentSipURI string

// The readings of SentSipURI.
const (
	SentSipURIIgnore SentSipURI = "ignore" // dropped; the route keeps its own
	SentSipURIRefuse SentSipURI = "refuse" // 400 invalid-request-error
)

// Environment variables read by OptionsFromEnv, so that a whole test run can
// be pointed at one reading.
const (
	EnvDialinStore    = "DAILY_EMULATOR_DIALIN_STORE"     // shared | separate
	EnvPutOmittedHMAC = "DAILY_EMULATOR_PUT_OMITTED_HMAC" // keep | rotate
	EnvPutSemantics   = "DAILY_EMULATOR_PUT_SEMANTICS"    // merge | replace
	EnvSipURI         = "DAILY_EMULATOR_SIP_URI"          // stable | on-change | every-write
	EnvSentSipURI     = "DAILY_EMULATOR_SENT_SIP_URI"     // ignore | refuse
)

// The readings of each option, the default first.
var (
	AllDialinStores    = []DialinStore{DialinStoreShared, DialinStoreSeparate}
	AllPutOmittedHMACs = []PutOmittedHMAC{PutOmittedHMACKeep, PutOmittedHMACRotate}
	AllPutSemantics    = []PutSemantics{PutMerge, PutReplace}
	AllSipURIMintings  = []SipURIMinting{SipURIStable, SipURIOnChange, SipURIEveryWrite}
	AllSentSipURIs     = []SentSipURI{SentSipURIIgnore, SentSipURIRefuse}
)

// OptionsFromEnv returns base with each reading it leaves unset (zero) taken
// from the environment variables above, when set. A value that names no
// reading is an error naming the variable.
func OptionsFromEnv(base Options) (Options, error) {
	if err := fromEnv(EnvDialinStore, AllDialinStores, &base.DialinStore); err != nil {
		return base, err
	}
	if err := fromEnv(EnvPutOmittedHMAC, AllPutOmittedHMACs, &base.PutOmittedHMAC); err != nil {
		return base, err
	}
	if err := fromEnv(EnvPutSemantics, AllPutSemantics, &base.PutSemantics); err != nil {
		return base, err
	}
	if err := fromEnv(EnvSipURI, AllSipURIMintings, &base.SipURI); err != nil {
		return base, err
	}
	if err := fromEnv(EnvSentSipURI, AllSentSipURIs, &base.SentSipURI); err != nil {
		return base, err
	}
	return base, base.check()
}

func fromEnv[T ~string](name string, readings []T, field *T) error {
	value, ok := os.LookupEnv(name)
	if !ok || value == "" || *field != "" {
		return nil
	}
	if !slices.Contains(readings, T(value)) {
		return fmt.Errorf("emulator: %s=%q is none of %v", name, value, readings)
	}
	*field = T(value)
	return nil
}

// withDefaults fills the readings left unset with the defaults.
func (o *Options) withDefaults() {
	setDefault(&o.DialinStore, AllDialinStores)
	setDefault(&o.PutOmittedHMAC, AllPutOmittedHMACs)
	setDefault(&o.PutSemantics, AllPutSemantics)
	setDefault(&o.SipURI, AllSipURIMintings)
	setDefault(&o.SentSipURI, AllSentSipURIs)
}

func setDefault[T ~string](field *T, readings []T) {
	if *field == "" {
		*field = readings[0]
	}
}

// check refuses a reading that is not one of the named ones (zero is fine).
func (o Options) check() error {
	for _, c := range []struct {
		name  string
		ok    bool
		value string
	}{
		{"DialinStore", o.DialinStore == "" || slices.Contains(AllDialinStores, o.DialinStore), string(o.DialinStore)},
		{"PutOmittedHMAC", o.PutOmittedHMAC == "" || slices.Contains(AllPutOmittedHMACs, o.PutOmittedHMAC), string(o.PutOmittedHMAC)},
		{"PutSemantics", o.PutSemantics == "" || slices.Contains(AllPutSemantics, o.PutSemantics), string(o.PutSemantics)},
		{"SipURI", o.SipURI == "" || slices.Contains(AllSipURIMintings, o.SipURI), string(o.SipURI)},
		{"SentSipURI", o.SentSipURI == "" || slices.Contains(AllSentSipURIs, o.SentSipURI), string(o.SentSipURI)},
	} {
		if !c.ok {
			return fmt.Errorf("emulator: Options.%s %q is not a known reading", c.name, c.value)
		}
	}
	return nil
}

// Options returns the options the emulator runs with (a reading left zero
// is its default, the first of its All list).
func (e *Emulator) Options() Options { return e.opts }

// Readings returns the readings this emulator runs under, as "name=value"
// pairs in a fixed order, for test logs.
func (e *Emulator) Readings() string {
	o := e.opts
	return fmt.Sprintf("dialin_store=%s put_omitted_hmac=%s put_semantics=%s sip_uri=%s sent_sip_uri=%s",
		o.DialinStore, o.PutOmittedHMAC, o.PutSemantics, o.SipURI, o.SentSipURI)
}
