package parity_test

import (
	"slices"
	"testing"

	"github.com/lockstep-iac/lockstep/parity"
)

func TestChangedSets(t *testing.T) {
	staging := snap(
		planned("aws_x.upd", vals{"size": "small", "ver": "14", "tags": vals{"a": "1", "b": "1"}}, vals{"size": "small", "ver": "15", "tags": vals{"a": "1", "b": "2"}}, "update"),
		planned("aws_x.new", nil, vals{"size": "small", "ver": "15"}, "create"),
		planned("aws_x.del", vals{"size": "small", "ver": "14"}, nil, "delete"),
		planned("aws_x.rep", vals{"size": "small", "ver": "14"}, vals{"size": "small", "ver": "15"}, "delete", "create"),
		planned("aws_x.noop", vals{"size": "small"}, vals{"size": "small"}, "no-op"),
	)
	production := snap(
		res("aws_x.upd", vals{"size": "large", "ver": "14", "tags": vals{"a": "2", "b": "1"}}),
		res("aws_x.new", vals{"size": "large", "ver": "14"}),
		res("aws_x.del", vals{"size": "large", "ver": "14"}),
		res("aws_x.rep", vals{"size": "large", "ver": "14"}),
		res("aws_x.noop", vals{"size": "large"}),
	)
	f := pair(t, staging, production)

	type want struct {
		now, after bool
		changed    []string
	}
	check := func(canonical string, wants map[string]want) {
		t.Helper()
		r := resource(t, f, canonical)
		if len(r.Attributes) != len(wants) {
			t.Errorf("%s: paths %v, want %d", canonical, paths(r), len(wants))
		}
		for p, w := range wants {
			a := attr(t, r, p)
			if a.DiffersNow != w.now || a.DiffersAfter != w.after || !slices.Equal(a.Changed, w.changed) {
				t.Errorf("%s %s: now %v after %v changed %v, want %+v", canonical, p, a.DiffersNow, a.DiffersAfter, a.Changed, w)
			}
		}
	}
	none := []string{}
	stg := []string{"staging"}
	check("aws_x.upd", map[string]want{
		"size":   {true, true, none},
		"ver":    {false, true, stg},
		"tags.a": {true, true, none},
		"tags.b": {false, true, stg},
	})
	check("aws_x.new", map[string]want{"size": {false, true, stg}, "ver": {false, true, stg}})
	// A deletion is a resource-level change, not an attribute's.
	check("aws_x.del", map[string]want{"size": {true, false, none}})
	check("aws_x.rep", map[string]want{"size": {true, true, none}, "ver": {false, true, stg}})
	check("aws_x.noop", map[string]want{"size": {true, true, none}})

	del := resource(t, f, "aws_x.del")
	if e := del.Envs[0]; !e.Now || e.After || e.Action != "delete" || !slices.Equal(e.Actions, []string{"delete"}) {
		t.Errorf("del staging %+v", e)
	}
	if e := del.Envs[1]; !e.Now || !e.After || e.Action != "" || e.Actions == nil || len(e.Actions) != 0 {
		t.Errorf("del production %+v: a state has no action", e)
	}
	if a := attr(t, del, "size"); len(a.After) != 1 || a.After["production"] != "large" {
		t.Errorf("del size after %v: only production exists after", a.After)
	}
	if e := resource(t, f, "aws_x.rep").Envs[0]; e.Action != "replace" {
		t.Errorf("rep action %q", e.Action)
	}
}

// TestChangedLeaves: which leaf changes count as changes of the plan.
func TestChangedLeaves(t *testing.T) {
	before := vals{
		"n": num("1"), "b": true, "s": sens("h1"), "same_secret": sens("h2"), "str": "x",
		"l": []any{"a", "b"}, "grow": []any{"a"}, "obj": vals{"k": "v"}, "empty": "", "u": []any{"a", "b"},
		"tags": vals{"a": "1", "b": "x"}, "kept": vals{"a": "1"},
	}
	after := vals{
		"n": num("1.0"), "b": false, "s": sens("h9"), "same_secret": sens("h2"), "str": "x",
		"l": []any{"a", "c"}, "grow": []any{"a", "b"}, "obj": vals{"k": "v"}, "empty": nil, "u": []any{"a", nil},
		"tags": vals{"a": "2", "b": "x"}, "kept": vals{"a": "1"},
	}
	staging := snap(withUnknown(planned("aws_x.a", before, after, "update"), vals{"u": []any{false, true}}))
	// Production differs everywhere, so every path is an attribute and
	// Changed shows what staging's plan changes.
	production := snap(res("aws_x.a", vals{
		"n": num("5"), "b": "p", "s": "plain", "same_secret": "plain", "str": "y",
		"l": []any{"p", "p"}, "grow": []any{"p", "p", "p"}, "obj": vals{"k": "p"}, "empty": "p", "u": []any{"p", "p"},
		// A map here and a string there is compared whole: the plan
		// changes it when it changes anything inside the map.
		"tags": "p", "kept": "p",
	}))
	f := pair(t, staging, production)
	r := resource(t, f, "aws_x.a")
	changed := map[string]bool{}
	for _, a := range r.Attributes {
		if slices.Equal(a.Changed, []string{"staging"}) {
			changed[a.Path] = true
		}
	}
	for p, want := range map[string]bool{
		"n": false, "b": true, "s": true, "same_secret": false, "str": false,
		"l.0": false, "l.1": true, "grow": true, "obj.k": false, "empty": false, "u.0": false, "u.1": true,
		"tags": true, "kept": false,
	} {
		if changed[p] != want {
			t.Errorf("%s changed = %v, want %v (attributes %v)", p, changed[p], want, paths(r))
		}
	}
	u := attr(t, r, "u.1")
	if !slices.Equal(u.Unknown, []string{"staging"}) || u.After["staging"] != parity.UnknownText || u.DiffersAfter || !u.DiffersNow {
		t.Errorf("u.1: %+v", u)
	}
}
