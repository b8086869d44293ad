package parser_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/parser"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// crossPlan is a plan in which var.db_password reaches terraform_data.db's
// input (copied into output, unmarked, as Terraform does) and a connection
// string of terraform_data.app; the variable is sensitive only when marked.
func crossPlan(marked bool, password string) string {
	sens, afterSens := "false", `{}`
	if marked {
		sens, afterSens = "true", `{"input":{"password":true}}`
	}
	return `{"format_version":"1.2","terraform_version":"1.11.4",
	"variables":{"db_password":{"value":"` + password + `"}},
	"configuration":{"root_module":{"variables":{"db_password":{"sensitive":` + sens + `}}}},
	"resource_changes":[
	 {"address":"module.db[\"x\"].terraform_data.db[0]","module_address":"module.db[\"x\"]","mode":"managed","type":"terraform_data","name":"db","change":{"actions":["create"],"before":null,
	  "after":{"input":{"name":"db","password":"` + password + `"},"output":{"name":"db","password":"` + password + `"}},
	  "after_unknown":{},"before_sensitive":false,"after_sensitive":` + afterSens + `}},
	 {"address":"terraform_data.other","mode":"managed","type":"terraform_data","name":"other","change":{"actions":["create"],"before":null,
	  "after":{"input":{"dsn":"postgres://app:` + password + `@db/x"}},"after_unknown":{},"before_sensitive":false,"after_sensitive":{}}}]}`
}

// crossState is the same as a state JSON: the resource's mark only, no
// variables.
func crossState(marked bool, password string) string {
	sens := `{}`
	if marked {
		sens = `{"input":{"password":true}}`
	}
	return `{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{"resources":[
	 {"address":"terraform_data.db","mode":"managed","type":"terraform_data","name":"db","values":{"input":{"name":"db","password":"` + password + `"},"output":{"name":"db","password":"` + password + `"}},"sensitive_values":` + sens + `}]}}}`
}

// crossRaw is the same as a raw state.
func crossRaw(marked bool, password string) string {
	sens := `[]`
	if marked {
		sens = `[[{"type":"get_attr","value":"input"},{"type":"index","value":{"value":"password","type":"string"}}]]`
	}
	return `{"version":4,"terraform_version":"1.11.4","resources":[{"mode":"managed","type":"terraform_data","name":"db","instances":[{"attributes":{
	 "input":{"value":{"name":"db","password":"` + password + `"},"type":["object",{"name":"string","password":"string"}]},
	 "output":{"value":{"name":"db","password":"` + password + `"},"type":["object",{"name":"string","password":"string"}]}},
	 "sensitive_attributes":` + sens + `}]}]}`
}

// decodeAll decodes the inputs and finishes them with the union of their
// marks, as check does.
func decodeAll(t *testing.T, docs ...string) []*snapshot.Snapshot {
	t.Helper()
	var ds []*parser.Decoded
	for i, doc := range docs {
		d, err := parser.Decode(fmt.Sprintf("env%d.json", i), []byte(doc), opts())
		if err != nil {
			t.Fatalf("Decode(env%d): %v", i, err)
		}
		ds = append(ds, d)
	}
	marks := parser.Union(ds...)
	var out []*snapshot.Snapshot
	for _, d := range ds {
		out = append(out, d.Snapshot(marks))
	}
	return out
}

