package fleet_test

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/evidence"
	"github.com/lockstep-iac/lockstep/fleet"
	"github.com/lockstep-iac/lockstep/internal/golden"
	"github.com/lockstep-iac/lockstep/report"
)

// TestFixtureReport: the fixture fleet in every format, against golden
// files, with no secret in any of them.
func TestFixtureReport(t *testing.T) {
	d := runFleet(t, fixtureOptions())
	out := render(t, d)
	for _, name := range []string{"json", "markdown", "text", "html"} {
		if name != "html" { // the HTML is checked by parsing it (html_test.go)
			golden.Assert(t, "fixture."+name, out[name])
		}
		for _, s := range fixtureSecrets(t) {
			if bytes.Contains(out[name], []byte(s)) {
				t.Errorf("%s report holds the secret %q", name, s)
			}
		}
	}
	want := map[string]evidence.Status{"alpha": evidence.StatusParity, "bravo": evidence.StatusFindings, "charlie": evidence.StatusFindings,
		"delta": evidence.StatusInputError, "echo": evidence.StatusNotComparable, "foxtrot": evidence.StatusFindings}
	for _, s := range d.Stacks {
		if s.Status != want[s.Name] {
			t.Errorf("stack %s: %s, want %s", s.Name, s.Status, want[s.Name])
		}
	}
	if got := fleet.ExitCode(d, check.FailOnError); got != check.ExitFailure {
		t.Errorf("exit %d with an input error, want 2", got)
	}
}

// TestReproducible: the same inputs and as-of day give the same bytes,
// whatever the parallelism.
func TestReproducible(t *testing.T) {
	var first []byte
	for _, p := range []int{1, 4, 2} {
		opts := fixtureOptions()
		opts.Parallelism = p
		js := render(t, runFleet(t, opts))["json"]
		if first == nil {
			first = js
		} else if !bytes.Equal(first, js) {
			t.Fatalf("parallelism %d gave other bytes", p)
		}
	}
}

// TestExitCode: 2 for an input error, else 1 for findings at fail-on,
// else 0.
func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		name    string
		summary evidence.Summary
		failOn  check.FailOn
		want    int
	}{
		{"input error wins", evidence.Summary{InputError: 1}, check.FailOnNever, 2},
		{"errors", evidence.Summary{Findings: sum(1, 0)}, check.FailOnError, 1},
		{"warnings at error", evidence.Summary{Findings: sum(0, 3)}, check.FailOnError, 0},
		{"warnings at warning", evidence.Summary{Findings: sum(0, 3)}, check.FailOnWarning, 1},
		{"never", evidence.Summary{Findings: sum(5, 3)}, check.FailOnNever, 0},
		{"clean", evidence.Summary{}, check.FailOnWarning, 0},
	} {
		if got := fleet.ExitCode(&evidence.Document{Summary: tc.summary}, tc.failOn); got != tc.want {
			t.Errorf("%s: exit %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestDiscoverErrors: patterns that cannot find a fleet are usage errors
// naming the pattern.
func TestDiscoverErrors(t *testing.T) {
	for _, tc := range []struct {
		patterns []string
		want     string
	}{
		{nil, "needs stacks: --inputs PATTERN"},
		{[]string{fixtureDir + "exports/{stack}/production.json"}, "{stack} and {env} once each"},
		{[]string{fixtureDir + "exports/{stack}/{env}.nothing"}, "matches no file"},
		{[]string{fixtureDir + "exports/{stack}/{env}.json", fixtureDir + "exports/{stack}/{env}.json"}, "two inputs for environment"},
	} {
		_, err := fleet.Discover(tc.patterns)
		if _, ok := err.(*check.UsageError); !ok || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want a usage error saying %q", tc.patterns, err, tc.want)
		}
	}
	stacks, err := fleet.Discover([]string{"./" + fixtureDir + "exports/{stack}/{env}.tfstate"})
	if err != nil || len(stacks) != 1 || stacks[0].Name != "alpha" || len(stacks[0].Inputs) != 3 {
		t.Errorf("a ./ pattern: %+v, %v; want alpha with 3 inputs", stacks, err)
	}
}

func sum(errors, warnings int) (s report.Summary) {
	s.Errors, s.Warnings = errors, warnings
	return s
}

// TestDeclaredStacks: stacks from lockstep.hcl's stacks and stack blocks,
// without --inputs, a stack's own config named in its block; a stack both
// declared and found is a usage error.
func TestDeclaredStacks(t *testing.T) {
	opts := fixtureOptions()
	opts.Patterns, opts.ConfigFile = nil, fixtureDir+"declared.hcl"
	d := runFleet(t, opts)
	got := map[string]evidence.Status{}
	for _, s := range d.Stacks {
		got[s.Name] = s.Status
	}
	want := map[string]evidence.Status{"alpha": evidence.StatusParity, "bravo": evidence.StatusFindings, "charlie": evidence.StatusFindings}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stacks %v, want %v", got, want)
	}
	if w := d.Stacks[2].Waivers; len(w) != 2 {
		t.Errorf("charlie's waivers %+v: its own config was not read", w)
	}
	opts.Patterns = []string{fixtureDir + "exports/{stack}/{env}.json"}
	_, err := fleet.Run(context.Background(), opts)
	if _, ok := err.(*check.UsageError); !ok || !strings.Contains(err.Error(), `stack "bravo" is declared`) {
		t.Errorf("a stack declared and found: %v", err)
	}
}

// TestProgress: a call before the first stack, then one per stack, done
// counting up to the total.
func TestProgress(t *testing.T) {
	opts := fixtureOptions()
	var done []int
	opts.Progress = func(d, total int, stack string) {
		if total != 6 || (stack == "") != (d == 0) {
			t.Errorf("progress %d/%d %q", d, total, stack)
		}
		done = append(done, d)
	}
	runFleet(t, opts)
	if !reflect.DeepEqual(done, []int{0, 1, 2, 3, 4, 5, 6}) {
		t.Errorf("progress calls %v", done)
	}
}
