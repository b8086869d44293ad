package parser_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/parser"
	"github.com/lockstep-iac/lockstep/snapshot"
)

func scenarioSecrets(t *testing.T) []string {
	t.Helper()
	pw := strings.Fields(string(mustRead(t, filepath.Join(scenariosDir, "secrets.txt"))))
	if len(pw) < 10 {
		t.Fatalf("secrets.txt lists %d secrets", len(pw))
	}
	return pw
}

func scenarioFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, sc := range scenarios {
		for _, env := range []string{"staging", "production"} {
			for _, ext := range []string{"plan.json", "state.json", "tfstate"} {
				files = append(files, filepath.Join(scenariosDir, sc, env+"."+ext))
			}
		}
	}
	return files
}

// assertNoSecret fails if any secret appears anywhere in s.
func assertNoSecret(t *testing.T, s *snapshot.Snapshot, secrets []string) {
	t.Helper()
	everyValue(s, func(v any) {
		str, ok := v.(string)
		if !ok {
			return
		}
		for _, p := range secrets {
			if strings.Contains(str, p) {
				t.Errorf("the snapshot holds the secret %q", p)
			}
		}
	})
	d := dump(s)
	for _, p := range secrets {
		if strings.Contains(d, p) {
			t.Errorf("the printed snapshot contains the secret %q", p)
		}
	}
}

func TestScenarioSecrets(t *testing.T) {
	secrets := scenarioSecrets(t)
	for _, file := range scenarioFiles(t) {
		t.Run(file, func(t *testing.T) {
			data := mustRead(t, file)
			inFile := 0
			for _, p := range secrets {
				if strings.Contains(string(data), p) {
					inFile++
				}
			}
			if inFile == 0 {
				t.Fatalf("%s contains none of the secrets: the test checks nothing", file)
			}
			s := mustParse(t, file)
			assertNoSecret(t, s, secrets)
			if s.Sensitive < 1 {
				t.Errorf("Sensitive = %d", s.Sensitive)
			}
			db := s.Resources["terraform_data.db"]
			for _, o := range []*snapshot.Object{db.Now, db.After} {
				if o == nil {
					continue
				}
				in := at(t, o.Values, "input", "password")
				if !isSensitive(in) {
					t.Errorf("input.password = %#v", in)
				}
				if out, ok := snapshot.Plain(o.Values.Value("output")).(map[string]any); ok {
					// Terraform copies the password into output without
					// the sensitive mark.
					if !isSensitive(out["password"]) {
						t.Errorf("output.password = %#v, want a snapshot.Sensitive", out["password"])
					}
					if out["password"] != in {
						t.Errorf("input and output hold the same password but hash differently: %v %v", in, out["password"])
					}
				}
			}
		})
	}
}

func TestSensitiveHashes(t *testing.T) {
	const file = scenariosDir + "/d-declared-differences/staging.plan.json"
	hash := func(key []byte, file string) snapshot.Sensitive {
		s, err := parser.ReadFile(file, parser.Options{Key: key})
		if err != nil {
			t.Fatal(err)
		}
		v, ok := at(t, s.Resources["terraform_data.db"].Now.Values, "input", "password").(snapshot.Sensitive)
		if !ok || len(v.Hash) < 16 {
			t.Fatalf("password is %#v", v)
		}
		return v
	}
	a, b := hash(testKey, file), hash(testKey, file)
	if a != b {
		t.Errorf("same key, same file: %v vs %v", a, b)
	}
	if c := hash(otherKey, file); c == a {
		t.Errorf("different keys give the same hash %v", c)
	}
	if p := hash(testKey, scenariosDir+"/d-declared-differences/production.plan.json"); p == a {
		t.Errorf("different passwords give the same hash %v", p)
	}
	for _, kind := range []string{"staging.state.json", "staging.tfstate"} {
		if h := hash(testKey, scenariosDir+"/d-declared-differences/"+kind); h != a {
			t.Errorf("%s hashes the password as %v, the plan as %v", kind, h, a)
		}
	}
}

