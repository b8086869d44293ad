package parser_test

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/snapshot"

	"github.com/lockstep-iac/lockstep/internal/golden"
)

var scenarios = []string{
	"a-staging-only-change",
	"b-pr-changes-staging-only",
	"c-promotion-after",
	"c-promotion-before",
	"d-declared-differences",
}

// TestScenarioPlan checks the snapshot of a real Terraform 1.11 plan that
// updates one resource and creates another.
func TestScenarioPlan(t *testing.T) {
	s := mustParse(t, scenarioB+"/staging.plan.json")
	want := []string{
		`module.app.terraform_data.web[0]`, `module.app.terraform_data.web[1]`,
		`terraform_data.db`, `terraform_data.network`,
		`terraform_data.svc["api"]`, `terraform_data.svc["web"]`, `terraform_data.svc["worker"]`,
		`terraform_data.worker[0]`, `terraform_data.worker[1]`,
	}
	got := keys(s.Resources)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("resources %v, want %v", got, want)
	}

	db := s.Resources["terraform_data.db"]
	if db.Now == nil || db.After == nil || !slices.Equal(db.Actions, []string{"update"}) {
		t.Fatalf("db: now %v after %v actions %v", db.Now != nil, db.After != nil, db.Actions)
	}
	if db.Type != "terraform_data" || db.Name != "db" || db.Module != "" || db.Tainted {
		t.Errorf("db: %+v", db)
	}
	if v := at(t, db.Now.Values, "input", "engine_version"); v != "14.9" {
		t.Errorf("db now engine_version %v", v)
	}
	if v := at(t, db.After.Values, "input", "engine_version"); v != "15.4" {
		t.Errorf("db after engine_version %v", v)
	}
	if v := at(t, db.After.Values, "input", "port"); v != json.Number("5432") {
		t.Errorf("db port %#v, want json.Number 5432", v)
	}
	if v := at(t, db.After.Unknown, "output"); v != true {
		t.Errorf("db after_unknown output = %v, want true", v)
	}
	if _, ok := db.After.Values.Get("output"); ok {
		t.Error("db after has an output value though it is unknown")
	}

	worker := s.Resources[`terraform_data.svc["worker"]`]
	if worker.Now != nil || worker.After == nil || !slices.Equal(worker.Actions, []string{"create"}) {
		t.Fatalf("svc[worker]: now %v after %v actions %v", worker.Now != nil, worker.After != nil, worker.Actions)
	}
	if at(t, worker.After.Unknown, "id") != true || at(t, worker.After.Values, "input", "port") != json.Number("9000") {
		t.Errorf("svc[worker] after %v unknown %v", worker.After.Values, worker.After.Unknown)
	}

	net := s.Resources["terraform_data.network"]
	if !slices.Equal(net.Actions, []string{"no-op"}) || !deepEqual(net.Now.Values, net.After.Values) || net.After.Unknown != nil {
		t.Errorf("network: actions %v now %v after %v unknown %v", net.Actions, net.Now.Values, net.After.Values, net.After.Unknown)
	}

	web := s.Resources["module.app.terraform_data.web[1]"]
	if web.Module != "module.app" || web.Type != "terraform_data" || web.Name != "web" {
		t.Errorf("web[1]: module %q type %q name %q", web.Module, web.Type, web.Name)
	}
	if s.Sensitive != 1 {
		t.Errorf("Sensitive = %d, want 1 (the password)", s.Sensitive)
	}
}

// TestScenarioStates checks state JSON and raw state of the same workspace.
func TestScenarioStates(t *testing.T) {
	for _, file := range []string{"staging.state.json", "staging.tfstate"} {
		t.Run(file, func(t *testing.T) {
			s := mustParse(t, scenarioB+"/"+file)
			if len(s.Resources) != 8 || s.Resources[`terraform_data.svc["worker"]`] != nil {
				t.Fatalf("resources %v", keys(s.Resources))
			}
			for addr, r := range s.Resources {
				if r.Now == nil || r.After != r.Now || len(r.Actions) != 0 || r.Tainted {
					t.Errorf("%s: now %v after==now %v actions %v tainted %v", addr, r.Now != nil, r.After == r.Now, r.Actions, r.Tainted)
				}
				if r.Now.Unknown != nil {
					t.Errorf("%s: a state has unknown values", addr)
				}
			}
			db := s.Resources["terraform_data.db"]
			// Raw state wraps terraform_data's dynamic input and output in
			// {"value": ..., "type": ...}; the snapshot must not.
			in, ok := snapshot.Plain(db.Now.Values.Value("input")).(map[string]any)
			if !ok || in["engine_version"] != "14.9" || in["type"] != nil {
				t.Errorf("db input = %#v", db.Now.Values.Value("input"))
			}
			if web := s.Resources["module.app.terraform_data.web[0]"]; web == nil || web.Module != "module.app" || web.Name != "web" {
				t.Errorf("module.app web[0] = %+v", web)
			}
			if s.Sensitive != 1 {
				t.Errorf("Sensitive = %d, want 1", s.Sensitive)
			}
		})
	}
}

