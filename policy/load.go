package policy

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
)

// Load reads every .rego (tests only when tests is set) and every
// .json/.yaml data document below the --policy directories, the one way
// both `check` and `test` load policies. A data document lands in `data` at
// the path of its directory relative to the --policy directory, as with
// `opa eval --data DIR`; two directories defining the same data differently
// is an error. BuiltinData is merged in last, so that policies and tests see
// it as the built-in rules do.
func Load(dirs []string, tests bool) (map[string]*ast.Module, map[string]any, error) {
	modules, docs, err := loadDirs(PolicyFlag, dirs, tests)
	if err != nil {
		return nil, nil, err
	}
	if err := mergeData(docs, BuiltinData()); err != nil {
		return nil, nil, &Error{Err: fmt.Errorf("--policy data: %w: data.lockstep.constants is lockstep's own; move that data elsewhere", err)}
	}
	return modules, docs, nil
}

// LoadEnv is Load for --env-policy directories: conftest's policies and
// data, without lockstep's own data (they are compiled apart from
// lockstep's rules, see Engine.addEnvRules).
func LoadEnv(dirs []string, tests bool) (map[string]*ast.Module, map[string]any, error) {
	return loadDirs(EnvPolicyFlag, dirs, tests)
}

// Flags that load policies, named in errors about their directories.
const (
	PolicyFlag    = "--policy"
	EnvPolicyFlag = "--env-policy"
)

// loadDirs is Load without lockstep's own data, for the directories of
// flag: --env-policy's policies are conftest's, which never read it.
func loadDirs(flag string, dirs []string, tests bool) (map[string]*ast.Module, map[string]any, error) {
	modules := map[string]*ast.Module{}
	docs := map[string]any{}
	for _, dir := range dirs {
		st, err := os.Stat(dir)
		if err != nil {
			return nil, nil, &Error{Err: fmt.Errorf("%s %s: %w", flag, dir, err)}
		}
		if !st.IsDir() && !strings.HasSuffix(dir, ".rego") {
			return nil, nil, &Error{Err: fmt.Errorf("%s %s: not a directory or .rego file", flag, dir)}
		}
		fsys, err := newPolicyFS(dir)
		if err != nil {
			return nil, nil, &Error{Err: fmt.Errorf("%s %s: %w", flag, dir, err)}
		}
		res, err := loader.NewFileLoader().
			WithFS(fsys).
			WithProcessAnnotation(true).
			Filtered([]string{dir}, func(_ string, info os.FileInfo, depth int) bool {
				return Skip(info, depth, tests)
			})
		if err != nil {
			return nil, nil, newError("", err)
		}
		for name, m := range res.ParsedModules() {
			modules[name] = m
		}
		if err := mergeData(docs, res.Documents); err != nil {
			return nil, nil, &Error{Err: fmt.Errorf("%s %s: %w", flag, dir, err)}
		}
	}
	return modules, docs, nil
}

// Skip tells the OPA loader which files under a --policy directory are not
// policies or data: anything but .rego, .json and .yaml; tests unless
// tests is set; hidden directories (.git, .terraform); and testdata/
// directories below it and *.plan.json / *.state.json files, which hold the plan
// and state fixtures tests read with lockstep.input_from, not data.
func Skip(info os.FileInfo, depth int, tests bool) bool {
	name := info.Name()
	if info.IsDir() {
		// The directory given is never skipped, whatever its name.
		return depth > 0 && (strings.HasPrefix(name, ".") || name == "testdata")
	}
	lower := strings.ToLower(name)
	switch filepath.Ext(lower) {
	case ".rego":
		return !tests && strings.HasSuffix(lower, "_test.rego")
	case ".json", ".yaml", ".yml":
		return strings.HasSuffix(lower, ".plan.json") || strings.HasSuffix(lower, ".state.json")
	}
	return true
}

// mergeData merges src into dst; two directories defining the same leaf
// differently is an error rather than a silent override.
func mergeData(dst, src map[string]any) error {
	for k, v := range src {
		old, ok := dst[k]
		if !ok {
			dst[k] = v
			continue
		}
		om, ok1 := old.(map[string]any)
		nm, ok2 := v.(map[string]any)
		if !ok1 || !ok2 {
			return fmt.Errorf("data.%s is defined twice", k)
		}
		if err := mergeData(om, nm); err != nil {
			return err
		}
	}
	return nil
}

// userPackage tells whether lockstep evaluates a package's rules: `main`
// (conftest's default namespace) and every package under `lockstep.`
// other than the built-in ones. Other packages load and can be imported as
// helpers.
func userPackage(path string) bool {
	return path == "data.main" || strings.HasPrefix(path, "data.lockstep.")
}

// builtinPackage reports whether a package path is reserved for the rules
// shipped inside lockstep.
func builtinPackage(path string) bool {
	return path == "data.lockstep.lib" || strings.HasPrefix(path, "data.lockstep.rules.") || path == "data.lockstep.rules" ||
		path == "data.lockstep.constants" || strings.HasPrefix(path, "data.lockstep.constants.")
}
