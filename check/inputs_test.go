package check

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/lockstep-iac/lockstep/config"
)

// TestOrderWithConfigDirs: the environments lockstep.hcl gives a `dir`
// and --env does not name are read too, and the order of all of them is
// deterministic: promotion order when lockstep.hcl has one, else the --env
// flags first, then the config's environments in declaration order.
func TestOrderWithConfigDirs(t *testing.T) {
	const dirs = `
environment "production" {
  dir     = "infra"
  aliases = ["prod"]
}
environment "staging" { dir = "infra" }
environment "dev" {}
`
	for _, tc := range []struct {
		name   string
		hcl    string
		inputs []Input
		want   []string
	}{
		{"config dirs only: declaration order", dirs, nil, []string{"production", "staging"}},
		{"config dirs only: promotion order", dirs + `promotion = ["dev", "staging", "production"]`, nil, []string{"staging", "production"}},
		{"--env first, then config dirs", dirs, []Input{{"dev", "dev.json"}}, []string{"dev", "production", "staging"}},
		{"--env over a config dir", dirs, []Input{{"staging", "s.json"}, {"dev", "dev.json"}}, []string{"staging", "dev", "production"}},
		{"--env by alias is not read twice", dirs, []Input{{"prod", "p.json"}}, []string{"prod", "staging"}},
		{"promotion over --env order", dirs + `promotion = ["dev", "staging", "production"]`, []Input{{"production", "p.json"}, {"dev", "dev.json"}}, []string{"dev", "staging", "production"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Parse([]byte(tc.hcl), filepath.Join("conf", "lockstep.hcl"), config.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				got, err := order(Options{Inputs: tc.inputs}, c)
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, in := range got {
					names = append(names, in.Name)
					if in.Path == "" {
						t.Errorf("%s has no path", in.Name)
					}
				}
				if !reflect.DeepEqual(names, tc.want) {
					t.Fatalf("order %v, want %v", names, tc.want)
				}
			}
		})
	}
}