// TestKindsAgree: a plan's prior state, the state JSON and the raw state of
// one workspace give equal Now values, sensitive hashes included.
func TestKindsAgree(t *testing.T) {
	for _, sc := range scenarios {
		for _, env := range []string{"staging", "production"} {
			t.Run(sc+"/"+env, func(t *testing.T) {
				base := filepath.Join(scenariosDir, sc, env)
				plan := mustParse(t, base+".plan.json")
				state := mustParse(t, base+".state.json")
				raw := mustParse(t, base+".tfstate")
				if len(state.Resources) == 0 || len(raw.Resources) != len(state.Resources) {
					t.Fatalf("state has %d resources, raw state %d", len(state.Resources), len(raw.Resources))
				}
				for addr, sr := range state.Resources {
					rr, pr := raw.Resources[addr], plan.Resources[addr]
					if rr == nil || pr == nil || pr.Now == nil {
						t.Errorf("%s: missing from raw state or plan prior state", addr)
						continue
					}
					if !deepEqual(rr.Now.Values, sr.Now.Values) {
						t.Errorf("%s: raw state\n%#v\nstate JSON\n%#v", addr, rr.Now.Values, sr.Now.Values)
					}
					if !deepEqual(pr.Now.Values, sr.Now.Values) {
						t.Errorf("%s: plan\n%#v\nstate JSON\n%#v", addr, pr.Now.Values, sr.Now.Values)
					}
				}
				for addr, pr := range plan.Resources {
					if pr.Now != nil && state.Resources[addr] == nil {
						t.Errorf("%s: exists now in the plan but not in the state", addr)
					}
					if !snapshot.Changes(pr.Actions) && !deepEqual(pr.Now.Values, pr.After.Values) {
						t.Errorf("%s: %v but now and after differ", addr, pr.Actions)
					}
				}
			})
		}
	}
}

func TestGoldenSnapshots(t *testing.T) {
	files := map[string]string{
		"scenario-b-staging.plan":  scenarioB + "/staging.plan.json",
		"scenario-b-staging.state": scenarioB + "/staging.state.json",
		"scenario-b-staging.raw":   scenarioB + "/staging.tfstate",
		"plan-drift":               "testdata/plan-drift.json",
		"plan-deposed":             "testdata/plan-deposed.json",
		"state-show-deposed":       "testdata/state-show.deposed.json",
		"raw-deposed":              "testdata/state-raw-v4.deposed.tfstate",
		"raw-tainted":              "testdata/state-raw-v4.tainted.staging.tfstate",
		"infracost-target":         realDir + "/infracost/plan_with_target.json",
	}
	for name, file := range files {
		t.Run(name, func(t *testing.T) {
			golden.Assert(t, name+".json", snapshotJSON(t, mustParse(t, file)))
		})
	}
}

func TestDeposedSkipped(t *testing.T) {
	for _, file := range []string{"testdata/plan-deposed.json", "testdata/state-show.deposed.json", "testdata/state-raw-v4.deposed.tfstate"} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			s := mustParse(t, file)
			if len(s.Resources) != 1 {
				t.Fatalf("resources %v, want only terraform_data.cbd", keys(s.Resources))
			}
			r := s.Resources["terraform_data.cbd"]
			if r == nil || r.Now == nil || r.Now.Values.Value("input") != "bad" {
				t.Fatalf("cbd = %+v, want the current object (input \"bad\"), not the deposed one", r)
			}
			if s.Kind == snapshot.KindPlan {
				if !slices.Equal(r.Actions, []string{"create", "delete"}) || r.After == nil || r.After.Values.Value("input") != "good2" {
					t.Errorf("cbd actions %v after %+v", r.Actions, r.After)
				}
			}
			everyValue(s, func(v any) {
				if v == "good" {
					t.Errorf("the deposed object's value %q is in the snapshot", v)
				}
			})
		})
	}
}

