package emulator

import (
	"strings"
	"testing"
)

func TestOptionsFromEnv(t *testing.T) {
	t.Setenv(EnvDialinStore, "separate")
	t.Setenv(EnvPutOmittedHMAC, "rotate")
	t.Setenv(EnvPutSemantics, "")
	t.Setenv(EnvSipURI, "on-change")
	got, err := OptionsFromEnv(Options{Seed: 3, SipURI: SipURIStable})
	if err != nil {
		t.Fatal(err)
	}
	// Unset readings come from the environment; a reading the caller set stays.
	if got.Seed != 3 || got.DialinStore != DialinStoreSeparate || got.PutOmittedHMAC != PutOmittedHMACRotate ||
		got.PutSemantics != "" || got.SipURI != SipURIStable {
		t.Fatalf("got %+v", got)
	}
	if r := New(got).Readings(); r != "dialin_store=separate put_omitted_hmac=rotate put_semantics=merge sip_uri=stable sent_sip_uri=ignore" {
		t.Fatalf("readings %q", r)
	}
	if r := New(Options{}).Readings(); r != "dialin_store=shared put_omitted_hmac=keep put_semantics=merge sip_uri=stable sent_sip_uri=ignore" {
		t.Fatalf("defaults %q", r)
	}

	t.Setenv(EnvDialinStore, "both")
	if _, err := OptionsFromEnv(Options{}); err == nil || !strings.Contains(err.Error(), EnvDialinStore) {
		t.Fatalf("bad value: %v", err)
	}
}

func TestNewRefusesUnknownReadings(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(error).Error(), "PutSemantics") {
			t.Fatalf("recovered %v", r)
		}
	}()
	New(Options{PutSemantics: "patch"})
}
