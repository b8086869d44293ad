package policytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/config"
)

// InputFromName is the test-only built-in that builds an input document.
const InputFromName = "lockstep.input_from"

var inputFromDecl = &rego.Function{
	Name: InputFromName,
	Decl: types.NewFunction(types.Args(types.A), types.A),
	// Each call reads files; the result for the same arguments is cached
	// below, across tests, so it is deterministic within a run.
	Memoize: true,
}

// inputFromBuiltin is lockstep.input_from(spec): spec is either an array of
// "NAME=PATH" strings in promotion order (as --env), or an object
// {"env": [...], "target": "ENV", "config": "lockstep.hcl"}. Paths are
// relative to the directory of the test file that makes the call. It
// returns the document `lockstep check --dump-input` writes.
func inputFromBuiltin() *tester.Builtin {
	var mu sync.Mutex
	cache := map[string]*ast.Term{}
	fn := func(bctx rego.BuiltinContext, spec *ast.Term) (*ast.Term, error) {
		base := "."
		if bctx.Location != nil && bctx.Location.File != "" {
			base = filepath.Dir(bctx.Location.File)
		}
		opts, key, err := inputOptions(base, spec.Value)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		defer mu.Unlock()
		if t, ok := cache[key]; ok {
			return t, nil
		}
		doc, err := check.Document(opts.Options, opts.Config)
		if err != nil {
			return nil, err
		}
		b, err := json.Marshal(doc)
		if err != nil {
			return nil, err
		}
		v, err := ast.ValueFromReader(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		t := ast.NewTerm(v)
		cache[key] = t
		return t, nil
	}
	return &tester.Builtin{
		Decl: &ast.Builtin{Name: inputFromDecl.Name, Decl: inputFromDecl.Decl},
		Func: rego.Function1(inputFromDecl, fn),
	}
}

const inputFromUsage = `give ["staging=PATH", "production=PATH"] or {"env": [...], "target": "production", "config": "lockstep.hcl"}`

// inputRequest is what check.Document needs: the options and the config.
type inputRequest struct {
	check.Options
	Config *config.Config
}

// inputOptions turns the built-in's argument into check options, resolving
// paths against base, and returns a cache key for them.
func inputOptions(base string, spec ast.Value) (inputRequest, string, error) {
	var opts inputRequest
	// A test that reads one fixture as two environments does so on
	// purpose; the refusal guards pipelines, not policy tests.
	opts.AllowIdenticalInputs = true
	var envs ast.Value
	configPath := ""
	switch t := spec.(type) {
	case *ast.Array:
		envs = t
	case ast.Object:
		for _, k := range t.Keys() {
			key, ok := k.Value.(ast.String)
			if !ok {
				return opts, "", fmt.Errorf("unexpected key %v: %s", k, inputFromUsage)
			}
			v := t.Get(k).Value
			switch key {
			case "env":
				envs = v
			case "target":
				s, ok := v.(ast.String)
				if !ok {
					return opts, "", fmt.Errorf("target must be a string")
				}
				opts.Target = string(s)
			case "config":
				s, ok := v.(ast.String)
				if !ok {
					return opts, "", fmt.Errorf("config must be a string")
				}
				configPath = resolve(base, string(s))
			default:
				return opts, "", fmt.Errorf("unexpected key %q: %s", string(key), inputFromUsage)
			}
		}
	default:
		return opts, "", fmt.Errorf("%s", inputFromUsage)
	}
	arr, ok := envs.(*ast.Array)
	if !ok {
		return opts, "", fmt.Errorf("env must be an array of NAME=PATH strings: %s", inputFromUsage)
	}
	var keyParts []string
	for i := range arr.Len() {
		s, ok := arr.Elem(i).Value.(ast.String)
		if !ok {
			return opts, "", fmt.Errorf("env[%d] must be a NAME=PATH string", i)
		}
		in, ok := check.SplitInput(string(s))
		if !ok {
			return opts, "", fmt.Errorf("--env %q: expected NAME=PATH, for example --env staging=plans/staging.json", string(s))
		}
		in.Path = resolve(base, in.Path)
		opts.Inputs = append(opts.Inputs, in)
		keyParts = append(keyParts, in.Name+"="+in.Path)
	}
	if configPath != "" {
		c, err := config.Load(configPath, config.Options{})
		if err != nil {
			return opts, "", err
		}
		opts.Config = c
	}
	key := strings.Join(keyParts, "\x00") + "\x01" + opts.Target + "\x01" + configPath
	return opts, key, nil
}

func resolve(base, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(base, p)
}