// TestCrossEnvironmentMarks: a value marked sensitive in one input only
// (staging) hides what the other input (production) holds at the same
// place, and its unmarked copies, in every input kind and whichever input
// comes first; the same value on both sides hashes alike.
func TestCrossEnvironmentMarks(t *testing.T) {
	const stagingPW, productionPW = "staging-pw-Qx81", "production-pw-Zr27"
	kinds := []struct {
		name string
		doc  func(bool, string) string
	}{{"plan", crossPlan}, {"state", crossState}, {"raw", crossRaw}}
	for _, k := range kinds {
		for _, same := range []bool{false, true} {
			for _, productionFirst := range []bool{false, true} {
				name := fmt.Sprintf("%s/same=%v/productionFirst=%v", k.name, same, productionFirst)
				t.Run(name, func(t *testing.T) {
					prodPW := productionPW
					if same {
						prodPW = stagingPW
					}
					docs := []string{k.doc(true, stagingPW), k.doc(false, prodPW)}
					if productionFirst {
						slices.Reverse(docs)
					}
					snaps := decodeAll(t, docs...)
					if productionFirst {
						slices.Reverse(snaps)
					}
					staging, production := snaps[0], snaps[1]
					assertNoSecret(t, staging, []string{stagingPW})
					assertNoSecret(t, production, []string{productionPW, stagingPW})
					db := dbOf(t, production)
					for _, p := range [][]string{{"input", "password"}, {"output", "password"}} {
						if !isSensitive(at(t, db.After.Values, p...)) {
							t.Errorf("production %s is not hidden", strings.Join(p, "."))
						}
					}
					if at(t, db.After.Values, "input", "name") != "db" {
						t.Errorf("production input.name was hidden: marks must hide the marked path, not its neighbours")
					}
					sp := at(t, dbOf(t, staging).After.Values, "input", "password").(snapshot.Sensitive)
					pp := at(t, db.After.Values, "input", "password").(snapshot.Sensitive)
					if (sp.Hash == pp.Hash) != same {
						t.Errorf("same password %v, but hashes equal %v", same, sp.Hash == pp.Hash)
					}
				})
			}
		}
	}
	// Without the other input's marks production is in clear: the test
	// above can fail.
	alone := mustParseBytes(t, "production.plan.json", []byte(crossPlan(false, productionPW)))
	if !strings.Contains(dump(alone), productionPW) {
		t.Fatal("an unmarked plan parsed alone should hold its password: the fixture proves nothing")
	}
}

func dbOf(t *testing.T, s *snapshot.Snapshot) *snapshot.Resource {
	t.Helper()
	for _, r := range s.Resources {
		if r.Type == "terraform_data" && r.Name == "db" {
			return r
		}
	}
	t.Fatalf("no terraform_data.db in %s", s.Source)
	return nil
}

// TestCrossEnvironmentVariable: a variable sensitive in one plan makes the
// other plan's value of the variable of the same name a secret, wherever
// it goes (here only into a connection string of another resource).
func TestCrossEnvironmentVariable(t *testing.T) {
	const prodPW = "production-only-pw-8b1"
	staging := `{"format_version":"1.2","variables":{"db_password":{"value":"staging-pw-00000"}},
		"configuration":{"root_module":{"variables":{"db_password":{"sensitive":true}}}},"resource_changes":[]}`
	production := `{"format_version":"1.2","variables":{"db_password":{"value":"` + prodPW + `"}},
		"configuration":{"root_module":{"variables":{"db_password":{}}}},
		"resource_changes":[{"address":"a.app","mode":"managed","type":"a","name":"app","change":{"actions":["create"],"before":null,
		"after":{"dsn":"postgres://u:` + prodPW + `@h/db","plain":"visible"},"after_unknown":{},"after_sensitive":{}}}]}`
	snaps := decodeAll(t, staging, production)
	assertNoSecret(t, snaps[1], []string{prodPW})
	if v := snaps[1].Resources["a.app"].After.Values.Value("plain"); v != "visible" {
		t.Errorf("plain = %#v", v)
	}
}

