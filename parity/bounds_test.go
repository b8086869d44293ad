package parity_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/report"
)

// numbers returns a list of n numbers from offset.
func numbers(n, offset int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = num(strconv.Itoa(i + offset))
	}
	return out
}

// TestNumbers: numbers compare by value, exactly, whatever their size or
// exponent; huge exponents cost nothing and reach the facts as text.
func TestNumbers(t *testing.T) {
	tests := []struct {
		a, b    string
		differs bool
		// shown are the values the facts show, when they differ.
		shown [2]any
	}{
		{"18446744073709551617", "18446744073709551616", true, [2]any{num("18446744073709551617"), num("18446744073709551616")}},
		{"0.30000000000000000000001", "0.3", true, [2]any{num("0.30000000000000000000001"), num("0.3")}},
		{"1e2", "100.0", false, [2]any{}},
		{"-0", "0", false, [2]any{}},
		{"-0.0e5", "0", false, [2]any{}},
		{"-1", "1", true, [2]any{num("-1"), num("1")}},
		{"1e100000000", "10E+99999999", false, [2]any{}},
		{"1e100000000", "2e100000000", true, [2]any{"1e100000000", "2e100000000"}},
		{"1e-100000000", "0", true, [2]any{"1e-100000000", num("0")}},
		{"1e1000000000000000000", "1", true, [2]any{"1e1000000000000000000", num("1")}},
		{"1e-1000000000000000000", "1e-1000000000000000001", true, [2]any{"1e-1000000000000000000", "1e-1000000000000000001"}},
	}
	for _, tt := range tests {
		t.Run(tt.a+" vs "+tt.b, func(t *testing.T) {
			// Now in a list too: the mismatched-shape comparison uses the
			// canonical text.
			f := pair(t,
				snap(res("aws_x.a", vals{"n": num(tt.a), "l": []any{num(tt.a)}, "m": vals{"k": []any{num(tt.a)}}})),
				snap(res("aws_x.a", vals{"n": num(tt.b), "l": []any{num(tt.b)}, "m": vals{"k": []any{num(tt.b), "x"}}})))
			r := resource(t, f, "aws_x.a")
			want := []string{"m.k"}
			if tt.differs {
				want = []string{"l.0", "m.k", "n"}
			}
			if got := paths(r); !slices.Equal(got, want) {
				t.Fatalf("paths %v, want %v", got, want)
			}
			if tt.differs {
				a := attr(t, r, "n")
				if a.Now["staging"] != tt.shown[0] || a.Now["production"] != tt.shown[1] {
					t.Errorf("shown %#v, want %#v", a.Now, tt.shown)
				}
			}
		})
	}
}

// TestPlanChangesNumbers: a plan that rewrites a number in another
// spelling does not change it.
func TestPlanChangesNumbers(t *testing.T) {
	f := pair(t,
		snap(planned("aws_x.a", vals{"n": num("100"), "m": num("1")}, vals{"n": num("1e2"), "m": num("1.0000000000000000000001")}, "update")),
		snap(res("aws_x.a", vals{"n": num("5"), "m": num("2")})))
	r := resource(t, f, "aws_x.a")
	if a := attr(t, r, "n"); len(a.Changed) != 0 {
		t.Errorf("n changed by %v: 100 and 1e2 are one value", a.Changed)
	}
	if a := attr(t, r, "m"); !slices.Equal(a.Changed, []string{"staging"}) {
		t.Errorf("m changed by %v, want staging", a.Changed)
	}
}

