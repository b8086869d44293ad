package parser

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
)

// differential decodes data with both readers and fails unless they agree:
// the same error or none, the same snapshot. It reports whether the
// streaming reader read the input (rather than giving up).
func differential(t *testing.T, name string, data []byte) bool {
	t.Helper()
	opts := Options{Key: []byte("differential-test-key")}
	fast, ferr := decodeStream(bytes.NewReader(data), int64(len(data)), name, opts)
	slow, serr := decodeDocument(name, data, opts)
	switch {
	case ferr != nil:
		return false
	case serr != nil:
		t.Fatalf("%s: the streaming reader accepts what the document reader refuses: %v", name, serr)
	}
	a, err := json.Marshal(fast.Snapshot(nil))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(slow.Snapshot(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatalf("%s: the readers' snapshots differ:\nstream:   %.2000s\ndocument: %.2000s", name, a, b)
	}
	return true
}

// TestStreamMatchesDocument reads every plan and state of the repository's
// fixtures with both readers. Every plan and raw state Terraform wrote for
// the scenarios must be read by the streaming reader.
func TestStreamMatchesDocument(t *testing.T) {
	roots := []string{"testdata", "../testdata", "../../shared/fixtures/real", "../cmd/lockstep/testdata"}
	streamed, files := 0, 0
	for _, root := range roots {
		_ = filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(path, ".json") && !strings.HasSuffix(path, ".tfstate") {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil || len(data) > 64<<20 {
				return nil
			}
			files++
			ok := differential(t, path, data)
			if ok {
				streamed++
			} else if os.Getenv("STREAM_DEBUG") != "" {
				t.Logf("gave up: %s", path)
			}
			written := strings.HasSuffix(path, ".plan.json") || strings.HasSuffix(path, ".tfstate") && !strings.Contains(path, "encrypted")
			if !ok && strings.Contains(path, "testdata/scenarios/") && written {
				t.Errorf("%s: the streaming reader gave up on a plan or raw state Terraform wrote", path)
			}
			return nil
		})
	}
	t.Logf("%d of %d files read by the streaming reader", streamed, files)
	if streamed == 0 {
		t.Fatal("the streaming reader read nothing")
	}
}

// TestStreamDuplicateKeys: the streaming reader lets its
// decoder allow duplicate keys, so every place a value is used must refuse
// them itself; Decode then reports the duplicate as the document reader
// words it.
func TestStreamDuplicateKeys(t *testing.T) {
	const plan = `{"format_version":"1.2","terraform_version":"1.11.4",
"planned_values":{"root_module":{"resources":[{"address":"a.b","mode":"managed","type":"a","name":"b","values":PLANNED,"sensitive_values":{"x":true}}]}},
"resource_changes":[CHANGE,
 {"address":"a.c","mode":"managed","type":"a","name":"c","change":{"actions":["no-op"],"before":{"y":"1"},"after":NOOP,"after_unknown":{},"before_sensitive":{},"after_sensitive":{}}}],
"prior_state":{"format_version":"1.0","values":{"outputs":OUTPUTS,"root_module":{"resources":[
 {"address":"a.b","mode":"managed","type":"a","name":"b","values":PRIOR,"sensitive_values":{}},
 {"address":"a.c","mode":"managed","type":"a","name":"c","values":{"y":"1"},"sensitive_values":{}}]}}}}`
	defaults := map[string]string{
		"CHANGE":  `{"address":"a.b","mode":"managed","type":"a","name":"b","change":{"actions":["update"],"before":{"x":"1"},"after":AFTER,"after_unknown":{},"before_sensitive":{},"after_sensitive":{}}}`,
		"AFTER":   `{"x":"2"}`,
		"PRIOR":   `{"x":"1"}`,
		"PLANNED": `{"x":"2"}`,
		"NOOP":    `{"y":"1"}`,
		"OUTPUTS": `{"o":{"sensitive":false,"value":"v"}}`,
	}
	for _, tc := range []struct {
		name, key, value string
		// allowed: the duplicate is in a value nothing uses, where the
		// streaming reader may leave it.
		allowed bool
	}{
		{name: "none"},
		{name: "in an update's after", key: "AFTER", value: `{"x":"2","x":"3"}`},
		{name: "in prior_state's values", key: "PRIOR", value: `{"x":"1","x":"1"}`},
		{name: "in a marked planned_values object", key: "PLANNED", value: `{"x":"2","x":"2"}`},
		{name: "in a change's members", key: "CHANGE", value: `{"address":"a.b","address":"a.b","mode":"managed","type":"a","name":"b","change":{"actions":["update"],"before":{"x":"1"},"after":{"x":"2"}}}`},
		{name: "in a change object's members", key: "CHANGE", value: `{"address":"a.b","mode":"managed","type":"a","name":"b","change":{"actions":["update"],"before":{"x":"1"},"before":{"x":"1"},"after":{"x":"2"}}}`},
		{name: "in an output", key: "OUTPUTS", value: `{"o":{"sensitive":false,"value":{"k":1,"k":2}}}`},
		{name: "in an unused no-op after", key: "NOOP", value: `{"y":"1","y":"1"}`, allowed: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// CHANGE holds AFTER: replaced first.
			data := []byte(fill(plan, []string{"CHANGE", "AFTER", "PRIOR", "PLANNED", "NOOP", "OUTPUTS"}, defaults, map[string]string{tc.key: tc.value}))
			ferr, err := decodeBoth("plan.json", data)
			switch {
			case tc.key == "":
				if ferr != nil || err != nil {
					t.Fatalf("stream: %v, Decode: %v", ferr, err)
				}
			case tc.allowed:
				if ferr != nil {
					t.Fatalf("the streaming reader gave up on a duplicate in a value it skips: %v", ferr)
				}
			default:
				if ferr == nil {
					t.Fatal("the streaming reader read a duplicate key in a value it uses")
				}
				if err == nil || !strings.Contains(err.Error(), "same key twice") {
					t.Fatalf("Decode: %v, want the duplicate key reported", err)
				}
			}
		})
	}
}