// TestSensitiveMapKeys: the keys of a sensitive map are secrets where an
// unmarked copy uses them as keys: renamed "(sensitive #N)" in values and
// in the paths of now_sensitive/after_sensitive, across inputs. A
// resource's top-level attribute names and the keys of blocks (objects in
// lists) are never renamed, and keys are not hidden as values.
func TestSensitiveMapKeys(t *testing.T) {
	const key1, key2 = "ak-live-Hs82kQ0x", "ak-live-Pw55mN1c"
	staging := `{"format_version":"1.0","values":{"root_module":{"resources":[
	 {"address":"terraform_data.acl","mode":"managed","type":"terraform_data","name":"acl",
	  "values":{"input":{"` + key1 + `":"scope-admin-x8T2","` + key2 + `":"scope-read-Lm47"},"output":{"` + key1 + `":"scope-admin-x8T2","` + key2 + `":"scope-read-Lm47"},
	   "block":[{"enabled":"yes-enabled"}]},
	  "sensitive_values":{"input":true,"block":[true]}},
	 {"address":"terraform_data.other","mode":"managed","type":"terraform_data","name":"other",
	  "values":{"input":{"enabled":"enabled","` + key1 + `":"x"},"output":{"nested":{"` + key2 + `":1}}},"sensitive_values":{}}]}}}`
	// Production marks nothing: its acl's keys are learned at staging's
	// marked path.
	const key3 = "ak-prod-Tt40aa9Q"
	production := `{"format_version":"1.0","values":{"root_module":{"resources":[
	 {"address":"terraform_data.acl","mode":"managed","type":"terraform_data","name":"acl",
	  "values":{"input":{"` + key3 + `":"scope-admin-x8T2"},"output":{"` + key3 + `":"scope-admin-x8T2"}},"sensitive_values":{}}]}}}`
	snaps := decodeAll(t, staging, production)
	for i, s := range snaps {
		assertNoSecret(t, s, []string{key1, key2, key3})
		for addr, r := range s.Resources {
			for path := range r.Now.Sensitive {
				for _, k := range []string{key1, key2, key3} {
					if strings.Contains(path, k) {
						t.Errorf("env %d %s: now_sensitive path %q holds a secret key", i, addr, path)
					}
				}
			}
		}
	}
	acl := snaps[0].Resources["terraform_data.acl"].Now
	out := snapshot.Plain(acl.Values.Value("output")).(map[string]any)
	names := slices.Sorted(mapKeys(out))
	if len(names) != 2 || !placeholder.MatchString(names[0]) || !placeholder.MatchString(names[1]) {
		t.Fatalf("staging output keys %v, want two placeholders", names)
	}
	for _, n := range names {
		if _, ok := acl.Sensitive["output."+n]; !ok {
			t.Errorf("now_sensitive %v: want output.%s", acl.Sensitive, n)
		}
	}
	other := snapshot.Plain(snaps[0].Resources["terraform_data.other"].Now.Values).(map[string]any)
	in := other["input"].(map[string]any)
	if in["enabled"] != "enabled" || len(in) != 2 {
		t.Errorf("other.input = %v: want a block's key kept, and a value equal to a key kept", in)
	}
	// key1 has one name everywhere: acl's output and other's input.
	renamed := ""
	for k := range in {
		if placeholder.MatchString(k) {
			renamed = k
		}
	}
	if renamed == "" || out[renamed] == nil {
		t.Errorf("other.input %v: want key1 renamed as in acl's output %v", in, names)
	}
	nested := other["output"].(map[string]any)["nested"].(map[string]any)
	for k := range nested {
		if !slices.Contains(names, k) || k == renamed {
			t.Errorf("other.output.nested key %q: want key2's name, one of %v", k, names)
		}
	}
	if _, ok := snapshot.Plain(snaps[0].Resources["terraform_data.acl"].Now.Values.Value("block")).([]any); !ok {
		t.Errorf("block = %#v", snaps[0].Resources["terraform_data.acl"].Now.Values.Value("block"))
	}
	prod := snapshot.Plain(snaps[1].Resources["terraform_data.acl"].Now.Values.Value("output")).(map[string]any)
	for k := range prod {
		if len(prod) != 1 || !placeholder.MatchString(k) || slices.Contains(names, k) {
			t.Errorf("production output = %v, want its own key renamed, apart from staging's %v", prod, names)
		}
	}
}

var placeholder = regexp.MustCompile(`^\(sensitive #[0-9]+\)$`)

func mapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestPlaceholdersDeterministic: the same inputs give the same placeholder
// names whatever the hashing key (fresh per run) and however often they are
// read; different secrets get different names.
func TestPlaceholdersDeterministic(t *testing.T) {
	doc := `{"format_version":"1.0","values":{"root_module":{"resources":[
	 {"address":"t.s","mode":"managed","type":"t","name":"s","values":{"m":{"zzz-key-1":"v1-secret-aaaa","aaa-key-2":"v2-secret-bbbb","mmm-key-3":"v3"}},"sensitive_values":{"m":true}},
	 {"address":"t.c","mode":"managed","type":"t","name":"c","values":{"copy":{"zzz-key-1":1,"aaa-key-2":2,"mmm-key-3":3,"plain":4}}}]}}}`
	names := func(key []byte) string {
		s, err := parser.Parse("s.json", []byte(doc), parser.Options{Key: key})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(s.Resources["t.c"].Now.Values.Value("copy"))
	}
	first := names(testKey)
	if strings.Contains(first, "key-") || strings.Count(first, "(sensitive #") != 3 {
		t.Fatalf("copy = %s, want three placeholders", first)
	}
	for i := range 20 {
		if got := names([]byte(fmt.Sprint("key", i))); got != first {
			t.Fatalf("run %d: %s, first run %s", i, got, first)
		}
	}
}