// TestBoundedAttributes: a resource lists at most MaxPaths differing paths,
// the first in walk order, and counts the rest, however they were found.
func TestBoundedAttributes(t *testing.T) {
	const n = 1000
	first := func(k int) []string {
		var out []string
		for i := 0; i < k; i++ {
			out = append(out, "l."+strconv.Itoa(i))
		}
		slices.Sort(out)
		return out
	}
	keys := func(k int, prefix string) vals {
		m := vals{}
		for i := 0; i < k; i++ {
			m[fmt.Sprintf("k%04d", i)] = prefix + strconv.Itoa(i)
		}
		return m
	}
	tests := []struct {
		name    string
		f       *parity.Facts
		want    []string
		omitted int
	}{
		{
			name: "a list that differs now and after",
			f:    pair(t, snap(res("aws_x.a", vals{"l": numbers(n, 0)})), snap(res("aws_x.a", vals{"l": numbers(n, 1)}))),
			want: first(parity.MaxPaths), omitted: n - parity.MaxPaths,
		},
		{
			// Differs now in one half, after in the other half: each path
			// is counted once.
			name: "now and after differ at different paths",
			f: pair(t,
				snap(planned("aws_x.a", vals{"l": numbers(n, 0)}, vals{"l": append(numbers(n/2, 0), numbers(n/2, 5000)...)}, "update")),
				snap(res("aws_x.a", vals{"l": append(numbers(n/2, 1), numbers(n/2, n/2)...)}))),
			want: first(parity.MaxPaths), omitted: n - parity.MaxPaths,
		},
		{
			name: "map keys in sorted order",
			f:    pair(t, snap(res("aws_x.a", vals{"m": keys(n, "a")})), snap(res("aws_x.a", vals{"m": keys(n, "b")}))),
			want: func() []string {
				var out []string
				for i := 0; i < parity.MaxPaths; i++ {
					out = append(out, fmt.Sprintf("m.k%04d", i))
				}
				return out
			}(),
			omitted: n - parity.MaxPaths,
		},
		{
			name: "exactly MaxPaths",
			f:    pair(t, snap(res("aws_x.a", vals{"l": numbers(parity.MaxPaths, 0)})), snap(res("aws_x.a", vals{"l": numbers(parity.MaxPaths, 1)}))),
			want: first(parity.MaxPaths),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := resource(t, tt.f, "aws_x.a")
			if got := paths(r); !slices.Equal(got, tt.want) {
				t.Errorf("paths %v\nwant %v", got, tt.want)
			}
			if r.AttributesOmitted != tt.omitted {
				t.Errorf("omitted %d, want %d", r.AttributesOmitted, tt.omitted)
			}
		})
	}
}

// TestBoundedUnknown: a path unknown after a plan is listed when a plan
// changes it, and then counts against the bound like any other.
func TestBoundedUnknown(t *testing.T) {
	const n = 300
	mask := make([]any, n)
	for i := range mask {
		mask[i] = true
	}
	stg := withUnknown(planned("aws_x.a", vals{"l": numbers(n, 0)}, vals{"l": make([]any, n)}, "update"), vals{"l": mask})
	f := pair(t, snap(stg), snap(res("aws_x.a", vals{"l": numbers(n, 0)})))
	r := resource(t, f, "aws_x.a")
	if len(r.Attributes) != parity.MaxPaths || r.AttributesOmitted != n-parity.MaxPaths {
		t.Fatalf("%d paths, %d omitted; want %d, %d", len(r.Attributes), r.AttributesOmitted, parity.MaxPaths, n-parity.MaxPaths)
	}
	if a := r.Attributes[0]; a.Path != "l.0" || !slices.Equal(a.Unknown, []string{"staging"}) || !slices.Equal(a.Changed, []string{"staging"}) {
		t.Errorf("first %+v", a)
	}
}

// TestBoundedSharedSecrets: at most MaxPaths shared-secret paths.
func TestBoundedSharedSecrets(t *testing.T) {
	const n = 250
	secrets := make([]any, n)
	for i := range secrets {
		secrets[i] = sens(fmt.Sprintf("h%d", i))
	}
	f := pair(t, snap(res("aws_x.a", vals{"s": secrets})), snap(res("aws_x.a", vals{"s": secrets})))
	r := resource(t, f, "aws_x.a")
	if len(r.SharedSecrets) != parity.MaxPaths || r.SharedSecretsOmitted != n-parity.MaxPaths {
		t.Errorf("%d shared, %d omitted; want %d, %d", len(r.SharedSecrets), r.SharedSecretsOmitted, parity.MaxPaths, n-parity.MaxPaths)
	}
}

// TestBoundedPromotion: a promotion lists at most MaxPaths paths.
func TestBoundedPromotion(t *testing.T) {
	const n = 500
	f := build(t, parity.Options{Target: "production", Envs: []parity.Env{
		env("staging", snap(res("aws_x.a", vals{"l": numbers(n, 0)}))),
		env("production", snap(planned("aws_x.a", vals{"l": numbers(n, 0)}, vals{"l": numbers(n, 7)}, "update"))),
	}})
	p := resource(t, f, "aws_x.a").Promotion
	if p == nil || len(p.Paths) != parity.MaxPaths || p.PathsOmitted != n-parity.MaxPaths {
		t.Fatalf("promotion %+v", p)
	}
	if p.Paths[0].Path != "l.0" || p.Paths[0].Target != num("7") || p.Paths[0].Previous != num("0") {
		t.Errorf("first path %+v", p.Paths[0])
	}
}

