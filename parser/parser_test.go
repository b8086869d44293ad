package parser_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/lockstep-iac/lockstep/internal/guard"
	"github.com/lockstep-iac/lockstep/parser"
	"github.com/lockstep-iac/lockstep/snapshot"
)

const scenarioB = scenariosDir + "/b-pr-changes-staging-only"

func TestKindAndVersions(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		kind      snapshot.Kind
		format    string
		terraform string
		resources int
	}{
		{"plan format 0.1", realDir + "/regula/tfplan.0.12.json", snapshot.KindPlan, "0.1", "0.12.20", 4},
		{"plan format 0.2", realDir + "/terraform-json/110_sensitive_values/plan.json", snapshot.KindPlan, "0.2", "1.1.0-dev", 7},
		{"plan format 1.2", scenarioB + "/staging.plan.json", snapshot.KindPlan, "1.2", "1.11.4", 9},
		{"plan without terraform_version", realDir + "/terraform/show-json-requires-replace.output.json", snapshot.KindPlan, "0.2", "", 1},
		{"plan without resources", realDir + "/tf-plan-format/no-resources/terraform.tfplan.json", snapshot.KindPlan, "1.2", "1.7.5", 0},
		{"refresh-only plan", "testdata/plan-refresh-only.json", snapshot.KindPlan, "1.2", "1.11.4", 2},
		{"state JSON", scenarioB + "/staging.state.json", snapshot.KindState, "1.0", "1.11.4", 8},
		{"state JSON format 0.1", realDir + "/terraform-json/no_changes/state.json", snapshot.KindState, "0.1", "0.12.0", 6},
		{"empty workspace state", "testdata/state-show.empty-default.json", snapshot.KindState, "1.0", "", 0},
		{"raw state v4", scenarioB + "/staging.tfstate", snapshot.KindRawState, "4", "1.11.4", 8},
		{"raw state v4 from 0.12.26", realDir + "/driftctl/aws_s3_full.tfstate", snapshot.KindRawState, "4", "0.12.26", 26},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustParse(t, tt.file)
			if s.Kind != tt.kind || s.FormatVersion != tt.format || s.TerraformVersion != tt.terraform {
				t.Errorf("kind %q format %q terraform %q, want %q %q %q", s.Kind, s.FormatVersion, s.TerraformVersion, tt.kind, tt.format, tt.terraform)
			}
			if len(s.Resources) != tt.resources {
				t.Errorf("%d resources, want %d: %v", len(s.Resources), tt.resources, keys(s.Resources))
			}
			if s.Resources == nil {
				t.Error("Resources is nil, want an empty map")
			}
			if s.Source != tt.file {
				t.Errorf("Source = %q, want %q", s.Source, tt.file)
			}
			if len(s.SHA256) != 64 {
				t.Errorf("SHA256 = %q", s.SHA256)
			}
		})
	}
}

func keys(m map[string]*snapshot.Resource) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestRealCorpus parses every file of the real corpus: the deliberately
// unreadable ones give an *InputError, every other one a snapshot whose
// resources all exist at some point.
func TestRealCorpus(t *testing.T) {
	unreadable := map[string]string{
		"driftctl/invalid.tfstate":                   "malformed JSON at line 16, column 7",
		"infracost/plan_with_terraform_wrapper.json": "setup-terraform's wrapper",
		"terraform-json/invalid/state.json":          "malformed JSON at line 12, column 28",
		"terraform/v3-grabbag.in.tfstate":            "raw state version 3 is too old",
		"tf-plan-format/artificial-invalid.json":     "resource_changes should be an array, found string",
		// Edited upstream after Terraform wrote them: a rename of
		// bucket_policy_only left uniform_bucket_level_access twice.
		"terraform-validator/tf0_12plan.applied.json": "line 232, column 13: an object has the same key twice",
		"terraform-validator/tf1_0plan.applied.json":  "line 282, column 13: an object has the same key twice",
	}
	n := 0
	err := filepath.WalkDir(realDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".tfstate")) {
			return err
		}
		n++
		rel, _ := filepath.Rel(realDir, p)
		rel = filepath.ToSlash(rel)
		s, err := parser.ReadFile(p, opts())
		if want, bad := unreadable[rel]; bad {
			ie := inputError(t, err, p)
			if !strings.Contains(ie.Error(), want) {
				t.Errorf("%s: error %q does not say %q", rel, ie.Error(), want)
			}
			return nil
		}
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		for addr, r := range s.Resources {
			if r.Now == nil && r.After == nil {
				t.Errorf("%s: %s exists neither now nor after", rel, addr)
			}
			if r.Address != addr {
				t.Errorf("%s: resource keyed %q has address %q", rel, addr, r.Address)
			}
			if r.Type == "" || r.Name == "" {
				t.Errorf("%s: %s has no type or name", rel, addr)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("found only %d corpus files", n)
	}
}