// TestCrossEnvironmentScenario reads scenario j-cross-env-sensitive (real
// Terraform: sensitive variables in staging only) as check does: nothing
// of production's is in clear, and read alone it would be.
func TestCrossEnvironmentScenario(t *testing.T) {
	dir := filepath.Join(scenariosDir, "j-cross-env-sensitive")
	secrets := scenarioSecrets(t)
	for _, ext := range []string{"plan.json", "state.json", "tfstate"} {
		t.Run(ext, func(t *testing.T) {
			staging := string(mustRead(t, filepath.Join(dir, "staging."+ext)))
			production := string(mustRead(t, filepath.Join(dir, "production."+ext)))
			inFile := 0
			alone := dump(mustParseBytes(t, "production."+ext, []byte(production)))
			for _, s := range secrets {
				if strings.Contains(alone, s) {
					inFile++
				}
			}
			if inFile < 3 {
				t.Fatalf("production read alone shows %d secrets; want its password, token and map entries", inFile)
			}
			for _, s := range decodeAll(t, staging, production) {
				assertNoSecret(t, s, secrets)
			}
		})
	}
}

// TestCrossEnvironmentPathAnyType: a path marked in one input hides what
// another holds there whatever its type (a number or a list here, which do
// not propagate by value), and only there: the same number elsewhere, a
// sibling, and list elements not marked stay visible.
func TestCrossEnvironmentPathAnyType(t *testing.T) {
	state := func(values, sensitive string) string {
		return `{"format_version":"1.0","values":{"root_module":{"resources":[
		 {"address":"a.x","mode":"managed","type":"a","name":"x","values":` + values + `,"sensitive_values":` + sensitive + `}]}}}`
	}
	staging := state(`{"pin":1234,"flags":[true,false],"rules":[{"port":1,"key":2},{"port":3,"key":4}],"list":["a","b"]}`,
		`{"pin":true,"flags":true,"rules":[{"key":true},{"key":true}],"list":[false,true]}`)
	production := state(`{"pin":5678,"same":5678,"flags":[false],"rules":[{"port":5,"key":6},{"port":7,"key":8},{"port":9,"key":10}],"list":["c","d","e"]}`, `{}`)
	v := snapshot.Plain(decodeAll(t, staging, production)[1].Resources["a.x"].Now.Values).(map[string]any)
	if !isSensitive(v["pin"]) || !isSensitive(v["flags"]) {
		t.Errorf("pin %#v, flags %#v: want both hidden", v["pin"], v["flags"])
	}
	if fmt.Sprint(v["same"]) != "5678" {
		t.Errorf("same = %#v: a number does not propagate by value", v["same"])
	}
	for i, r := range v["rules"].([]any) {
		m := r.(map[string]any)
		if !isSensitive(m["key"]) || isSensitive(m["port"]) {
			t.Errorf("rules[%d] = %#v: want key hidden in every block, port shown", i, m)
		}
	}
	if l := v["list"].([]any); l[0] != "c" || !isSensitive(l[1]) || l[2] != "e" {
		t.Errorf("list = %#v: want only element 1 hidden", l)
	}
}

// TestSecretAttributeName: a resource attribute named after a secret
// value (as only a hostile or hand-made input names one) is renamed
// "(sensitive #N)" as a map key would be, in every resource that has it,
// and the resources that share its list of names with others keep theirs.
func TestSecretAttributeName(t *testing.T) {
	const secret = "pw-Zq81-live-Hs82"
	doc := `{"format_version":"1.0","values":{"root_module":{"resources":[
	 {"address":"a.src","mode":"managed","type":"a","name":"src","values":{"input":"` + secret + `"},"sensitive_values":{"input":true}},
	 {"address":"b.one","mode":"managed","type":"b","name":"one","values":{"` + secret + `":"v1","plain":"p1"},"sensitive_values":{}},
	 {"address":"b.two","mode":"managed","type":"b","name":"two","values":{"` + secret + `":"v2","plain":"p2"},"sensitive_values":{}},
	 {"address":"c.x","mode":"managed","type":"c","name":"x","values":{"input":"i","output":"o"},"sensitive_values":{}},
	 {"address":"c.y","mode":"managed","type":"c","name":"y","values":{"input":"j","output":"q"},"sensitive_values":{}}]}}}`
	s := decodeAll(t, doc)[0]
	assertNoSecret(t, s, []string{secret})
	for _, addr := range []string{"b.one", "b.two"} {
		names := s.Resources[addr].Now.Values.Names()
		if len(names) != 2 || !placeholder.MatchString(names[0]) || names[1] != "plain" {
			t.Errorf("%s names %q, want a placeholder and plain", addr, names)
		}
	}
	for _, addr := range []string{"c.x", "c.y"} {
		if names := s.Resources[addr].Now.Values.Names(); !slices.Equal(names, []string{"input", "output"}) {
			t.Errorf("%s names %q", addr, names)
		}
	}
}
