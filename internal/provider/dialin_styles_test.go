package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// One dial-in array managed in two styles in one configuration, two
// exclusive resources or an exclusive resource beside a per-route one, is
// refused at plan time, naming both resources, before any write: the
// exclusive resource would delete the others' routes on every apply.
func TestAccDialinArray_mixedStylesRefused(t *testing.T) {
	t.Parallel()
	type named struct{ address, description string } // either names a resource in the error
	exclusive := func(typ, name, number string) named {
		return named{typ + "." + name, "the " + typ + " with routes " + number}
	}
	route := func(typ, name, number string) named {
		what := `with room_creation_api = "https://hooks.example.test/` + name + `"`
		if typ == "daily_pin_dialin_route" {
			what = `with name_prefix = "room-` + name + `"`
		}
		return named{typ + "." + name, "a " + typ + " " + what + ", for " + number}
	}
	for _, tc := range []struct {
		name   string
		config func(numbers []string) string
		want   []string // in order, whichever resource reports
		names  func(numbers []string) []named
	}{
		{"two daily_pinless_dialin", func(n []string) string {
			return wholeArrayConfig("daily_pinless_dialin", "all", n[0]) + wholeArrayConfig("daily_pinless_dialin", "more", n[1])
		}, []string{"Dial-in array managed twice", "The pinless_dialin array is managed whole by this daily_pinless_dialin and by another resource",
			"Keep one daily_pinless_dialin per domain"},
			func(n []string) []named {
				return []named{exclusive("daily_pinless_dialin", "all", n[0]), exclusive("daily_pinless_dialin", "more", n[1])}
			}},
		{"two daily_pin_dialin", func(n []string) string {
			return wholeArrayConfig("daily_pin_dialin", "all", n[0]) + wholeArrayConfig("daily_pin_dialin", "more", n[1])
		}, []string{"Dial-in array managed twice", "The pin_dialin array is managed whole by this daily_pin_dialin"},
			func(n []string) []named {
				return []named{exclusive("daily_pin_dialin", "all", n[0]), exclusive("daily_pin_dialin", "more", n[1])}
			}},
		{"daily_pinless_dialin and a route", func(n []string) string {
			return wholeArrayConfig("daily_pinless_dialin", "all", n[0]) + singleRouteConfig("daily_pinless_dialin_route", "r", fmt.Sprintf("%q", n[1]), "r")
		}, []string{"Dial-in array managed twice", "daily_pinless_dialin removes every route it does not declare",
			"with daily_pinless_dialin alone or with resources of single routes such as daily_pinless_dialin_route, never both"},
			func(n []string) []named {
				return []named{exclusive("daily_pinless_dialin", "all", n[0]), route("daily_pinless_dialin_route", "r", n[1])}
			}},
		{"daily_pin_dialin and a route", func(n []string) string {
			return singleRouteConfig("daily_pin_dialin_route", "r", fmt.Sprintf("%q", n[1]), "r") + wholeArrayConfig("daily_pin_dialin", "all", n[0])
		}, []string{"Dial-in array managed twice", "daily_pin_dialin removes every route it does not declare",
			"with daily_pin_dialin alone or with resources of single routes such as daily_pin_dialin_route, never both"},
			func(n []string) []named {
				return []named{exclusive("daily_pin_dialin", "all", n[0]), route("daily_pin_dialin_route", "r", n[1])}
			}},
		{"a route to a number bought in the same apply", func(n []string) string {
			return wholeArrayConfig("daily_pinless_dialin", "all", n[0]) +
				"resource \"daily_phone_number\" \"new\" {\n  number = \"+14155550199\"\n}\n" +
				singleRouteConfig("daily_pinless_dialin_route", "r", "daily_phone_number.new.number", "r")
		}, []string{"Dial-in array managed twice", "daily_pinless_dialin removes every route it does not declare"},
			func(n []string) []named {
				return []named{exclusive("daily_pinless_dialin", "all", n[0]), route("daily_pinless_dialin_route", "r", "")}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newAccEnv(t)
			env.RequireEmulator(t)
			numbers := env.Numbers(t, 2)
			env.availableNumber(t, "415", "+14155550199")
			wd := newCLIWorkdir(t)
			wd.write(env.ProviderConfig() + tc.config(numbers))
			err := wd.tryApply()
			if err == nil || !errorPattern(tc.want...).MatchString(err.Error()) {
				t.Fatalf("got %v\nwant an error with %q", err, tc.want)
			}
			// The resource that reports is named by Terraform (with <address>),
			// the other by the provider's description of it.
			for _, n := range tc.names(numbers) {
				description := strings.TrimSuffix(n.description, ", for ") // a number known only after apply
				if !errorPattern("with "+n.address+",").MatchString(err.Error()) && !errorPattern(description).MatchString(err.Error()) {
					t.Errorf("the error does not name %s (%q):\n%v", n.address, description, err)
				}
			}
			for _, write := range []string{"POST /", "POST /buy-phone-number"} {
				if n := env.Emu.Count(write); n != 0 {
					t.Errorf("%d %s requests reached Daily, want none", n, write)
				}
			}
		})
	}
}