// FuzzStreamMatchesDocument: on any input, the streaming reader gives up
// or agrees with the document reader (see differential).
//
//	go test -run='^$' -fuzz=FuzzStreamMatchesDocument -fuzztime=60s ./parser/
func FuzzStreamMatchesDocument(f *testing.F) {
	for _, p := range []string{"../testdata/scenarios/g-shared-secret/staging.plan.json", "../testdata/scenarios/a-staging-only-change/production.state.json", "../testdata/scenarios/g-shared-secret/staging.tfstate"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"format_version":"1.2","prior_state":{"values":{"root_module":{"resources":[{"address":"a.b","type":"a","name":"b","values":{"x":"1"},"sensitive_values":{"x":true}}]}}},"resource_changes":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		differential(t, "fuzz.json", data)
	})
}

// TestStreamRawStateDuplicateKeys: a raw state's structure is read by the
// streaming reader and its attributes decoded later, so a name twice is
// refused in each place, and Decode reports it as the document reader
// words it.
func TestStreamRawStateDuplicateKeys(t *testing.T) {
	const state = `{"version":4,"terraform_version":"1.11.4","serial":1,"lineage":"l","outputs":OUTPUTS,"resources":[RESOURCE]}`
	defaults := map[string]string{
		"RESOURCE":   `{"mode":"managed","type":"a","name":"b","provider":"provider[\"registry.terraform.io/hashicorp/a\"]","instances":[INSTANCE]}`,
		"INSTANCE":   `{"schema_version":0,"attributes":ATTRIBUTES,"sensitive_attributes":[]}`,
		"ATTRIBUTES": `{"x":"1","y":{"z":2}}`,
		"OUTPUTS":    `{"o":{"value":"v","type":"string"}}`,
	}
	for _, tc := range []struct{ name, key, value string }{
		{name: "none"},
		{"in the attributes", "ATTRIBUTES", `{"x":"1","x":"2"}`},
		{"deep in the attributes", "ATTRIBUTES", `{"x":"1","y":{"z":2,"z":3}}`},
		{"in an instance's members", "INSTANCE", `{"schema_version":0,"attributes":{"x":"1"},"attributes":{"x":"2"}}`},
		{"in a resource's members", "RESOURCE", `{"mode":"managed","type":"a","type":"a","name":"b","instances":[]}`},
		{"in an output", "OUTPUTS", `{"o":{"value":"v","value":"w"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(fill(state, []string{"OUTPUTS", "RESOURCE", "INSTANCE", "ATTRIBUTES"}, defaults, map[string]string{tc.key: tc.value}))
			ferr, err := decodeBoth("state.tfstate", data)
			if tc.key == "" {
				if ferr != nil || err != nil {
					t.Fatalf("stream: %v, Decode: %v", ferr, err)
				}
				return
			}
			if ferr == nil {
				t.Fatal("the streaming reader read a duplicate key")
			}
			if err == nil || !strings.Contains(err.Error(), "same key twice") {
				t.Fatalf("Decode: %v, want the duplicate key reported", err)
			}
		})
	}
}

// TestStreamRawStateVariants: raw states in the shapes Terraform has
// written over the years, and in shapes it does not write, read by both
// readers: they agree, and the streaming reader reads every shape
// Terraform writes.
func TestStreamRawStateVariants(t *testing.T) {
	const state = `{"version":VERSION,"terraform_version":"1.5.7","serial":3,"lineage":"l","outputs":OUTPUTS,"resources":[{"mode":"MODE","type":"a","name":"b",EACH"provider":"provider[\"registry.terraform.io/hashicorp/a\"]","instances":INSTANCES}],"check_results":null}`
	instance := `{INDEXSTATUS"schema_version":1,"attributes":ATTRIBUTES,"sensitive_attributes":SENSITIVE,"private":"eyJ4IjoxfQ==","dependencies":["a.c"]}`
	defaults := map[string]string{
		"VERSION": "4", "OUTPUTS": `{"o":{"value":"v","type":"string","sensitive":true}}`, "MODE": "managed", "EACH": "",
		"INSTANCES": "[" + instance + "]", "INDEX": "", "STATUS": "", "ATTRIBUTES": `{"id":"x","n":1.5,"list":[1,"2",null],"m":{"k":"v"}}`,
		"SENSITIVE": `[[{"type":"get_attr","value":"m"},{"type":"index","value":{"value":"k","type":"string"}}]]`,
	}
	for _, tc := range []struct {
		name   string
		values map[string]string
		// terraform: a shape Terraform writes, which the streaming reader
		// must read rather than give up on.
		terraform bool
	}{
		{"as written", nil, true},
		{"count", map[string]string{"EACH": `"each":"list",`, "INDEX": `"index_key":0,`}, true},
		{"for_each", map[string]string{"EACH": `"each":"map",`, "INDEX": `"index_key":"a",`}, true},
		{"tainted", map[string]string{"STATUS": `"status":"tainted",`}, true},
		{"deposed", map[string]string{"STATUS": `"deposed":"00000001",`}, true},
		{"data source", map[string]string{"MODE": "data"}, true},
		{"no instances", map[string]string{"INSTANCES": "[]"}, true},
		{"no outputs", map[string]string{"OUTPUTS": "{}"}, true},
		{"sensitive_attributes in 1.11's form", map[string]string{"SENSITIVE": `[]`}, true},
		{"instances null", map[string]string{"INSTANCES": "null"}, false},
		{"attributes null", map[string]string{"ATTRIBUTES": "null"}, false},
		{"attributes a list", map[string]string{"ATTRIBUTES": "[1]"}, false},
		{"index_key an object", map[string]string{"INDEX": `"index_key":{"a":1},`}, false},
		{"outputs null", map[string]string{"OUTPUTS": "null"}, false},
		{"version 4.0", map[string]string{"VERSION": "4.0"}, false},
		{"version a string", map[string]string{"VERSION": `"4"`}, false},
		{"version 3", map[string]string{"VERSION": "3"}, false},
		{"version 5", map[string]string{"VERSION": "5"}, false},
		{"mode a number", map[string]string{"MODE": `managed","mode":1,"x":"`}, false},
		{"mode escaped", map[string]string{"MODE": `man\u0061ged`}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := fill(state, []string{"VERSION", "OUTPUTS", "MODE", "EACH", "INSTANCES", "INDEX", "STATUS", "ATTRIBUTES", "SENSITIVE"}, defaults, tc.values)
			if streamed := differential(t, "state.tfstate", []byte(doc)); tc.terraform && !streamed {
				t.Errorf("the streaming reader gave up on a shape Terraform writes:\n%s", doc)
			}
		})
	}
}

// fill replaces each placeholder of template, in order (a value may hold a
// later placeholder), with its value in set, else its default.
func fill(template string, order []string, defaults, set map[string]string) string {
	for _, k := range order {
		v, ok := set[k]
		if !ok {
			v = defaults[k]
		}
		template = strings.ReplaceAll(template, k, v)
	}
	return template
}

// decodeBoth decodes data with the streaming reader alone (ferr: whether it
// gave up) and with Decode, which falls back to the document reader.
func decodeBoth(name string, data []byte) (ferr, err error) {
	opts := Options{Key: []byte("k")}
	_, ferr = decodeStream(bytes.NewReader(data), int64(len(data)), name, opts)
	_, err = Decode(name, data, opts)
	return ferr, err
}

// TestActionsShared: the changes whose actions have the same bytes share
// one list, others get their own, and what is no list of strings is left
// to the document reader.
func TestActionsShared(t *testing.T) {
	read := func(src string) ([][]string, error) {
		s := &stream{prior: &planBuilder{r: newRedactor([]byte("k"), nil)}}
		sd := &sectionDecoder{dec: jsontext.NewDecoder(strings.NewReader(src), jsontext.AllowDuplicateNames(true)), s: s}
		var out [][]string
		err := sd.array(func(int) error {
			var a []string
			err := sd.actions(&a)
			out = append(out, a)
			return err
		})
		return out, err
	}
	got, err := read(`[["no-op"],["create","delete"],["no-op"],["delete","create"]]`)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"no-op"}, {"create", "delete"}, {"no-op"}, {"delete", "create"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("actions %q, want %q", got, want)
	}
	if &got[0][0] != &got[2][0] || &got[1][0] == &got[3][0] {
		t.Error("equal lists of actions are not shared, or different ones are")
	}
	if _, err := read(`[["no-op", 1]]`); err != errGiveUp {
		t.Errorf("a list holding a number: %v, want the document reader to judge it", err)
	}
}

// TestFieldsFoldApart: no two names of a field list differ in case only,
// which folded's shortcut for an exact name relies on; and folded finds
// a name that matches a field only when case is ignored, including by
// Unicode folding (K, the Kelvin sign, folds to k), and not an exact one.
func TestFieldsFoldApart(t *testing.T) {
	lists := map[string][]string{
		"topFields": topFields, "stateJSONFields": stateJSONFields, "stateValuesFields": stateValuesFields,
		"moduleFields": moduleFields, "stateResourceFields": stateResourceFields, "changeEntryFields": changeEntryFields,
		"changeFields": changeFields, "rawResourceFields": rawResourceFields, "rawInstanceFields": rawInstanceFields,
	}
	for name, fields := range lists {
		for i, a := range fields {
			for _, b := range fields[i+1:] {
				if strings.EqualFold(a, b) {
					t.Errorf("%s: %q and %q differ in case only", name, a, b)
				}
			}
		}
	}
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"values", false}, {"Values", true}, {"VALUES", true}, {"\u212aey", false}, {"mode", false},
		{"Mode", true}, {"\u212a", false}, {"valuesx", false}, {"", false},
	} {
		if got := folded(tc.name, stateResourceFields); got != tc.want {
			t.Errorf("folded(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
	if !folded("\u212aind", []string{"kind"}) {
		t.Error("folded(\"\\u212aind\", kind) = false: the Kelvin sign folds to k")
	}
}

// TestPlannedRepeatsAfter: a planned_values entry that repeats its
// change's after, with the same marks, is not decoded again (the after's
// object teaches the same marks); one whose values or marks differ is,
// and marks what it marks. Both readers alike.
func TestPlannedRepeatsAfter(t *testing.T) {
	const plan = `{"format_version":"1.2","terraform_version":"1.11.4",
"planned_values":{"root_module":{"resources":[{"address":"a.b","mode":"managed","type":"a","name":"b","values":PLANNED,"sensitive_values":MASK}]}},
"resource_changes":[{"address":"a.b","mode":"managed","type":"a","name":"b","change":{"actions":["create"],"before":null,"after":{"x":"s3cr3t-value-1","y":"2"},"after_unknown":{},"before_sensitive":false,"after_sensitive":{"x":true}}}]}`
	for _, tc := range []struct {
		name, planned, mask string
		objects             int // decoded objects that teach marks
		secrets             int
	}{
		{"repeats the after", `{"x":"s3cr3t-value-1","y":"2"}`, `{"x":true}`, 1, 1},
		{"other values", `{"x":"s3cr3t-value-2","y":"2"}`, `{"x":true}`, 2, 2},
		{"other marks", `{"x":"s3cr3t-value-1","y":"2"}`, `{"x":true,"y":true}`, 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(strings.NewReplacer("PLANNED", tc.planned, "MASK", tc.mask).Replace(plan))
			opts := Options{Key: []byte("k")}
			stream, err := decodeStream(bytes.NewReader(data), int64(len(data)), "plan.json", opts)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := decodeDocument("plan.json", data, opts)
			if err != nil {
				t.Fatal(err)
			}
			for name, d := range map[string]*Decoded{"stream": stream, "document": doc} {
				if got := len(d.r.objects); got != tc.objects {
					t.Errorf("%s: %d objects decoded, want %d", name, got, tc.objects)
				}
				if got := Union(d).Len(); got != tc.secrets {
					t.Errorf("%s: %d secrets, want %d", name, got, tc.secrets)
				}
			}
		})
	}
}

// TestStreamConfiguration: the streaming reader reads a plan's
// configuration, module calls at every depth among what it skips, as the
// document reader does (the same snapshot: module calls, tool); what
// encoding/json would read differently (a name matching a field in another
// case, a name twice) goes to the document reader.
func TestStreamConfiguration(t *testing.T) {
	const plan = `{"format_version":"1.2","terraform_version":"1.11.4","planned_values":{"root_module":{}},"resource_changes":[],"configuration":CONFIG}`
	const child = `{"source":"./modules/db","version_constraint":"~> 1.0","module":{"resources":[{"address":"a.b","expressions":{"x":{"constant_value":1}}}],"module_calls":{"inner":{"source":"terraform-aws-modules/vpc/aws","version_constraint":"5.1.0","module":{"outputs":{}}}}}}`
	for _, tc := range []struct {
		name, config string
		streamed     bool
	}{
		{"module calls two deep", `{"provider_config":{"aws":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws"}},"root_module":{"resources":[{"address":"x.y"}],"module_calls":{"db":` + child + `},"variables":{"env":{"default":"staging"},"pw":{"sensitive":true}}}}`, true},
		{"null configuration", `null`, true},
		{"null root module", `{"root_module":null}`, true},
		{"null module calls", `{"root_module":{"module_calls":null}}`, true},
		{"a null call", `{"root_module":{"module_calls":{"db":null}}}`, true},
		{"a call without its module", `{"root_module":{"module_calls":{"db":{"source":"./db","module":null}}}}`, true},
		{"a field in another case", `{"Root_Module":{"module_calls":{"db":` + child + `}}}`, false},
		{"a call's field in another case", `{"root_module":{"module_calls":{"db":{"Source":"./db"}}}}`, false},
		{"a call twice", `{"root_module":{"module_calls":{"db":{"source":"./a"},"db":{"source":"./b"}}}}`, false},
		{"calls not an object", `{"root_module":{"module_calls":[]}}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(strings.Replace(plan, "CONFIG", tc.config, 1))
			if got := differential(t, "plan.json", data); got != tc.streamed {
				t.Errorf("read by the streaming reader: %v, want %v", got, tc.streamed)
			}
		})
	}
}

// TestPlannedRepeatsAfterOnRealPlans: on every plan Terraform wrote for
// the scenarios, planned_values teaches nothing that resource_changes and
// prior_state did not, and decodes no object of its own: the plan without
// it decodes the same objects and learns the same secrets, with both
// readers.
func TestPlannedRepeatsAfterOnRealPlans(t *testing.T) {
	plans, err := filepath.Glob("../testdata/scenarios/*/*.plan.json")
	if err != nil || len(plans) < 20 {
		t.Fatalf("scenario plans: %v, %d", err, len(plans))
	}
	opts := Options{Key: []byte("k")}
	decoders := map[string]func([]byte) (*Decoded, error){
		"stream": func(b []byte) (*Decoded, error) {
			return decodeStream(bytes.NewReader(b), int64(len(b)), "plan.json", opts)
		},
		"document": func(b []byte) (*Decoded, error) { return decodeDocument("plan.json", b, opts) },
	}
	changed := 0
	for _, p := range plans {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(doc["resource_changes"], []byte(`"update"`)) && !bytes.Contains(doc["resource_changes"], []byte(`"create"`)) {
			continue
		}
		changed++
		delete(doc, "planned_values")
		without, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		for name, decode := range decoders {
			a, err := decode(data)
			if err != nil {
				t.Fatalf("%s: %s: %v", p, name, err)
			}
			b, err := decode(without)
			if err != nil {
				t.Fatalf("%s without planned_values: %s: %v", p, name, err)
			}
			if len(a.r.objects) != len(b.r.objects) || Union(a).Len() != Union(b).Len() {
				t.Errorf("%s: %s: %d objects and %d secrets, without planned_values %d and %d", p, name,
					len(a.r.objects), Union(a).Len(), len(b.r.objects), Union(b).Len())
			}
		}
	}
	if changed < 3 {
		t.Fatalf("only %d plans create or update something: the test shows little", changed)
	}
}