func TestDataSourcesSkipped(t *testing.T) {
	tests := []struct {
		file    string
		managed int
	}{
		{realDir + "/terraform-json/no_changes/state.json", 6},
		{realDir + "/tfplan2md/azuredevops/terraform_plan.json", 5},
		{realDir + "/driftctl/azurerm_network_security_group.tfstate", 3},
		{realDir + "/infracost/terraform_v0.12_state.json", 14},
		{realDir + "/terraform-json/013_module_depends_on/plan.json", 2},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s := mustParse(t, tt.file)
			for addr := range s.Resources {
				if strings.HasPrefix(addr, "data.") || strings.Contains(addr, ".data.") {
					t.Errorf("data source %s is in the snapshot", addr)
				}
			}
			if len(s.Resources) != tt.managed {
				t.Errorf("%d resources, want %d: %v", len(s.Resources), tt.managed, keys(s.Resources))
			}
		})
	}
}

func TestTerraform012Addresses(t *testing.T) {
	// Terraform 0.12 writes state JSON addresses relative to the module and
	// without the instance key; they must come out absolute and distinct, and
	// match the plan's resource_changes addresses.
	plan := mustParse(t, realDir+"/infracost/terraform_v0.12_plan.json")
	state := mustParse(t, realDir+"/infracost/terraform_v0.12_state.json")
	for _, addr := range []string{
		`aws_instance.instance_counted[0]`,
		`aws_instance.instance_named["test.1"]`,
		`module.db.module.db_1.module.db_instance.aws_db_instance.this[0]`,
		`module.instances.aws_default_vpc.default`,
		`module.db.aws_default_vpc.default`,
	} {
		for _, s := range []*snapshot.Snapshot{plan, state} {
			r := s.Resources[addr]
			if r == nil || r.Now == nil {
				t.Errorf("%s: %s missing or without a current object", s.Kind, addr)
			}
		}
	}
	for addr, r := range plan.Resources {
		if r.Actions == nil {
			t.Errorf("%s is in prior_state under an address resource_changes does not use", addr)
		}
	}
	if r := state.Resources["module.db.module.db_1.module.db_instance.aws_db_instance.this[0]"]; r != nil && r.Module != "module.db.module.db_1.module.db_instance" {
		t.Errorf("module = %q", r.Module)
	}
}

func TestTainted(t *testing.T) {
	raw := mustParse(t, "testdata/state-raw-v4.tainted.staging.tfstate")
	if r := raw.Resources["terraform_data.replica[0]"]; r == nil || !r.Tainted {
		t.Errorf("replica[0] = %+v, want tainted", r)
	}
	if r := raw.Resources["terraform_data.replica[1]"]; r == nil || r.Tainted {
		t.Errorf("replica[1] = %+v, want not tainted", r)
	}
	state := mustParseBytes(t, "state.json", []byte(`{"format_version":"1.0","values":{"root_module":{"resources":[
		{"address":"a.t","mode":"managed","type":"a","name":"t","values":{"x":1},"tainted":true},
		{"address":"a.u","mode":"managed","type":"a","name":"u","values":{"x":1}}]}}}`))
	if !state.Resources["a.t"].Tainted || state.Resources["a.u"].Tainted {
		t.Error("state JSON tainted flag lost")
	}
	plan := mustParseBytes(t, "plan.json", []byte(`{"format_version":"1.2","prior_state":{"format_version":"1.0","values":{"root_module":{"resources":[
		{"address":"a.t","mode":"managed","type":"a","name":"t","values":{"x":1},"tainted":true}]}}},
		"resource_changes":[{"address":"a.t","mode":"managed","type":"a","name":"t","change":{"actions":["delete","create"],"before":{"x":1},"after":{"x":1}}}]}`))
	if r := plan.Resources["a.t"]; !r.Tainted || !slices.Equal(r.Actions, []string{"delete", "create"}) || r.After == nil {
		t.Errorf("plan a.t = %+v", r)
	}
}

func TestTargetPlanKeepsPriorState(t *testing.T) {
	s := mustParse(t, realDir+"/infracost/plan_with_target.json")
	one, two := s.Resources["aws_instance.web_app_1"], s.Resources["aws_instance.web_app_2"]
	if one == nil || !slices.Equal(one.Actions, []string{"update"}) || one.Now == nil || one.After == nil {
		t.Errorf("web_app_1 = %+v", one)
	}
	if two == nil || two.Actions != nil || two.Now == nil || two.After != two.Now {
		t.Fatalf("web_app_2 (outside -target) = %+v, want its prior state and no actions", two)
	}
	if len(s.Drift) != 1 || s.Drift[0].Address != "aws_instance.web_app_1" {
		t.Errorf("drift %+v", s.Drift)
	}
}

