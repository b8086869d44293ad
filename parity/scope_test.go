package parity_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/parity"
)

// pathUnder matches a path and everything beneath it, as
// config.PathPattern does.
type pathUnder string

func (p pathUnder) Match(path []string) bool {
	j := strings.Join(path, ".")
	return j == string(p) || strings.HasPrefix(j, string(p)+".")
}

// TestScopedDeclarations: expect_difference with environments takes those
// environments out of the comparison at its paths; the others are still
// compared with each other, and the finding shows only their values.
func TestScopedDeclarations(t *testing.T) {
	dev := snap(res("aws_x.app", vals{"image": "2.0-rc1", "net": vals{"sg": "dbg"}, "size": "s"}))
	staging := snap(res("aws_x.app", vals{"image": "1.4", "net": vals{"sg": "web"}, "size": "s"}))
	production := snap(
		planned("aws_x.app", vals{"image": "1.3", "net": vals{"sg": "web"}, "size": "l"}, vals{"image": "1.3", "net": vals{"sg": "web"}, "size": "xl"}, "update"),
	)
	app := []parity.AddressMatcher{addressIs{"aws_x.app"}}
	tests := []struct {
		name     string
		declared []parity.Declared
		target   string
		// want maps each differing path to the environments whose values
		// it shows (sorted).
		want map[string]string
		// promotion lists the paths of the promotion to production.
		promotion []string
	}{
		{
			name: "no declaration",
			want: map[string]string{"image": "dev,production,staging", "net.sg": "dev,production,staging", "size": "dev,production,staging"},
		},
		{
			name:     "dev may differ: staging and production still compared",
			declared: []parity.Declared{{Resources: app, Attributes: []parity.PathMatcher{pathIs("image")}, Envs: []string{"dev"}}},
			want:     map[string]string{"image": "production,staging", "net.sg": "dev,production,staging", "size": "dev,production,staging"},
		},
		{
			name:     "scope covers what lies beneath",
			declared: []parity.Declared{{Resources: app, Attributes: []parity.PathMatcher{pathUnder("net")}, Envs: []string{"dev"}}},
			want:     map[string]string{"image": "dev,production,staging", "size": "dev,production,staging"},
		},
		{
			name: "two scopes leave one environment: nothing to compare",
			declared: []parity.Declared{
				{Resources: app, Attributes: []parity.PathMatcher{pathIs("image")}, Envs: []string{"dev"}},
				{Resources: app, Attributes: []parity.PathMatcher{pathIs("image")}, Envs: []string{"production"}},
			},
			want: map[string]string{"net.sg": "dev,production,staging", "size": "dev,production,staging"},
		},
		{
			name:     "environment not in this run: ignored",
			declared: []parity.Declared{{Resources: app, Attributes: []parity.PathMatcher{pathIs("image")}, Envs: []string{"qa"}}},
			want:     map[string]string{"image": "dev,production,staging", "net.sg": "dev,production,staging", "size": "dev,production,staging"},
		},
		{
			name:     "another resource: no effect",
			declared: []parity.Declared{{Resources: []parity.AddressMatcher{addressIs{"aws_x.other"}}, Attributes: []parity.PathMatcher{pathIs("image")}, Envs: []string{"dev"}}},
			want:     map[string]string{"image": "dev,production,staging", "net.sg": "dev,production,staging", "size": "dev,production,staging"},
		},
		{
			name:      "the previous environment scoped out: no promotion path",
			declared:  []parity.Declared{{Resources: app, Attributes: []parity.PathMatcher{pathIs("size")}, Envs: []string{"staging"}}},
			target:    "production",
			want:      map[string]string{"image": "dev,production,staging", "net.sg": "dev,production,staging", "size": "dev,production"},
			promotion: []string{},
		},
		{
			name:      "unscoped: promotion still compared",
			target:    "production",
			want:      map[string]string{"image": "dev,production,staging", "net.sg": "dev,production,staging", "size": "dev,production,staging"},
			promotion: []string{"size"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := build(t, parity.Options{
				Envs:     []parity.Env{env("dev", dev), env("staging", staging), env("production", production)},
				Declared: tt.declared,
				Target:   tt.target,
			})
			got := map[string]string{}
			for _, a := range resource(t, f, "aws_x.app").Attributes {
				envs := slices.Sorted(maps.Keys(a.Now))
				if after := slices.Sorted(maps.Keys(a.After)); !slices.Equal(envs, after) {
					t.Errorf("%s: now shows %v, after %v", a.Path, envs, after)
				}
				got[a.Path] = strings.Join(envs, ",")
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("paths %v, want %v", got, tt.want)
			}
			if tt.target == "" {
				return
			}
			p := resource(t, f, "aws_x.app").Promotion
			var pp []string
			for _, x := range p.Paths {
				pp = append(pp, x.Path)
			}
			if pp == nil {
				pp = []string{}
			}
			if !slices.Equal(pp, tt.promotion) {
				t.Errorf("promotion paths %v, want %v", pp, tt.promotion)
			}
		})
	}
}
