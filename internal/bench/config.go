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
	// Configs is one daily_pinless_dialin_config (an object of
	// /domain-dialin-config) per number, via for_each. Its floor is the
	// per-route map floor: the same terraform_data configuration.
	Configs
)

func (k Kind) String() string {
	switch k {
	case Exclusive:
		return "daily_pinless_dialin"
	case Configs:
		return "daily_pinless_dialin_config"
	}
	return "daily_pinless_dialin_route"
}

// perNumber reports whether the kind is one resource per number, for_each
// over local.routes.
func (k Kind) perNumber() bool { return k == Routes || k == Configs }

// Mode is how a scenario manages its shape.
type Mode int

const (
	// Batched is the provider with its defaults (dialin_batch_window 100ms).
	Batched Mode = iota
	// Naive sets dialin_batch_window = "0s": every change makes its own
	// GET, POST and confirming GET, and every read its own GET.
	Naive
	// Floor is the same shape as Terraform's built-in terraform_data, with
	// no provider at all: what Terraform itself costs. For Routes and Configs, N
	// terraform_data resources written as a user writes them, for_each over
	// a map of the routes with input = each.value (the floor the bars use);
	// for Exclusive, one terraform_data whose input is the whole map of
	// routes.
	Floor
	// FloorSet is the per-route floor written for_each = toset(a list of
	// numbers), each input built from each.value: the floor of the earlier
	// benchmarks, which costs Terraform itself about 2.5 times the map
	// shape at N = 1000. Routes only.
	FloorSet
)

func (m Mode) String() string {
	switch m {
	case Naive:
		return "naive"
	case Floor:
		return "floor"
	case FloorSet:
		return "floor-toset"
	}
	return "batched"
}

// numbers returns n distinct E.164 numbers for the emulator to seed.
func numbers(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("+1212555%04d", i)
	}
	return out
}

// webhook is the room_creation_api of the route for the number in expr.
const webhook = `"https://example.com/calls/${trimprefix(%s, "+")}"`

// IsFloor reports whether the mode is a floor: terraform_data, no provider.
func (m Mode) IsFloor() bool { return m == Floor || m == FloorSet }

// configuration renders the Terraform configuration of a scenario. The
// floor configurations hold the same values in terraform_data and need no
// provider to be installed. Per-number resources are written as a user
// writes them, for_each over a map of the routes (local.routes), except the
// toset floor.
func configuration(sc Scenario, apiURL, apiKey string, nums []string) string {
	var b strings.Builder
	if !sc.Mode.IsFloor() {
		fmt.Fprintf(&b, `terraform {
  required_providers {
    daily = { source = "daily-tf/daily" }
  }
}

provider "daily" {
  api_url = %q
  api_key = %q
`, apiURL, apiKey)
		if sc.Mode == Naive {
			b.WriteString("  dialin_batch_window = \"0s\"\n")
		}
		b.WriteString("}\n\n")
	}
	b.WriteString("locals {\n  numbers = [\n")
	for _, n := range nums {
		fmt.Fprintf(&b, "    %q,\n", n)
	}
	b.WriteString("  ]\n")
	if sc.Kind.perNumber() && sc.Mode != FloorSet {
		fmt.Fprintf(&b, `  routes = {
    for n in local.numbers : n => {
      phone_number      = n
      room_creation_api = %s
    }
  }
`, fmt.Sprintf(webhook, "n"))
	}
	b.WriteString("}\n\n")
	switch {
	case sc.Kind == Routes && sc.Mode == FloorSet:
		fmt.Fprintf(&b, `resource "terraform_data" "r" {
  for_each = toset(local.numbers)
  input = {
    phone_number      = each.value
    room_creation_api = %s
  }
}
`, fmt.Sprintf(webhook, "each.value"))
	case sc.Kind.perNumber() && sc.Mode == Floor:
		b.WriteString(`resource "terraform_data" "r" {
  for_each = local.routes
  input    = each.value
}
`)
	case sc.Kind == Routes:
		b.WriteString(`resource "daily_pinless_dialin_route" "r" {
  for_each          = local.routes
  phone_number      = each.value.phone_number
  room_creation_api = each.value.room_creation_api
}
`)
	case sc.Kind == Configs:
		b.WriteString(`resource "daily_pinless_dialin_config" "c" {
  for_each          = local.routes
  phone_number      = each.value.phone_number
  room_creation_api = each.value.room_creation_api
}
`)
	case sc.Kind == Exclusive && sc.Mode == Floor:
		fmt.Fprintf(&b, `resource "terraform_data" "all" {
  input = { for n in local.numbers : n => { room_creation_api = %s } }
}
`, fmt.Sprintf(webhook, "n"))
	case sc.Kind == Exclusive:
		fmt.Fprintf(&b, `resource "daily_pinless_dialin" "all" {
  routes = { for n in local.numbers : n => { room_creation_api = %s } }
}
`, fmt.Sprintf(webhook, "n"))
	}
	return b.String()
}
