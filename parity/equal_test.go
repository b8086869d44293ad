package parity_test

import (
	"slices"
	"testing"
)

func TestLeafEquality(t *testing.T) {
	empties := []any{nil, "", []any{}, vals{}}
	for i, a := range empties {
		for j, b := range empties {
			f := pair(t, snap(res("aws_x.a", vals{"v": a})), snap(res("aws_x.a", vals{"v": b})))
			if got := paths(resource(t, f, "aws_x.a")); len(got) != 0 {
				t.Errorf("%#v vs %#v: paths %v", empties[i], empties[j], got)
			}
		}
		f := pair(t, snap(res("aws_x.a", vals{"v": a})), snap(res("aws_x.a", vals{})))
		if got := paths(resource(t, f, "aws_x.a")); len(got) != 0 {
			t.Errorf("%#v vs absent: paths %v", a, got)
		}
	}
	tests := []struct {
		name    string
		a, b    any
		differs []string
	}{
		{"1 vs 1.0", num("1"), num("1.0"), nil},
		{"100 vs 1e2", num("100"), num("1e2"), nil},
		{"1 vs 2", num("1"), num("2"), []string{"v"}},
		{"big integers stay exact", num("12345678901234567890"), num("12345678901234567891"), []string{"v"}},
		{"number vs string", num("1"), "1", []string{"v"}},
		{"bool vs string", true, "true", []string{"v"}},
		{"bools", true, false, []string{"v"}},
		{"equal bools", false, false, nil},
		{"empty vs value", "", "x", []string{"v"}},
		{"null vs false", nil, false, []string{"v"}},
		{"list lengths", []any{"a"}, []any{"a", "b"}, []string{"v"}},
		{"list element", []any{"a", "b"}, []any{"a", "c"}, []string{"v.1"}},
		{"empty list vs list", []any{}, []any{"a"}, []string{"v"}},
		{"map key", vals{"k": "1"}, vals{"k": "2", "l": "3"}, []string{"v.k", "v.l"}},
		{"map vs list", vals{"k": "1"}, []any{"1"}, []string{"v"}},
		{"map vs string", vals{"k": "1"}, "x", []string{"v"}},
		{"nested numbers", []any{vals{"n": num("5")}}, []any{vals{"n": num("5.0")}}, nil},
		{"mismatched shapes with tokens", []any{"net-staging", vals{"n": num("1")}}, vals{"x": "net-production"}, []string{"v"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := pair(t, snap(res("aws_x.a", vals{"v": tt.a})), snap(res("aws_x.a", vals{"v": tt.b})))
			want := tt.differs
			if want == nil {
				want = []string{}
			}
			if got := paths(resource(t, f, "aws_x.a")); !slices.Equal(got, want) {
				t.Errorf("paths %v, want %v", got, want)
			}
		})
	}
	t.Run("list length difference shows whole lists", func(t *testing.T) {
		f := pair(t, snap(res("aws_x.a", vals{"v": []any{"a"}})), snap(res("aws_x.a", vals{"v": []any{"a", "b"}})))
		a := attr(t, resource(t, f, "aws_x.a"), "v")
		if !slices.Equal(a.Now["staging"].([]any), []any{"a"}) || !slices.Equal(a.After["production"].([]any), []any{"a", "b"}) {
			t.Errorf("now %v after %v", a.Now, a.After)
		}
	})
}