func TestDrift(t *testing.T) {
	s := mustParse(t, "testdata/plan-drift.json")
	if len(s.Drift) != 2 {
		t.Fatalf("%d drift entries, want 2", len(s.Drift))
	}
	a, gone := s.Drift[0], s.Drift[1]
	if a.Address != "drift_thing.a" || a.Type != "drift_thing" || !slices.Equal(a.Actions, []string{"update"}) ||
		a.Before["value"] != "expected" || a.After["value"] != "changed-outside" {
		t.Errorf("drift a = %+v", a)
	}
	if gone.Address != "drift_thing.gone" || !slices.Equal(gone.Actions, []string{"delete"}) || gone.Before["value"] != "x" || gone.After != nil {
		t.Errorf("drift gone = %+v", gone)
	}
	if r := s.Resources["drift_thing.gone"]; r == nil || r.Now != nil || r.After == nil || !slices.Equal(r.Actions, []string{"create"}) {
		t.Errorf("resource gone = %+v", r)
	}
	if r := s.Resources["drift_thing.a"]; r == nil || r.Now.Values.Value("value") != "changed-outside" || r.After.Values.Value("value") != "expected" {
		t.Errorf("resource a = %+v", r)
	}

	ts := mustParse(t, realDir+"/tf-summarize/tfplan.json")
	if len(ts.Drift) != 3 {
		t.Fatalf("tf-summarize: %d drift entries, want 3", len(ts.Drift))
	}
	for _, d := range ts.Drift {
		if !strings.HasPrefix(d.Address, `module.github["terraform-plan-summary"].`) || !slices.Equal(d.Actions, []string{"delete"}) || d.Before == nil || d.After != nil {
			t.Errorf("tf-summarize drift %+v", d)
		}
	}
	if s := mustParse(t, scenarioB+"/staging.plan.json"); s.Drift != nil {
		t.Errorf("a plan without resource_drift has drift %+v", s.Drift)
	}
}

func TestPlanActions(t *testing.T) {
	s := mustParse(t, realDir+"/tfplan2md/azuredevops/terraform_plan.json")
	del := s.Resources["azuredevops_build_definition.example"]
	if del == nil || del.Now == nil || del.After != nil || !slices.Equal(del.Actions, []string{"delete"}) {
		t.Errorf("deleted resource = %+v", del)
	}
	rep := mustParse(t, realDir+"/terraform/show-json-requires-replace.output.json")
	for addr, r := range rep.Resources {
		if snapshot.ActionVerb(r.Actions) != "replace" || r.Now == nil || r.After == nil {
			t.Errorf("%s: actions %v now %v after %v", addr, r.Actions, r.Now != nil, r.After != nil)
		}
	}

	hand := mustParseBytes(t, "plan.json", []byte(`{"format_version":"1.2","resource_changes":[
		{"address":"a.created","mode":"managed","type":"a","name":"created","change":{"actions":["create"],"before":null,"after":null}},
		{"address":"a.forgotten","mode":"managed","type":"a","name":"forgotten","change":{"actions":["forget"],"before":{"x":"1"},"after":null}},
		{"address":"a.nothing","mode":"managed","type":"a","name":"nothing","change":{"actions":["no-op"],"before":null,"after":null}},
		{"address":"data.a.d","mode":"data","type":"a","name":"d","change":{"actions":["read"],"before":null,"after":{"x":"1"}}},
		{"address":"module.m[\"k.j\"].a.m","module_address":"module.m[\"k.j\"]","mode":"managed","type":"a","name":"m","change":{"actions":["no-op"],"before":{"x":"1"},"after":{"x":"1"},"after_unknown":{}}}]}`))
	if r := hand.Resources["a.created"]; r == nil || r.After == nil || r.After.Unknown != true || r.After.Values.Len() != 0 {
		t.Errorf("create with a null after = %+v", r)
	}
	if r := hand.Resources["a.forgotten"]; r == nil || r.After != nil || r.Now == nil {
		t.Errorf("forget = %+v", r)
	}
	if r := hand.Resources[`module.m["k.j"].a.m`]; r == nil || r.Module != `module.m["k.j"]` || r.After.Unknown != nil {
		t.Errorf("module resource = %+v", r)
	}
	if len(hand.Resources) != 3 {
		t.Errorf("resources %v, want created, forgotten and the module one", keys(hand.Resources))
	}
}