// TestRedaction checks how marks are learnt and applied, on hand-written
// inputs.
func TestRedaction(t *testing.T) {
	const secret = "hunter2-secret"
	plan := `{"format_version":"1.2",
	"variables":{"db_password":{"value":"var-secret-1"},"plain":{"value":"not-secret"}},
	"configuration":{"root_module":{"variables":{
		"db_password":{"sensitive":true},
		"api_key":{"sensitive":true,"default":"default-secret-2"},
		"plain":{}}}},
	"prior_state":{"format_version":"1.0","values":{
		"outputs":{"token":{"sensitive":true,"value":"output-secret-3"},"open":{"sensitive":false,"value":"open-value"}},
		"root_module":{"resources":[
			{"address":"a.prior","mode":"managed","type":"a","name":"prior","values":{"t":"output-secret-3","k":"default-secret-2","o":"open-value"},"sensitive_values":{}}]}}},
	"resource_changes":[
		{"address":"a.marks","mode":"managed","type":"a","name":"marks","change":{"actions":["create"],"before":null,
			"after":{"pw":"` + secret + `","copy":"` + secret + `","num":4242,"num_copy":4242,"list":["x","list-secret-4"],"empty":"","nothing":null,
				"nested":[{"inner":"nested-secret-5"}],"v":"var-secret-1","plain":"not-secret"},
			"after_unknown":{},"before_sensitive":false,
			"after_sensitive":{"pw":true,"num":true,"list":[false,true],"empty":true,"nothing":true,"nested":[{"inner":true}]}}},
		{"address":"a.whole","mode":"managed","type":"a","name":"whole","change":{"actions":["create"],"before":null,
			"after":{"x":"whole-secret-6","n":7},"after_unknown":{},"after_sensitive":true}}],
	"resource_drift":[
		{"address":"a.prior","mode":"managed","type":"a","name":"prior","change":{"actions":["update"],
			"before":{"d":"drift-secret-7"},"after":{"d":"drift-secret-7","e":"nested-secret-5"},
			"before_sensitive":{"d":true},"after_sensitive":{}}}],
	"output_changes":{"o":{"actions":["create"],"before":null,"after":"oc-secret-8","after_sensitive":true}}}`
	s := mustParseBytes(t, "plan.json", []byte(plan))
	secrets := []string{secret, "var-secret-1", "default-secret-2", "output-secret-3", "list-secret-4", "nested-secret-5", "whole-secret-6", "drift-secret-7", "oc-secret-8"}
	assertNoSecret(t, s, secrets)

	m := snapshot.Plain(s.Resources["a.marks"].After.Values).(map[string]any)
	for _, k := range []string{"pw", "copy", "num", "v"} {
		if !isSensitive(m[k]) {
			t.Errorf("%s = %#v, want sensitive", k, m[k])
		}
	}
	if m["pw"] != m["copy"] {
		t.Error("a marked value and its unmarked copy hash differently")
	}
	// Numbers and booleans do not propagate: every other 4242 stays.
	if m["num_copy"] != json.Number("4242") {
		t.Errorf("num_copy = %#v", m["num_copy"])
	}
	if l := m["list"].([]any); l[0] != "x" || !isSensitive(l[1]) {
		t.Errorf("list = %#v", l)
	}
	if !isSensitive(at(t, m, "nested").([]any)[0].(map[string]any)["inner"]) {
		t.Errorf("nested = %#v", m["nested"])
	}
	if !isSensitive(m["empty"]) || m["nothing"] != nil {
		t.Errorf("marked empty string %#v, marked null %#v", m["empty"], m["nothing"])
	}
	if m["plain"] != "not-secret" {
		t.Errorf("a non-sensitive variable's value was hidden: %#v", m["plain"])
	}
	w := snapshot.Plain(s.Resources["a.whole"].After.Values).(map[string]any)
	if len(w) != 2 || !isSensitive(w["x"]) || !isSensitive(w["n"]) {
		t.Errorf("wholly sensitive object = %#v, want its keys with hidden values", w)
	}
	p := snapshot.Plain(s.Resources["a.prior"].Now.Values).(map[string]any)
	if !isSensitive(p["t"]) || !isSensitive(p["k"]) || p["o"] != "open-value" {
		t.Errorf("prior = %#v", p)
	}
	if len(s.Drift) != 1 || !isSensitive(s.Drift[0].Before["d"]) || !isSensitive(s.Drift[0].After["d"]) || !isSensitive(s.Drift[0].After["e"]) {
		t.Errorf("drift = %#v", s.Drift)
	}
	if s.Sensitive != len(secrets) {
		t.Errorf("Sensitive = %d, want %d", s.Sensitive, len(secrets))
	}
}

