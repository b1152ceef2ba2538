package bench

import (
	"fmt"
	"strings"
)

// Kind is the resource shape a scenario manages.
type Kind int

const (
	// Routes is one daily_pinless_dialin_route per number, via for_each.
	Routes Kind = iota
	// Exclusive is one daily_pinless_dialin holding every number.
	Exclusive
)

func (k Kind) String() string {
	if k == Exclusive {
		return "daily_pinless_dialin"
	}
	return "daily_pinless_dialin_route"
}

// numbers returns n distinct E.164 numbers for the emulator to seed.
func numbers(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("+1212555%04d", i)
	}
	return out
}

// configuration renders the Terraform configuration of a scenario.
// batchWindow is the provider's dialin_batch_window; "" keeps its default.
func configuration(kind Kind, apiURL, apiKey, batchWindow string, nums []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `terraform {
  required_providers {
    daily = { source = "daily-tf/daily" }
  }
}

provider "daily" {
  api_url = %q
  api_key = %q
`, apiURL, apiKey)
	if batchWindow != "" {
		fmt.Fprintf(&b, "  dialin_batch_window = %q\n", batchWindow)
	}
	b.WriteString("}\n\nlocals {\n  numbers = [\n")
	for _, n := range nums {
		fmt.Fprintf(&b, "    %q,\n", n)
	}
	b.WriteString("  ]\n}\n\n")
	const webhook = `"https://example.com/calls/${trimprefix(%s, "+")}"`
	switch kind {
	case Routes:
		fmt.Fprintf(&b, `resource "daily_pinless_dialin_route" "r" {
  for_each          = toset(local.numbers)
  phone_number      = each.value
  room_creation_api = %s
}
`, fmt.Sprintf(webhook, "each.value"))
	case Exclusive:
		fmt.Fprintf(&b, `resource "daily_pinless_dialin" "all" {
  routes = { for n in local.numbers : n => { room_creation_api = %s } }
}
`, fmt.Sprintf(webhook, "n"))
	}
	return b.String()
}
