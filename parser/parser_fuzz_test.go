package parser_test

import (
	"encoding/binary"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/guard"
	"github.com/lockstep-iac/lockstep/parser"
)

// FuzzParse: Parse never panics, and every failure is an *InputError naming
// the file on one line. Run it with
//
//	go test -run='^$' -fuzz=FuzzParse -fuzztime=90s ./parser/
//
// Crashers found are kept as regression seeds in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	seeds := []string{
		scenarioB + "/staging.plan.json",
		scenarioB + "/staging.state.json",
		scenarioB + "/staging.tfstate",
		"testdata/plan-drift.json",
		"testdata/plan-deposed.json",
		"testdata/state-raw-v4.deposed.tfstate",
		"testdata/state-show.deposed.json",
		"testdata/state-show.empty-default.json",
		realDir + "/terraform-json/numerics/plan.json",
		realDir + "/tf-plan-format/sensitive/terraform.tfplan.json",
		realDir + "/tf-plan-format/artificial-invalid.json",
		realDir + "/terraform/v3-grabbag.in.tfstate",
		realDir + "/terraform/show-json-moved-drift.output.json",
	}
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		``, ` `, `{}`, `[]`, `null`, `{"foo":1}`, `{"format_version":"1.0"}`, `{"format_version":"2.0","errored":true}`,
		`{"format_version":"1.2","errored":true}`, `{"version":5}`, `{"version":3}`, `{"version":"4"}`, `{"version":4.0}`,
		`{"modules":[]}`, `{"format_version":"1.0"} x`, `{"format_version":`, "\xef\xbb\xbf{}", "\xff\xfe{\x00}\x00", "\xfe\xff\x00{\x00}",
		`{"version":4,"resources":[{"module":"module.m[\"a.b\"]","mode":"managed","type":"t","name":"n","instances":[{"index_key":"k","status":"tainted","attributes":{"a":{"value":1,"type":"number"}},"sensitive_attributes":[[{"type":"get_attr","value":"a"}],[]]},{"index_key":1e30,"attributes_flat":{"x":"y"}}]}]}`,
		`{"format_version":"1.2","prior_state":{"values":{"root_module":{"resources":[{"address":"t.n","mode":"managed","type":"t","name":"n","index":0,"values":{"a":"s"},"sensitive_values":{"a":true}}],"child_modules":[{"address":"module.m","resources":[{"address":"t.n","index":"k","values":null}]}]}}},"resource_changes":[{"address":"t.n[0]","mode":"managed","type":"t","name":"n","change":{"actions":["delete","create"],"before":{"a":"s"},"after":null,"after_unknown":true,"after_sensitive":[true]}},{"address":"t.m","change":{"actions":["create"],"after":{"l":[1,2]},"after_sensitive":{"l":{"1":true}},"after_unknown":{"l":[false,true]}}}],"resource_drift":[{"address":"t.n[0]","change":{"actions":["update"],"before":{"a":"s"},"after":"x"}}],"output_changes":{"o":{"after":"s","after_sensitive":true}},"configuration":{"root_module":{"variables":{"v":{"sensitive":true,"default":["s"]}}}},"variables":{"v":{"value":{"x":"s"}}}}`,
		`{"format_version":"1.0","values":{"outputs":{"o":{"sensitive":true,"value":{"a":["s"]}}},"root_module":{"resources":[{"address":"module.x[\"a.b\\\"\"].t.n","mode":"managed","type":"t","name":"n","tainted":true,"deposed_key":"","values":{"a":"s","b":{"c":[{"d":"s"}]}},"sensitive_values":true}]}}}`,
	} {
		f.Add([]byte(s))
	}
	for _, n := range []int{guard.MaxDepth - 3, guard.MaxDepth - 2} { // the document and the variable take 3
		f.Add([]byte(`{"format_version":"1.2","variables":{"x":{"value":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}}}`))
	}
	for _, s := range []string{
		`{"format_version":"1.2","resource_changes":[{"address":"a.b","address":"a.c","change":{"actions":["create"],"after":{}}}]}`,
		`{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"a.b","mode":"managed","type":"a","name":"b","values":{"k":"s"},"sensitive_values":{"k":true,"k":false}}]}}}`,
		`{"format_version":"1.2","resource_changes":[{"address":"a.b","change":{"actions":["obliterate"],"after":{}}}]}`,
		`{"format_version":"1.2","resource_changes":[{"address":"a.b","change":{"actions":[],"after":{}}}]}`,
		`{"a":"\ud800"}`, "PK\x03\x04", "\x1f\x8b\x08", "resource \"a\" \"b\" {}\n",
	} {
		f.Add([]byte(s))
	}
	f.Add(utf16Bytes(`{"format_version":"1.0","values":{}}`, binary.BigEndian, true))
	f.Add(utf16Bytes(`{"version":4,"resources":[]}`, binary.LittleEndian, false))

	const name = "fuzz/input.json"
	key := parser.Options{Key: []byte("fuzz-key")}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parser.Parse(name, data, key)
		if err != nil {
			var ie *parser.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not an *InputError: %v", err, err)
			}
			if ie.File != name || !strings.HasPrefix(err.Error(), name+": ") || ie.Problem == "" {
				t.Fatalf("error does not name the file or says nothing: %#v", ie)
			}
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("error is not one line: %q", err.Error())
			}
			return
		}
		if s == nil || s.Resources == nil || s.Source != name || len(s.SHA256) != 64 {
			t.Fatalf("incomplete snapshot %#v", s)
		}
		for addr, r := range s.Resources {
			if r == nil || r.Address != addr || (r.Now == nil && r.After == nil) {
				t.Fatalf("resource %q: %#v", addr, r)
			}
		}
		again, err := parser.Parse(name, data, key)
		if err != nil || !reflect.DeepEqual(s, again) {
			t.Fatalf("a second parse differs (err %v)", err)
		}
	})
}