func TestModuleOfStateAddresses(t *testing.T) {
	s := mustParseBytes(t, "state.json", []byte(`{"format_version":"1.0","values":{"root_module":{"resources":[
		{"address":"a.root","mode":"managed","type":"a","name":"root","values":{}}],
		"child_modules":[{"address":"module.x[\"a.b\"]","resources":[
			{"address":"module.x[\"a.b\"].a.one","mode":"managed","type":"a","name":"one","values":{}}],
			"child_modules":[{"address":"module.x[\"a.b\"].module.y[0]","resources":[
				{"address":"module.x[\"a.b\"].module.y[0].a.two[\"k\"]","mode":"managed","type":"a","name":"two","index":"k","values":{}}]}]}]}}}`))
	tests := map[string]string{
		`a.root`:                                 "",
		`module.x["a.b"].a.one`:                  `module.x["a.b"]`,
		`module.x["a.b"].module.y[0].a.two["k"]`: `module.x["a.b"].module.y[0]`,
	}
	for addr, mod := range tests {
		r := s.Resources[addr]
		if r == nil {
			t.Errorf("%s missing: %v", addr, keys(s.Resources))
			continue
		}
		if r.Module != mod {
			t.Errorf("%s: module %q, want %q", addr, r.Module, mod)
		}
	}
}

func TestRawState(t *testing.T) {
	s := mustParseBytes(t, "raw.tfstate", []byte(`{"version":4,"terraform_version":"1.11.4","resources":[
		{"mode":"managed","type":"a","name":"dyn","instances":[{"attributes":{
			"obj":{"value":{"x":"1"},"type":["object",{"x":"string"}]},
			"list":{"value":["a"],"type":["list","string"]},
			"set":{"value":["a"],"type":["set","string"]},
			"map":{"value":{"k":"v"},"type":["map","string"]},
			"tuple":{"value":["a",1],"type":["tuple",["string","number"]]},
			"num":{"value":1,"type":"number"},
			"dynamic":{"value":null,"type":"dynamic"},
			"bad_type":{"value":"v","type":"colour"},
			"bad_list":{"value":["a"],"type":["list"]},
			"bad_object":{"value":{},"type":["object"]},
			"bad_tuple":{"value":[],"type":["tuple","string"]},
			"empty_type":{"value":1,"type":[]},
			"extra_key":{"value":"v","type":"string","x":1},
			"plain":{"type":"string","name":"n"}}}]},
		{"module":"module.m","mode":"managed","type":"a","name":"each","instances":[
			{"index_key":"k","attributes":{"id":"e1"}},
			{"index_key":3,"attributes":{"id":"e3"}}]},
		{"mode":"managed","type":"a","name":"flat","instances":[{"attributes_flat":{"id":"f","tags.%":"0"}}]},
		{"mode":"data","type":"a","name":"d","instances":[{"attributes":{"id":"d"}}]}]}`))
	dyn := snapshot.Plain(s.Resources["a.dyn"].Now.Values).(map[string]any)
	want := map[string]any{
		"obj":        map[string]any{"x": "1"},
		"list":       []any{"a"},
		"set":        []any{"a"},
		"map":        map[string]any{"k": "v"},
		"tuple":      []any{"a", json.Number("1")},
		"num":        json.Number("1"),
		"dynamic":    nil,
		"bad_type":   map[string]any{"value": "v", "type": "colour"},
		"bad_list":   map[string]any{"value": []any{"a"}, "type": []any{"list"}},
		"bad_object": map[string]any{"value": map[string]any{}, "type": []any{"object"}},
		"bad_tuple":  map[string]any{"value": []any{}, "type": []any{"tuple", "string"}},
		"empty_type": map[string]any{"value": json.Number("1"), "type": []any{}},
		"extra_key":  map[string]any{"value": "v", "type": "string", "x": json.Number("1")},
		"plain":      map[string]any{"type": "string", "name": "n"},
	}
	for k, w := range want {
		if !deepEqual(dyn[k], w) {
			t.Errorf("%s = %#v, want %#v", k, dyn[k], w)
		}
	}
	for addr, wantMod := range map[string]string{`module.m.a.each["k"]`: "module.m", `module.m.a.each[3]`: "module.m"} {
		if r := s.Resources[addr]; r == nil || r.Module != wantMod || r.Type != "a" || r.Name != "each" {
			t.Errorf("%s = %+v", addr, r)
		}
	}
	if r := s.Resources["a.flat"]; r == nil || !deepEqual(snapshot.Plain(r.Now.Values).(map[string]any), map[string]any{"id": "f", "tags.%": "0"}) {
		t.Errorf("attributes_flat = %+v", r)
	}
	if len(s.Resources) != 4 {
		t.Errorf("resources %v", keys(s.Resources))
	}
}