// Styles on different arrays mix freely, and a style change of one array
// in one apply is no mix: the resource being destroyed or forgotten
// declares nothing.
func TestAccDialinArray_stylesChangedInOneApply(t *testing.T) {
	t.Parallel()
	t.Run("exclusive pinless beside pin routes", func(t *testing.T) {
		t.Parallel()
		env := newAccEnv(t)
		numbers := env.Numbers(t, 2)
		wd := newCLIWorkdir(t)
		wd.write(env.ProviderConfig() + wholeArrayConfig("daily_pinless_dialin", "all", numbers[0]) +
			singleRouteConfig("daily_pin_dialin_route", "r", fmt.Sprintf("%q", numbers[1]), "r"))
		wd.apply()
		if err := checkArrayKeys(env.Dialin(t), client.PinDialin, numbers[1])(); err != nil {
			t.Error(err)
		}
	})
	for _, tc := range []struct {
		name, array, exclusive, route string
		toRoutes                      bool // else to the exclusive resource
		forget                        bool // with removed blocks, else destroying
	}{
		{"pinless, exclusive destroyed for routes", client.PinlessDialin, "daily_pinless_dialin", "daily_pinless_dialin_route", true, false},
		{"pinless, routes destroyed for exclusive", client.PinlessDialin, "daily_pinless_dialin", "daily_pinless_dialin_route", false, false},
		{"pinless, exclusive forgotten for imported routes", client.PinlessDialin, "daily_pinless_dialin", "daily_pinless_dialin_route", true, true},
		{"pin, routes forgotten for exclusive", client.PinDialin, "daily_pin_dialin", "daily_pin_dialin_route", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newAccEnv(t)
			env.RequireEmulator(t)
			numbers := env.Numbers(t, 2)
			wd := newCLIWorkdir(t)
			if tc.forget {
				wd.require(removedBlocksForget)
			}
			exclusive := wholeArrayConfig(tc.exclusive, "all", numbers...)
			routes := singleRouteConfig(tc.route, "r0", fmt.Sprintf("%q", numbers[0]), numbers[0]) + singleRouteConfig(tc.route, "r1", fmt.Sprintf("%q", numbers[1]), numbers[1])
			from, to := exclusive, routes
			if !tc.toRoutes {
				from, to = routes, exclusive
			}
			wd.write(env.ProviderConfig() + from)
			wd.apply()
			before := env.Emu.DialinArray(tc.array)
			if !tc.forget {
				// Planned together, the destroy and the creates are no mix,
				// and the routes keep their entries (secrets included), in
				// whichever order Terraform runs the two.
				wd.write(env.ProviderConfig() + to)
				wd.apply()
				if err := checkUntouched(env.Emu, tc.array, before)(); err != nil {
					t.Error(err)
				}
				if wd.planHasChanges() {
					t.Error("the plan after the change of style is not empty")
				}
				return
			}
			var forget strings.Builder
			forgotten := []string{tc.exclusive + ".all"}
			if !tc.toRoutes {
				forgotten = []string{tc.route + ".r0", tc.route + ".r1"}
			}
			for _, address := range forgotten {
				fmt.Fprintf(&forget, "removed {\n  from = %s\n  lifecycle {\n    destroy = false\n  }\n}\n", address)
			}
			if tc.toRoutes {
				for i, n := range numbers {
					fmt.Fprintf(&forget, "import {\n  to = %s.r%d\n  id = %q\n}\n", tc.route, i, n)
				}
			}
			wd.write(env.ProviderConfig() + to + forget.String())
			env.Emu.ResetCounts()
			wd.apply()
			if tc.toRoutes {
				if n := env.Emu.Count("POST /"); n != 0 {
					t.Errorf("importing the routes sent %d writes to Daily, want none", n)
				}
			}
			if err := checkUntouched(env.Emu, tc.array, before)(); err != nil {
				t.Error(err)
			}
			if wd.planHasChanges() {
				t.Error("the plan after the change of style is not empty")
			}
		})
	}
}

// wholeArrayConfig is an exclusive resource of type typ, named name, holding
// a route for each number, as singleRouteConfig declares it with the number as tag.
func wholeArrayConfig(typ, name string, numbers ...string) string {
	var routes strings.Builder
	for _, n := range numbers {
		if typ == "daily_pinless_dialin" {
			fmt.Fprintf(&routes, "    %q = { room_creation_api = \"https://hooks.example.test/%s\" }\n", n, n)
		} else {
			fmt.Fprintf(&routes, "    %q = { name_prefix = \"room-%s\" }\n", n, n)
		}
	}
	return fmt.Sprintf("resource %q %q {\n  routes = {\n%s  }\n}\n", typ, name, routes.String())
}

// singleRouteConfig is a per-route resource of type typ, named name, whose
// phone_number is the expression number, and whose webhook (pinless) or
// name_prefix (pin) ends in tag.
func singleRouteConfig(typ, name, number, tag string) string {
	body := fmt.Sprintf("  room_creation_api = \"https://hooks.example.test/%s\"", tag)
	if typ == "daily_pin_dialin_route" {
		body = fmt.Sprintf("  name_prefix = \"room-%s\"", tag)
	}
	return fmt.Sprintf("resource %q %q {\n  phone_number = %s\n%s\n}\n", typ, name, number, body)
}
