package address

import (
	"reflect"
	"testing"
)

// FuzzRoundTrip: any text either fails with a *SyntaxError or reads as steps
// that render to text reading back as the same steps, and rendering is
// then stable; the same holds for Parse and for patterns.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range []string{
		"aws_instance.web[0]", `module.net["eu.west"].data.aws_vpc.main`, `a.b["a\"].c"]`,
		`a.b["\u00e9\U0001F600\n"]`, `a.b["$${x}%%{y}"]`, "a.b[007]", "module.*[*].x", "a[0][1]",
		`a["\ud800"]`, "a..b", "a.b\xff", `module.a["x`, "module.a.module.b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, parse := range []func(string) ([]Step, error){Steps, PatternSteps} {
			steps, err := parse(s)
			if err != nil {
				if _, ok := err.(*SyntaxError); !ok {
					t.Fatalf("%q: error %T is not a *SyntaxError", s, err)
				}
				continue
			}
			r := Render(steps)
			again, err := parse(r)
			if err != nil {
				t.Fatalf("%q renders as %q, which does not read back: %v", s, r, err)
			}
			if !reflect.DeepEqual(again, steps) {
				t.Fatalf("%q: %#v renders as %q, which reads as %#v", s, steps, r, again)
			}
			if r2 := Render(again); r2 != r {
				t.Fatalf("%q: render is not stable: %q then %q", s, r, r2)
			}
		}
		a, err := Parse(s)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("Parse(%q): error %T is not a *SyntaxError", s, err)
			}
		} else {
			b, err := Parse(a.String())
			if err != nil || !reflect.DeepEqual(a, b) {
				t.Fatalf("Parse(%q) = %+v renders as %q, which reads as %+v, %v", s, a, a.String(), b, err)
			}
		}
		_, _ = ModulePath(s)
	})
}
