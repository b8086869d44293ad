package policy

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockstep-iac/lockstep/internal/jsonnum"
	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// InputVersion is the version of the input document the rules receive.
// Fields are only ever added within a version.
const InputVersion = 1

// Document is the input document every fact-stage rule, built-in or user,
// sees as `input`: the parity facts (matched resources and what differs),
// plus `env`, each environment on its own with its metadata and compact
// resources, for rules about one environment or for values the facts do
// not carry because they do not differ. docs/input.md documents it.
type Document struct {
	Version int `json:"version"`
	*parity.Facts
	// Env is built on first use (EnvDocuments): only user rules, the
	// dumped input and alias guessing read it, and building it converts
	// every resource of every environment.
	Env map[string]*EnvDocument `json:"env"`

	envs    []parity.Env
	envOnce sync.Once
}

// EnvDocuments returns Env, building it from the environments NewDocument
// was given the first time.
func (d *Document) EnvDocuments() map[string]*EnvDocument {
	d.envOnce.Do(func() {
		if d.Env != nil || d.envs == nil {
			return
		}
		d.Env = make(map[string]*EnvDocument, len(d.envs))
		for i, e := range d.envs {
			d.Env[e.Name] = envDocument(i, e)
		}
	})
	return d.Env
}

// MarshalJSON encodes the document with Env built.
func (d *Document) MarshalJSON() ([]byte, error) {
	d.EnvDocuments()
	type plain Document
	return json.Marshal((*plain)(d))
}

// EnvDocument is one environment in the input document.
type EnvDocument struct {
	Name string `json:"name"`
	// Position is the environment's index in the promotion chain.
	Position         int      `json:"position"`
	Aliases          []string `json:"aliases"`
	Kind             string   `json:"kind"`
	Source           string   `json:"source"`
	SHA256           string   `json:"sha256"`
	TerraformVersion string   `json:"terraform_version"`
	// Tool is "terraform" or "opentofu" where the input tells, "" where
	// nothing tells them apart (Snapshot.Tool).
	Tool string `json:"tool"`
	// Providers maps provider source address to the locked version; empty
	// when no lock file was read (LockFile "").
	Providers map[string]string `json:"providers"`
	LockFile  string            `json:"lockfile"`
	// Modules maps module call address to its source and version
	// constraint; empty for state inputs, which carry no configuration.
	Modules map[string]ModuleDocument `json:"modules"`
	// Resources maps each instance address to its compact resource. Kept
	// as a map of native values so the OPA value can convert each resource
	// only when a rule reads it (see Value).
	Resources map[string]map[string]any `json:"resources"`
	// ByType maps resource type to its addresses, sorted, so a rule about
	// one type looks its resources up instead of scanning them all.
	ByType map[string][]string `json:"by_type"`
}

// ModuleDocument is one module call.
type ModuleDocument struct {
	Source  string `json:"source"`
	Version string `json:"version"`
}

// NewDocument assembles the input document from the facts and the
// environments they were built from (in promotion order).
func NewDocument(facts *parity.Facts, envs []parity.Env) *Document {
	return &Document{Version: InputVersion, Facts: facts, envs: envs}
}

func envDocument(pos int, e parity.Env) *EnvDocument {
	s := e.Snapshot
	ed := &EnvDocument{
		Name: e.Name, Position: pos, Aliases: e.Aliases, Kind: string(s.Kind), Source: s.Source,
		SHA256: s.SHA256, TerraformVersion: s.TerraformVersion, Tool: s.Tool,
		Providers: s.Providers, LockFile: s.LockFile,
		Modules:   make(map[string]ModuleDocument, len(s.Modules)),
		Resources: make(map[string]map[string]any, len(s.Resources)),
		ByType:    map[string][]string{},
	}
	if ed.Aliases == nil {
		ed.Aliases = []string{}
	}
	if ed.Providers == nil {
		ed.Providers = map[string]string{}
	}
	for addr, m := range s.Modules {
		ed.Modules[addr] = ModuleDocument{Source: m.Source, Version: m.Version}
	}
	// The resources' shared blocks are made maps once for all of them.
	plainer := snapshot.NewPlainer()
	for addr, r := range s.Resources {
		ed.Resources[addr] = resourceDocument(r, s.NoExponents, plainer)
		ed.ByType[r.Type] = append(ed.ByType[r.Type], addr)
	}
	for _, addrs := range ed.ByType {
		sort.Strings(addrs)
	}
	return ed
}

