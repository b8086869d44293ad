package rules_test

import (
	"context"
	"io/fs"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/lockstep-iac/lockstep/policy"
	"github.com/lockstep-iac/lockstep/rules"
)

const rulePrefix = "data.lockstep.rules."

// loadModules parses every .rego file in the embedded FS, tests included,
// with annotations processed (the rules read their own # METADATA).
func loadModules(t *testing.T) map[string]*ast.Module {
	t.Helper()
	res, err := loader.NewFileLoader().WithFS(rules.FS).WithProcessAnnotation(true).All([]string{"."})
	if err != nil {
		t.Fatalf("load rules.FS: %v", err)
	}
	mods := res.ParsedModules()
	if len(mods) == 0 {
		t.Fatal("rules.FS holds no .rego modules")
	}
	return mods
}

// ruleDirs lists the top-level directories of rules.FS other than lib.
func ruleDirs(t *testing.T) []string {
	t.Helper()
	entries, err := fs.ReadDir(rules.FS, ".")
	if err != nil {
		t.Fatalf("read rules.FS: %v", err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "lib" {
			dirs = append(dirs, e.Name())
		}
	}
	if len(dirs) == 0 {
		t.Fatal("rules.FS holds no rule directories")
	}
	return dirs
}

func TestRego(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	ch, err := tester.NewRunner().
		CapturePrintOutput(true).
		RaiseBuiltinErrors(true).
		SetTimeout(30*time.Second).
		SetModules(loadModules(t)).
		SetStore(inmem.NewFromObject(policy.BuiltinData())).
		RunTests(ctx, nil)
	if err != nil {
		t.Fatalf("compile rules: %v", err)
	}
	var results []*tester.Result
	for r := range ch {
		results = append(results, r)
	}
	sort.Slice(results, func(i, j int) bool {
		if results[i].Package != results[j].Package {
			return results[i].Package < results[j].Package
		}
		return results[i].Name < results[j].Name
	})

	ran := 0
	perPackage := map[string]int{}
	for _, r := range results {
		if r.Skip {
			continue
		}
		ran++
		perPackage[r.Package]++
		loc := "?"
		if r.Location != nil {
			loc = r.Location.String()
		}
		switch {
		case r.Error != nil:
			t.Errorf("%s.%s (%s): error: %v\noutput:\n%s", r.Package, r.Name, loc, r.Error, r.Output)
		case r.Fail:
			failedAt := ""
			if r.FailedAt != nil {
				failedAt = " at " + r.FailedAt.Location.String() + ": " + r.FailedAt.String()
			}
			t.Errorf("%s.%s (%s): FAIL%s\noutput:\n%s", r.Package, r.Name, loc, failedAt, r.Output)
		}
	}
	if ran == 0 {
		t.Fatal("no Rego tests ran")
	}
	pkgs := make([]string, 0, len(perPackage))
	for pkg := range perPackage {
		pkgs = append(pkgs, pkg)
	}
	sort.Strings(pkgs)
	for _, pkg := range pkgs {
		t.Logf("%s: %d tests", pkg, perPackage[pkg])
	}

	// Every rule package and lib must have tests that actually ran.
	for _, dir := range append(ruleDirs(t), "lib") {
		pkg := rulePrefix + dir + "_test"
		if dir == "lib" {
			pkg = "data.lockstep.lib_test"
		}
		if perPackage[pkg] == 0 {
			t.Errorf("no tests ran in %s", pkg)
		}
	}
}

func TestEveryRuleDirectoryHasTests(t *testing.T) {
	for _, dir := range append(ruleDirs(t), "lib") {
		tests, err := fs.Glob(rules.FS, path.Join(dir, "*_test.rego"))
		if err != nil || len(tests) == 0 {
			t.Errorf("%s: no *_test.rego file beside the rule", dir)
		}
	}
}

func TestRuleMetadata(t *testing.T) {
	mods := loadModules(t)
	byDir := map[string]bool{}
	for file, m := range mods {
		pkg := m.Package.Path.String()
		if !strings.HasPrefix(pkg, rulePrefix) || strings.HasSuffix(file, "_test.rego") {
			continue
		}
		dir := strings.TrimPrefix(pkg, rulePrefix)
		if path.Dir(file) != dir && !strings.HasSuffix(path.Dir(file), "/"+dir) {
			t.Errorf("%s: package %s does not match its directory", file, pkg)
		}
		byDir[dir] = true

		var pkgAnn *ast.Annotations
		for _, a := range m.Annotations {
			if a.Scope == "package" {
				if pkgAnn != nil {
					t.Errorf("%s: more than one package-scope METADATA block", file)
				}
				pkgAnn = a
			}
		}
		if pkgAnn == nil {
			t.Errorf("%s: no package-scope # METADATA", file)
			continue
		}
		if strings.TrimSpace(pkgAnn.Title) == "" {
			t.Errorf("%s: METADATA has no title", file)
		}
		if strings.TrimSpace(pkgAnn.Description) == "" {
			t.Errorf("%s: METADATA has no description", file)
		}
		str := func(key string) string {
			v, ok := pkgAnn.Custom[key]
			if !ok {
				t.Errorf("%s: METADATA has no custom.%s", file, key)
				return ""
			}
			s, ok := v.(string)
			if !ok || strings.TrimSpace(s) == "" {
				t.Errorf("%s: custom.%s must be a non-empty string, got %#v", file, key, v)
			}
			return s
		}
		// The id comes from the package (policy derives it, lib.rule_id
		// too); a custom.id would be a second place to keep it.
		if id, ok := pkgAnn.Custom["id"]; ok {
			t.Errorf("%s: custom.id %v: a built-in rule's id is derived from its package (%s); remove custom.id", file, id, strings.ReplaceAll(dir, "_", "-"))
		}
		if sev := str("severity"); sev != "error" && sev != "warning" {
			t.Errorf("%s: custom.severity is %q, want error or warning", file, sev)
		}
		str("remediation")
	}
	for _, dir := range ruleDirs(t) {
		if !byDir[dir] {
			t.Errorf("rule directory %s has no package %s%s", dir, rulePrefix, dir)
		}
	}
}

// TestEmbedMatchesDisk compares the rules directory on disk with what the
// binary embeds: a .rego file or directory the go:embed glob does not
// reach would otherwise silently not ship.
func TestEmbedMatchesDisk(t *testing.T) {
	list := func(fsys fs.FS) []string {
		var out []string
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if p != "." && (d.IsDir() || strings.HasSuffix(p, ".rego")) {
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	disk, embedded := list(os.DirFS(".")), list(rules.FS)
	for _, p := range disk {
		if !slices.Contains(embedded, p) {
			t.Errorf("%s is on disk but not in rules.FS: widen the go:embed pattern in embed.go", p)
		}
	}
	for _, p := range embedded {
		if !slices.Contains(disk, p) {
			t.Errorf("rules.FS holds %s, which is not on disk", p)
		}
	}
	if len(disk) < 2 {
		t.Errorf("found only %q on disk", disk)
	}
}