func TestRawStateSensitivePaths(t *testing.T) {
	raw := `{"version":4,"outputs":{"o":{"value":"output-secret-1","sensitive":true},"p":{"value":"plain-output"}},"resources":[
		{"mode":"managed","type":"a","name":"paths","instances":[{"attributes":{
			"list":["x","list-secret-2"],"map":{"k":"map-secret-3","l":"visible"},"top":"top-secret-4",
			"deep":{"value":{"inner":["deep-secret-5"]},"type":["object",{"inner":["list","string"]}]},
			"copy":"output-secret-1","plain":"plain-output"},
			"sensitive_attributes":[
				[{"type":"get_attr","value":"list"},{"type":"index","value":{"value":1,"type":"number"}}],
				[{"type":"get_attr","value":"map"},{"type":"index","value":{"value":"k","type":"string"}}],
				[{"type":"get_attr","value":"top"}],
				[{"type":"get_attr","value":"deep"},{"type":"get_attr","value":"inner"},{"type":"index","value":{"value":0,"type":"number"}}],
				[{"type":"get_attr","value":"top"},{"type":"get_attr","value":"below"}],
				[{"type":"index","value":{"type":"number"}}]]}]},
		{"mode":"managed","type":"a","name":"whole","instances":[{"attributes":{"x":"whole-secret-6","y":"whole-secret-7"},"sensitive_attributes":[[]]}]}]}`
	s := mustParseBytes(t, "raw.tfstate", []byte(raw))
	assertNoSecret(t, s, []string{"output-secret-1", "list-secret-2", "map-secret-3", "top-secret-4", "deep-secret-5", "whole-secret-6", "whole-secret-7"})
	v := snapshot.Plain(s.Resources["a.paths"].Now.Values).(map[string]any)
	if l := v["list"].([]any); l[0] != "x" || !isSensitive(l[1]) {
		t.Errorf("list = %#v", v["list"])
	}
	if m := v["map"].(map[string]any); m["l"] != "visible" || !isSensitive(m["k"]) {
		t.Errorf("map = %#v", v["map"])
	}
	if !isSensitive(v["top"]) || !isSensitive(v["copy"]) || v["plain"] != "plain-output" {
		t.Errorf("values = %#v", v)
	}
	if !isSensitive(at(t, v, "deep", "inner").([]any)[0]) {
		t.Errorf("deep = %#v", v["deep"])
	}
	w := snapshot.Plain(s.Resources["a.whole"].Now.Values).(map[string]any)
	if !isSensitive(w["x"]) || !isSensitive(w["y"]) {
		t.Errorf("an empty path marks the whole object: %#v", w)
	}
}

func TestScenarioSecretsNotInErrors(t *testing.T) {
	// Damaged copies of a file with a password must not echo it.
	secrets := scenarioSecrets(t)
	data := mustRead(t, scenarioB+"/staging.tfstate")
	i := strings.Index(string(data), "s3cr3t")
	if i < 0 {
		t.Fatal("no password in the raw state")
	}
	j := i + strings.IndexByte(string(data[i:]), '"') // the closing quote
	cases := map[string][]byte{
		"cut inside the password":  data[:i+4],
		"quote removed before it":  append(append([]byte{}, data[:i-1]...), data[i:]...),
		"brace after it":           append(append(append([]byte{}, data[:j+1]...), '}', '}'), data[j+1:]...),
		"password as version":      []byte(`{"version":"` + secrets[0] + `"}`),
		"password as a bool field": []byte(`{"format_version":"1.0","values":{"root_module":{"resources":[{"tainted":"` + secrets[0] + `"}]}}}`),
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := parser.Parse("broken.tfstate", c, opts())
			ie := inputError(t, err, "broken.tfstate")
			for _, p := range secrets {
				if strings.Contains(ie.Error(), p) || strings.Contains(ie.Error(), "s3cr3t") {
					t.Errorf("error shows the secret: %v", ie)
				}
			}
		})
	}
}

func TestSecretsFileIsComplete(t *testing.T) {
	// Every db_password in the scenario plans is listed in secrets.txt, so
	// the grep above covers them all.
	secrets := scenarioSecrets(t)
	for _, file := range scenarioFiles(t) {
		if !strings.HasSuffix(file, ".plan.json") {
			continue
		}
		var doc struct {
			Variables map[string]struct{ Value any } `json:"variables"`
		}
		if err := json.Unmarshal(mustRead(t, file), &doc); err != nil {
			t.Fatal(err)
		}
		pw, _ := doc.Variables["db_password"].Value.(string)
		found := false
		for _, s := range secrets {
			found = found || s == pw
		}
		if !found {
			t.Errorf("%s: db_password %q... is not in secrets.txt", file, pw[:min(len(pw), 3)])
		}
	}
}