// resourceDocument is one resource as rules see it. Values are Terraform's,
// with every hidden value replaced by a Sensitive marker, which renders as
// "(sensitive)"; now_sensitive and after_sensitive give each hidden value's
// path and keyed hash, so rules can tell whether two secrets are equal
// without seeing them. The hash key is fresh per run. A number OPA cannot
// hold (an exponent beyond about 25,000) is given as its text, a string:
// converting it would fail, or panic inside a lazy object. Only a number
// with an exponent can be one: plain says the reader saw none, which spares
// a walk of every value of every resource (Snapshot.NoExponents).
func resourceDocument(r *snapshot.Resource, plain bool, plainer *snapshot.Plainer) map[string]any {
	actions := r.Actions
	if actions == nil {
		actions = []string{}
	}
	action := ""
	if len(r.Actions) > 0 {
		action = snapshot.ActionVerb(r.Actions)
	}
	doc := map[string]any{
		"address": r.Address, "module": r.Module, "type": r.Type, "name": r.Name,
		"actions": actions, "action": action, "tainted": r.Tainted,
		"previous_address": r.PreviousAddress,
		"now":              nil, "after": nil, "after_unknown": nil,
		"now_sensitive": map[string]string{}, "after_sensitive": map[string]string{},
	}
	// Rules read maps (OPA's lazy objects are made of them): the
	// attributes and the objects in them are made maps here, once when
	// the plan leaves the object as it is, once for all the resources
	// that share a block (plainer), and only when a rule or a dump needs
	// the environments.
	if r.Now != nil {
		doc["now"] = regoValue(plainer.Plain(r.Now.Values).(map[string]any), plain)
		if r.Now.Sensitive != nil {
			doc["now_sensitive"] = r.Now.Sensitive
		}
	}
	if r.After != nil {
		if r.After == r.Now {
			doc["after"] = doc["now"]
		} else {
			doc["after"] = regoValue(plainer.Plain(r.After.Values).(map[string]any), plain)
		}
		if r.After.Unknown != nil {
			doc["after_unknown"] = r.After.Unknown
		}
		if r.After.Sensitive != nil {
			doc["after_sensitive"] = r.After.Sensitive
		}
	}
	return doc
}

// regoValue is jsonnum.RegoValue, skipped when plain: values without an
// exponent anywhere hold no number it would change.
func regoValue(values map[string]any, plain bool) any {
	if plain {
		return values
	}
	return jsonnum.RegoValue(values)
}

// Value converts the document into the OPA value passed to every rule,
// once per check rather than per query (about 10x faster per evaluation).
// The facts are converted up front. Each environment resource is a lazy
// object, converted only when a rule reads it: a 10k-resource environment
// then costs a rule that reads ten resources ten conversions, not ten
// thousand.
//
// An OPA object hashes every value inserted into it, and hashing a lazy
// object converts it whole; so every object between the root and the
// resources (the root, env, each environment, its resources) is lazy too,
// built from a native map whose converted parts are ast.Values. The root's
// keys are read once here, so that rules evaluated in parallel afterwards
// only read its cache. Lazy objects are not safe for concurrent use
// otherwise: the engine evaluates the rules that may read `env` (user
// rules) from one goroutine, after the built-in rules, which never read
// `env`, have finished.
func (d *Document) Value() (ast.Value, error) {
	return d.value(readsAll)
}

// value is Value with the documents of the environments reads names in
// env, and resources empty unless reads has them, for rules that read
// nothing else (Engine.userReads).
func (d *Document) value(reads userReads) (ast.Value, error) {
	facts := d.Facts
	if !reads.resources && len(facts.Resources) > 0 {
		rest := *facts
		rest.Resources = []*parity.Resource{}
		facts = &rest
	}
	obj, err := factsValue(d.Version, facts, defaultWorkers())
	if err != nil {
		return nil, err
	}
	root := make(map[string]any, obj.Len()+1)
	obj.Foreach(func(k, v *ast.Term) {
		root[string(k.Value.(ast.String))] = v.Value
	})
	docs := map[string]*EnvDocument{}
	switch {
	case reads.env.all:
		docs = d.EnvDocuments()
	case reads.env.any():
		for i, e := range d.envs {
			if reads.env.wants(e.Name) {
				docs[e.Name] = envDocument(i, e)
			}
		}
	}
	envs := make(map[string]any, len(docs))
	for name, ed := range docs {
		ev, err := ed.value()
		if err != nil {
			return nil, fmt.Errorf("convert policy input for %s: %w", name, err)
		}
		envs[name] = ev
	}
	root["env"] = envs
	lazy := ast.LazyObject(root)
	for k := range root {
		lazy.Get(ast.InternedTerm(k))
	}
	return lazy, nil
}

// value is one environment as a native map for a lazy object: its metadata
// converted, its resources native.
func (ed *EnvDocument) value() (map[string]any, error) {
	meta := map[string]any{
		"name": ed.Name, "position": ed.Position, "aliases": ed.Aliases, "kind": ed.Kind,
		"source": ed.Source, "sha256": ed.SHA256, "terraform_version": ed.TerraformVersion, "tool": ed.Tool,
		"providers": ed.Providers, "lockfile": ed.LockFile, "by_type": ed.ByType,
	}
	modules := make(map[string]any, len(ed.Modules))
	for addr, m := range ed.Modules {
		modules[addr] = map[string]any{"source": m.Source, "version": m.Version}
	}
	meta["modules"] = modules
	v, err := ast.InterfaceToValue(meta)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(meta)+1)
	v.(ast.Object).Foreach(func(k, v *ast.Term) {
		out[string(k.Value.(ast.String))] = v.Value
	})
	res := make(map[string]any, len(ed.Resources))
	for addr, r := range ed.Resources {
		res[addr] = r
	}
	out["resources"] = res
	return out, nil
}