// TestBoundedDrift: a drift entry lists at most MaxPaths attributes.
func TestBoundedDrift(t *testing.T) {
	const n = 400
	f := pair(t, snap(), withDrift(snap(), drifted("aws_x.a", vals{"l": numbers(n, 0)}, vals{"l": numbers(n, 1)}, "update")))
	if len(f.Drift) != 1 {
		t.Fatalf("drift %v", f.Drift)
	}
	d := f.Drift[0]
	if len(d.Attributes) != parity.MaxPaths || d.AttributesOmitted != n-parity.MaxPaths || d.Attributes[parity.MaxPaths-1].Path != "l.99" {
		t.Errorf("%d attributes, %d omitted, last %+v", len(d.Attributes), d.AttributesOmitted, d.Attributes[len(d.Attributes)-1])
	}
}

// TestBoundedValues: values shown keep MaxValueBytes of a string and
// MaxValueElements elements, with what was cut said; secrets stay hidden.
func TestBoundedValues(t *testing.T) {
	long := strings.Repeat("é", parity.MaxValueBytes) // 2 bytes a character
	bigList := make([]any, 300)
	for i := range bigList {
		bigList[i] = "x"
	}
	bigMap := vals{}
	for i := 0; i < 150; i++ {
		bigMap[fmt.Sprintf("k%03d", i)] = sens("h")
	}
	shownList := append(slices.Repeat([]any{"x"}, parity.MaxValueElements), "… (200 more elements)")
	shownMap := map[string]any{"…": "(50 more keys)"}
	for i := 0; i < parity.MaxValueElements; i++ {
		shownMap[fmt.Sprintf("k%03d", i)] = report.SensitiveText
	}
	nested := []any{[]any{"a", "b"}, bigList}
	shownNested := []any{[]any{"a", "b"}, append(slices.Repeat([]any{"x"}, parity.MaxValueElements-4), "… (204 more elements)")}
	tests := []struct {
		name  string
		value any
		want  any
	}{
		{"long string", long, long[:parity.MaxValueBytes] + fmt.Sprintf("… (%d bytes)", len(long))},
		{"cut at a character", "a" + long, "a" + long[:parity.MaxValueBytes-2] + fmt.Sprintf("… (%d bytes)", len(long)+1)},
		{"string at the bound", long[:parity.MaxValueBytes], long[:parity.MaxValueBytes]},
		{"long number", num("1" + strings.Repeat("0", parity.MaxValueBytes)), "1" + strings.Repeat("0", parity.MaxValueBytes-1) + fmt.Sprintf("… (%d bytes)", parity.MaxValueBytes+1)},
		{"big list", bigList, shownList},
		{"big map", bigMap, shownMap},
		{"budget across levels", nested, shownNested},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := pair(t, snap(res("aws_x.a", vals{"v": tt.value})), snap(res("aws_x.a", vals{"v": "other"})))
			got := attr(t, resource(t, f, "aws_x.a"), "v").Now["staging"]
			if !reflect.DeepEqual(got, tt.want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(tt.want)
				t.Errorf("shown\n%.300s\nwant\n%.300s", g, w)
			}
		})
	}
}

// TestBoundedMemory: a million-element list that differs everywhere is
// compared without a path kept per element. The facts stay a few
// kilobytes, and what the comparison keeps alive is a small part of the
// input (unbounded, it kept an attribute with two maps per element: over
// a kilobyte each).
func TestBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("compares a million elements")
	}
	const n = 1_000_000
	staging := snap(res("aws_x.a", vals{"l": numbers(n, 0)}))
	production := snap(res("aws_x.a", vals{"l": numbers(n, 1)}))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var peak uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // sample the live heap while Build runs
		defer close(done)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapAlloc)
			}
		}
	}()
	f := pair(t, staging, production)
	close(stop)
	<-done
	runtime.ReadMemStats(&after)
	peak = max(peak, after.HeapAlloc)
	if grown := int64(peak) - int64(before.HeapAlloc); grown > 200<<20 {
		t.Errorf("the heap grew by %d MB while comparing, want under 200 MB", grown>>20)
	}
	r := resource(t, f, "aws_x.a")
	if len(r.Attributes) != parity.MaxPaths || r.AttributesOmitted != n-parity.MaxPaths {
		t.Errorf("%d paths, %d omitted", len(r.Attributes), r.AttributesOmitted)
	}
	b, _ := json.Marshal(f)
	if len(b) > 64<<10 {
		t.Errorf("facts of %d bytes", len(b))
	}
}
