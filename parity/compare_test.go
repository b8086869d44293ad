package parity_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/snapshot"
)

func TestIgnore(t *testing.T) {
	staging := snap(res("aws_x.a", vals{
		"id": "a-1", "arn": "arn:1", "created_at": "2024-01-01", "name": "a",
		"nested": []any{vals{"id": "n-1", "last_modified": "t1", "size": "1"}},
	}))
	production := snap(res("aws_x.a", vals{
		"id": "a-2", "arn": "arn:2", "created_at": "2025-01-01", "name": "b",
		"nested": []any{vals{"id": "n-2", "last_modified": "t2", "size": "2"}},
	}))
	tests := []struct {
		name   string
		ignore []string
		want   []string
	}{
		{"default", nil, []string{"name", "nested.0.size"}},
		{"custom", []string{"name", "size"}, []string{"arn", "created_at", "id", "nested.0.id", "nested.0.last_modified"}},
		{"nothing", []string{}, []string{"arn", "created_at", "id", "name", "nested.0.id", "nested.0.last_modified", "nested.0.size"}},
		{"a container", []string{"nested", "id", "arn", "created_at"}, []string{"name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := parity.Options{Envs: []parity.Env{env("staging", staging), env("production", production)}}
			f, err := parity.Build(opts)
			if tt.ignore != nil {
				f, err = parity.BuildIgnoring(opts, tt.ignore)
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := paths(resource(t, f, "aws_x.a")); !slices.Equal(got, tt.want) {
				t.Errorf("paths %v, want %v", got, tt.want)
			}
		})
	}
	for _, k := range []string{"id", "arn", "created_at", "timestamp", "etag"} {
		if !slices.Contains(parity.DefaultIgnore, k) {
			t.Errorf("DefaultIgnore lacks %q", k)
		}
	}
}

func TestUnknown(t *testing.T) {
	staging := snap(
		withUnknown(planned("aws_x.a", vals{"v": "1", "out": "o1"}, vals{"v": "2"}, "update"), vals{"out": true}),
		withUnknown(planned("aws_x.new", nil, vals{}, "create"), true),
		withUnknown(planned("aws_x.idle", vals{"out": "o"}, vals{}), vals{"out": true}),
		withUnknown(planned("aws_x.partial", nil, vals{"v": "1"}, "create"), vals{"out": true}),
		withUnknown(planned("aws_x.both", nil, vals{"v": "1"}, "create"), vals{"out": true}),
	)
	production := snap(
		res("aws_x.a", vals{"v": "1", "out": "o2"}),
		res("aws_x.new", vals{"v": "1", "out": "x"}),
		res("aws_x.idle", vals{"out": "p"}),
		res("aws_x.partial", vals{"v": "1", "out": "x"}),
		res("aws_x.both", vals{"v": "1", "out": nil}),
	)
	f := pair(t, staging, production)

	a := resource(t, f, "aws_x.a")
	out := attr(t, a, "out")
	if out.DiffersAfter || !out.DiffersNow || !slices.Equal(out.Unknown, []string{"staging"}) || !slices.Equal(out.Changed, []string{"staging"}) {
		t.Errorf("out: %+v", out)
	}
	if out.After["staging"] != parity.UnknownText || out.After["production"] != "o2" || out.Now["staging"] != "o1" {
		t.Errorf("out values now %v after %v", out.Now, out.After)
	}
	v := attr(t, a, "v")
	if v.DiffersNow || !v.DiffersAfter || len(v.Unknown) != 0 || !slices.Equal(v.Changed, []string{"staging"}) {
		t.Errorf("v: %+v", v)
	}

	// A create whose after is entirely unknown differs from nothing, but
	// every path it touches is listed as changed and unknown.
	n := resource(t, f, "aws_x.new")
	for _, a := range n.Attributes {
		if a.DiffersAfter || a.DiffersNow || !slices.Equal(a.Unknown, []string{"staging"}) || !slices.Equal(a.Changed, []string{"staging"}) {
			t.Errorf("new %s: %+v", a.Path, a)
		}
		if _, ok := a.Now["staging"]; ok {
			t.Errorf("new %s: staging has no current object but shows %v", a.Path, a.Now["staging"])
		}
	}
	if n.Envs[0].Now || !n.Envs[0].After || n.Envs[0].Action != "create" {
		t.Errorf("new envs %+v", n.Envs)
	}

	partial := resource(t, f, "aws_x.partial")
	if got := paths(partial); !slices.Equal(got, []string{"out"}) {
		t.Fatalf("partial: paths %v, want only the unknown out", got)
	}
	if o := attr(t, partial, "out"); o.DiffersAfter || o.DiffersNow || !slices.Equal(o.Unknown, []string{"staging"}) ||
		!slices.Equal(o.Changed, []string{"staging"}) || o.After["staging"] != parity.UnknownText || o.Now["production"] != "x" {
		t.Errorf("partial out: %+v", o)
	}

	// Unknown where the other environment holds null: the values are
	// alike (null in both after values) but the unknown is still listed.
	both := resource(t, f, "aws_x.both")
	if got := paths(both); !slices.Equal(got, []string{"out"}) {
		t.Fatalf("both: paths %v, want the unknown out", got)
	}
	if o := attr(t, both, "out"); o.DiffersAfter || !slices.Equal(o.Unknown, []string{"staging"}) {
		t.Errorf("both out: %+v", o)
	}

	// Unknown and unchanged (no plan action) is not worth an attribute; the
	// current values still differ.
	idle := resource(t, f, "aws_x.idle")
	if got := paths(idle); !slices.Equal(got, []string{"out"}) || attr(t, idle, "out").DiffersAfter || !attr(t, idle, "out").DiffersNow {
		t.Errorf("idle: %v", mustJSON(t, idle.Attributes))
	}
}

// TestAttributesInStepOrder: a resource's attributes are walked in the
// order of paths (list indexes first, by number), as maps are, so that the
// walks of the current state and of the plan merge into one record per
// path, even for attribute names that look like list indexes, and whether
// the environments' objects have one shape or two. Walked in the order of
// the names' bytes, "2" would come after "10" in one walk and before it in
// the merge, and be listed twice.
func TestAttributesInStepOrder(t *testing.T) {
	type flags struct{ now, after bool }
	for _, tc := range []struct {
		name                   string
		stagingNow, stagingAft vals
		prodNow, prodAfter     vals
		want                   map[string]flags
	}{
		{"one shape",
			vals{"10": "x", "2": "x", "a": "s"}, vals{"10": "z", "2": "x", "a": "s"},
			vals{"10": "y", "2": "y", "a": "s"}, vals{"10": "z", "2": "y", "a": "t"},
			map[string]flags{"10": {true, false}, "2": {true, true}, "a": {false, true}}},
		{"two shapes",
			vals{"10": "x", "2": "x", "a": "s", "b": "here"}, vals{"10": "z", "2": "x", "a": "s", "b": "here"},
			vals{"10": "y", "2": "y", "a": "s"}, vals{"10": "z", "2": "y", "a": "t"},
			map[string]flags{"10": {true, false}, "2": {true, true}, "a": {false, true}, "b": {true, true}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			staging := snap(planned("aws_x.a", tc.stagingNow, tc.stagingAft, "update"))
			production := snap(planned("aws_x.a", tc.prodNow, tc.prodAfter, "update"))
			r := resource(t, pair(t, staging, production), "aws_x.a")
			want := slices.Sorted(maps.Keys(tc.want))
			if got := paths(r); !slices.Equal(got, want) {
				t.Fatalf("paths %q, want each of %q once", got, want)
			}
			for p, w := range tc.want {
				if a := attr(t, r, p); a.DiffersNow != w.now || a.DiffersAfter != w.after {
					t.Errorf("%s differs now %v, after %v; want %v, %v", p, a.DiffersNow, a.DiffersAfter, w.now, w.after)
				}
			}
		})
	}
}

// TestObjectKindsCompareAlike: an object decoded from an input
// (snapshot.Attributes) and the same object built as a map compare equal,
// member by member, and a member that differs is found below either kind.
func TestObjectKindsCompareAlike(t *testing.T) {
	block := func(size string) vals { return vals{"size": size, "tags": vals{"team": "web"}} }
	decoded := func(size string) *snapshot.Attributes {
		return snapshot.NewAttributes(map[string]any{"size": size, "tags": snapshot.NewAttributes(map[string]any{"team": "web"})})
	}
	for _, tc := range []struct {
		name       string
		staging    any
		production any
		want       []string
	}{
		{"map beside attributes, equal", block("10"), decoded("10"), []string{}},
		{"map beside attributes, differing", block("10"), decoded("20"), []string{"disk.size"}},
		{"attributes beside attributes, differing", decoded("10"), decoded("20"), []string{"disk.size"}},
		{"map beside nothing", block("10"), nil, []string{"disk.size", "disk.tags.team"}},
		{"attributes beside nothing", decoded("10"), nil, []string{"disk.size", "disk.tags.team"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			staging := snap(res("aws_x.a", vals{"disk": tc.staging, "name": "a"}))
			production := snap(res("aws_x.a", vals{"disk": tc.production, "name": "a"}))
			if got := paths(resource(t, pair(t, staging, production), "aws_x.a")); !slices.Equal(got, tc.want) {
				t.Errorf("paths %q, want %q", got, tc.want)
			}
		})
	}
}
