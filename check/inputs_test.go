package check

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/workdir"
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

// TestSourceBytes: the size hugepages.Prepare is given is what the
// reading will decode: each file's size, up to the input limit (beyond
// it a file is refused unread), what a working directory's read holds or
// names; a directory or a missing file counts for nothing.
func TestSourceBytes(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n int) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, make([]byte, n), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small, large, state := write("small.json", 300), write("large.json", 5000), write("ws.tfstate", 700)
	byKey := map[string]*workdir.Result{
		"\x00held":  {Data: make([]byte, 40)},
		"\x00named": {Path: state},
	}
	for _, tc := range []struct {
		name    string
		sources []string
		limit   int64
		want    int64
	}{
		{"files", []string{small, large}, 0, 5300},
		{"a file over the limit", []string{small, large}, 1000, 1300},
		{"working directories' reads", []string{"\x00held", "\x00named"}, 0, 740},
		{"a directory and a missing file", []string{dir, filepath.Join(dir, "gone.json"), small}, 0, 300},
	} {
		if got := sourceBytes(tc.sources, byKey, tc.limit); got != tc.want {
			t.Errorf("%s: sourceBytes = %d, want %d", tc.name, got, tc.want)
		}
	}
}