func TestInputErrors(t *testing.T) {
	truncated := mustRead(t, scenarioB+"/staging.plan.json")
	truncated = truncated[:len(truncated)/2]
	const secretNumber = "8675309123"
	tests := []struct {
		name   string
		data   []byte
		file   string // read this file instead of data
		want   []string
		absent []string
	}{
		{name: "malformed JSON", data: []byte("{\n  \"format_version\": \"1.0\",\n  \"values\": {,}\n}\n"),
			want: []string{"malformed JSON at line 3, column 14", "invalid character ','"}},
		{name: "malformed real state", file: realDir + "/terraform-json/invalid/state.json",
			want: []string{"malformed JSON at line 12, column 28"}},
		{name: "string broken across lines", file: realDir + "/driftctl/invalid.tfstate",
			want: []string{"malformed JSON at line 16, column 7"}},
		{name: "trailing garbage", data: []byte("{\"format_version\":\"1.0\"}\n}}"),
			want: []string{"line 2, column 1", "unexpected data after the end of the top-level object"}},
		{name: "two documents", data: []byte(`{"format_version":"1.0"} {"format_version":"1.0"}`),
			want: []string{"line 1, column 26", "unexpected data after the end"}},
		{name: "truncated", data: truncated, want: []string{"ends too early", "truncated"}, absent: []string{"s3cr3t"}},
		{name: "setup-terraform wrapper", file: realDir + "/infracost/plan_with_terraform_wrapper.json",
			want: []string{"terraform_wrapper: false"}},
		{name: "errored plan", file: "testdata/plan-errored.staging.json",
			want: []string{`"errored": true`, "plan again"}, absent: []string{"s3cr3t"}},
		{name: "state v3", file: realDir + "/terraform/v3-grabbag.in.tfstate",
			want: []string{"raw state version 3 is too old", "Terraform >= 0.12"}},
		{name: "raw state v5", data: []byte(`{"version":5,"terraform_version":"9.0.0","resources":[]}`),
			want: []string{"raw state version 5 is newer than lockstep understands"}},
		{name: "raw state version not whole", data: []byte(`{"version":4.5}`), want: []string{`"version" is not a whole number`}},
		{name: "legacy modules layout", data: []byte(`{"modules":[{"path":["root"]}]}`), want: []string{"legacy", "Terraform 0.11"}},
		{name: "plan format 2.0", data: []byte(`{"format_version":"2.0","resource_changes":[]}`),
			want: []string{"plan format_version 2.0 is not supported", "upgrade lockstep"}},
		{name: "state format 2.0", data: []byte(`{"format_version":"2.0"}`), want: []string{"state format_version 2.0 is not supported"}},
		{name: "format_version empty", data: []byte(`{"format_version":""}`), want: []string{`empty "format_version"`}},
		{name: "format_version not a version", data: []byte(`{"format_version":"hunter2-s3cr3t","planned_values":{}}`),
			want: []string{"not a version"}, absent: []string{"hunter2"}},
		{name: "OpenTofu encrypted state", file: "../testdata/scenarios/opentofu/encrypted-state/staging.tfstate",
			want: []string{"this is an encrypted OpenTofu state", "`--env NAME=DIR`", "`tofu state pull`"}, absent: []string{"neither"}},
		{name: "OpenTofu encrypted plan file", file: "../testdata/scenarios/opentofu/encrypted-state/staging.tfplan",
			want: []string{"this is an encrypted OpenTofu plan file", "`tofu show -json`"}, absent: []string{"neither"}},
		{name: "neither plan nor state", data: []byte(`{"foo":1}`), want: []string{"neither a Terraform plan nor a state"}},
		{name: "empty object", data: []byte(`{}`), want: []string{"neither a Terraform plan nor a state"}},
		{name: "JSON array", data: []byte(`[{"format_version":"1.0"}]`), want: []string{"not a JSON object", "lockstep reads"}},
		{name: "JSON string", data: []byte(`"hello"`), want: []string{"not a JSON object"}},
		{name: "empty file", data: []byte{}, want: []string{"the file is empty"}},
		{name: "only whitespace", data: []byte(" \n\t\r\n"), want: []string{"the file is empty"}},
		{name: "only a UTF-8 BOM", data: []byte{0xEF, 0xBB, 0xBF}, want: []string{"the file is empty"}},
		{name: "UTF-16LE without BOM", data: utf16Bytes(`{"format_version":"1.0"}`, binary.LittleEndian, false),
			want: []string{"UTF-16 without a byte order mark", "UTF-8 or UTF-16 with a byte order mark"}},
		{name: "UTF-16BE without BOM", data: utf16Bytes(`{"format_version":"1.0"}`, binary.BigEndian, false),
			want: []string{"UTF-16 without a byte order mark"}},
		{name: "UTF-16 BOM, odd length", data: append(utf16Bytes(`{}`, binary.LittleEndian, true), '}'),
			want: []string{"odd number of bytes"}},
		{name: "invalid UTF-8", data: []byte("{\"format_version\":\"1.0\xff\"}"), want: []string{"not valid UTF-8 at byte offset 22 (line 1, column 23)"}},
		{name: "invalid UTF-8 on a later line", data: []byte("{\n\"format_version\":\n\"1.0\xc3\"}"), want: []string{"byte offset 24 (line 3, column 5)"}},
		{name: "binary plan", data: []byte("PK\x03\x04\x14\x00tfplan"), want: []string{"binary plan file", "run `terraform show -json env/binary-plan.json > plan.json`"}},
		{name: "gzip", data: []byte{0x1f, 0x8b, 0x08, 0x00}, want: []string{"gzip-compressed", "gunzip"}},
		{name: "zstd", data: []byte{0x28, 0xb5, 0x2f, 0xfd, 0x00}, want: []string{"zstd-compressed"}},
		{name: "HCL", data: []byte("# main\n\nterraform {\n  required_version = \">= 1.5\"\n}\n"), want: []string{"Terraform configuration (HCL), not JSON"}},
		{name: "lock file", data: []byte("# This file is maintained automatically by \"terraform init\".\nprovider \"registry.terraform.io/hashicorp/aws\" {\n}\n"), want: []string{"(HCL), not JSON"}},
		{name: "plain text", data: []byte("hello world"), want: []string{"not a JSON object"}, absent: []string{"HCL"}},
		{name: "duplicate key", data: []byte("{\"format_version\":\"1.0\",\n \"format_version\":\"1.2\"}"),
			want: []string{"line 2, column 2: an object has the same key twice", "(at format_version)", "rather than editing it"}},
		{name: "duplicate key in values", data: []byte(`{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"a.b","mode":"managed","type":"a","name":"b","values":{"` + secretNumber + `":1,"` + secretNumber + `":2}}]}}}`),
			want: []string{"the same key twice", "(at values.root_module.resources[0].values.*)"}, absent: []string{secretNumber}},
		{name: "JSON at the depth limit", data: []byte(`{"format_version":"9.0","variables":{"x":{"value":` + strings.Repeat("[", guard.MaxDepth-3) + strings.Repeat("]", guard.MaxDepth-3) + `}}}`),
			want: []string{"plan format_version 9.0 is not supported"}, absent: []string{"deep"}},
		{name: "JSON over the depth limit", data: []byte(`{"format_version":"9.0","variables":{"x":{"value":` + strings.Repeat("[", guard.MaxDepth-2) + strings.Repeat("]", guard.MaxDepth-2) + `}}}`),
			want: []string{"line 1, column 560: nested more than 512 levels deep"}},
		{name: "lone surrogate", data: []byte(`{"format_version":"1.0","x":"\ud800"}`), want: []string{"malformed JSON at line 1, column 30", "invalid surrogate pair"}},
		{name: "raw state version 4 as a string", data: []byte(`{"version":"4","resources":[]}`), want: []string{`"version" should be a number, found a string`}},
		{name: "unknown action", data: []byte(`{"format_version":"1.2","resource_changes":[{"address":"a.b","mode":"managed","type":"a","name":"b","change":{"actions":["s3cr3t-action"],"after":{}}}]}`),
			want: []string{"resource_changes a.b has an unknown action (lockstep knows no-op, create, read, update, delete, forget)"}, absent: []string{"s3cr3t"}},
		{name: "unknown drift action", data: []byte(`{"format_version":"1.2","resource_drift":[{"address":"a.b","mode":"managed","type":"a","name":"b","change":{"actions":["update","x"],"after":{}}}]}`),
			want: []string{"resource_drift a.b has an unknown action"}},
		{name: "no actions", data: []byte(`{"format_version":"1.2","resource_changes":[{"address":"a.b","mode":"managed","type":"a","name":"b","change":{"actions":[],"after":{}}}]}`),
			want: []string{"resource_changes a.b has no actions"}},
		{name: "values not an object", data: []byte(`{"format_version":"1.2","resource_changes":[{"address":"a.b","mode":"managed","type":"a","name":"b","change":{"actions":["create"],"after":"s3cr3t"}}]}`),
			want: []string{"resource_changes a.b: a resource's values should be an object, found a string"}, absent: []string{"s3cr3t"}},
		{name: "type error hides a number", data: []byte(`{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"a.b","mode":"managed","type":"a","name":"b","tainted":` + secretNumber + `}]}}}`),
			want: []string{"tainted should be a boolean, found number", "line 1, column"}, absent: []string{secretNumber}},
		{name: "format_version number", data: []byte(`{"format_version":` + secretNumber + `}`),
			want: []string{"format_version should be a string, found number"}, absent: []string{secretNumber}},
		{name: "errored is a number", data: []byte(`{"format_version":"1.2","errored":` + secretNumber + `}`),
			want: []string{"errored should be a boolean"}, absent: []string{secretNumber}},
		{name: "actions hold a number", data: []byte(`{"format_version":"1.2","resource_changes":[{"address":"a.b","change":{"actions":[` + secretNumber + `]}}]}`),
			want: []string{"should be a string, found number"}, absent: []string{secretNumber}},
		{name: "resources is a string", data: []byte(`{"version":4,"resources":"s3cr3t-value"}`),
			want: []string{"resources should be an array, found string"}, absent: []string{"s3cr3t"}},
		{name: "version is a string", data: []byte(`{"version":"s3cr3t-in-version","resources":[]}`),
			want: []string{"should be a number"}, absent: []string{"s3cr3t"}},
		{name: "serial is a string", data: []byte(`{"version":4,"serial":"s3cr3t-in-serial"}`),
			want: []string{"should be a number"}, absent: []string{"s3cr3t"}},
		{name: "index_key fraction", data: []byte(`{"version":4,"resources":[{"mode":"managed","type":"a","name":"b","instances":[{"index_key":4242.5,"attributes":{}}]}]}`),
			want: []string{"resources[0].instances[0]", "index_key"}, absent: []string{"4242"}},
		{name: "index_key huge", data: []byte(`{"version":4,"resources":[{"mode":"managed","type":"a","name":"b","instances":[{"index_key":` + secretNumber + `123456789012,"attributes":{}}]}]}`),
			want: []string{"resources[0].instances[0]", "index_key"}, absent: []string{secretNumber, "8.67"}},
		{name: "index_key object", data: []byte(`{"version":4,"resources":[{"mode":"managed","type":"a","name":"b","instances":[{"index_key":{},"attributes":{}}]}]}`),
			want: []string{"index_key must be a number or a string"}},
		{name: "raw resource without type", data: []byte(`{"version":4,"resources":[{"mode":"managed","name":"b","instances":[]}]}`),
			want: []string{"resources[0] has no type or name"}},
		{name: "resource change without change", data: []byte(`{"format_version":"1.2","resource_changes":[{"address":"a.b","mode":"managed","type":"a","name":"b"}]}`),
			want: []string{"resource_changes[0] has no address or no change"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "env/" + strings.ReplaceAll(tt.name, " ", "-") + ".json"
			var err error
			if tt.file != "" {
				name = tt.file
				_, err = parser.ReadFile(tt.file, opts())
			} else {
				_, err = parser.Parse(name, tt.data, opts())
			}
			ie := inputError(t, err, name)
			msg := ie.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q does not contain %q", msg, w)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(msg, a) {
					t.Errorf("message %q contains %q, a value from the file", msg, a)
				}
			}
		})
	}
}

func TestReadFileMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.json")
	_, err := parser.ReadFile(path, opts())
	ie := inputError(t, err, path)
	if !strings.Contains(ie.Error(), "--env") {
		t.Errorf("missing file error gives no hint: %v", ie)
	}
}

func TestReadFileDirectory(t *testing.T) {
	dir := t.TempDir()
	_, err := parser.ReadFile(dir, opts())
	inputError(t, err, dir)
}

func TestNoKey(t *testing.T) {
	_, err := parser.Parse("x.json", []byte(`{"format_version":"1.0"}`), parser.Options{})
	if err == nil {
		t.Fatal("Parse without a key succeeded")
	}
	var ie *parser.InputError
	if errors.As(err, &ie) {
		t.Errorf("a missing key is a programming error, not an input error: %v", err)
	}
}

// utf16Bytes encodes s as UTF-16 in the given byte order, with or without a
// byte order mark.
func utf16Bytes(s string, order binary.ByteOrder, bom bool) []byte {
	var buf bytes.Buffer
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	for _, u := range units {
		var b [2]byte
		order.PutUint16(b[:], u)
		buf.Write(b[:])
	}
	return buf.Bytes()
}

func TestEncodings(t *testing.T) {
	plain := mustRead(t, realDir+"/terraform-json/numerics/plan.json")
	// A value outside the Basic Multilingual Plane needs a surrogate pair in
	// UTF-16.
	const id = "café 🚀"
	plain = bytes.ReplaceAll(plain, []byte(`"id":"one"`), []byte(`"id":"`+id+`"`))
	want := mustParseBytes(t, "plain.json", plain)
	if got := at(t, want.Resources["example_resource.test"].After.Values, "id"); got != id {
		t.Fatalf("id = %q, want %q", got, id)
	}
	tests := map[string][]byte{
		"UTF-8 BOM":    append([]byte{0xEF, 0xBB, 0xBF}, plain...),
		"UTF-16LE BOM": utf16Bytes(string(plain), binary.LittleEndian, true),
		"UTF-16BE BOM": utf16Bytes(string(plain), binary.BigEndian, true),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			got := mustParseBytes(t, "plain.json", data)
			if got.SHA256 == want.SHA256 {
				t.Error("SHA256 should be of the bytes as given, not of the decoded text")
			}
			got.SHA256 = want.SHA256
			if !deepEqual(got, want) {
				t.Errorf("snapshot differs from the UTF-8 one:\n%s\n%s", snapshotJSON(t, got), snapshotJSON(t, want))
			}
		})
	}
}

func TestRealUTF16Plan(t *testing.T) {
	const file = realDir + "/checkov/plan_with_lifecycle_check.tfplan.json"
	data := mustRead(t, file)
	if !bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		t.Fatalf("%s is no longer UTF-16LE with a BOM", file)
	}
	s := mustParse(t, file)
	if s.Kind != snapshot.KindPlan || s.FormatVersion == "" || len(s.Resources) == 0 {
		t.Errorf("kind %q format %q, %d resources", s.Kind, s.FormatVersion, len(s.Resources))
	}
}
