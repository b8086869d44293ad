package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// writeTree writes files (relative path to content) below a fresh temporary
// directory and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// policyScenario is the scenario the policy tests check: two plans whose
// only built-in finding is shared-secret on terraform_data.db.
var policyScenario = scenarioCase{scenario: "g-shared-secret"}

// TestPolicyErrors checks that every way a user policy can be wrong stops
// the check with exit 2, no report, and a message that points at the Rego
// to fix: the policy file with line and column, and what is wrong there.
func TestPolicyErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		// src is p.rego; files adds or replaces files in the policy dir.
		src   string
		files map[string]string
		// at is the expected "line:column" in file (p.rego when empty).
		file string
		at   string
		want []string
	}{
		{name: "syntax error",
			src: "package main\n\ndeny contains msg if {\n  msg := \"x\"\n  foo(\n}\n",
			at:  "6:1", want: []string{"unexpected } token", "rego_parse_error"}},
		{name: "unsafe variable",
			src: "package main\n\ndeny contains msg if {\n  x == 1\n}\n",
			at:  "3:15", want: []string{"var msg is unsafe", "rego_unsafe_var_error"}},
		{name: "type error",
			src: "package main\n\ndeny contains msg if {\n  msg := 1 + \"a\"\n}\n",
			at:  "4:10", want: []string{"plus: invalid argument(s)", "rego_type_error"}},
		{name: "undefined function",
			src: "package main\n\ndeny contains msg if {\n  msg := nofunc(1)\n}\n",
			at:  "4:10", want: []string{"undefined function nofunc", "rego_type_error"}},
		{name: "builtin error at eval time",
			src: "package main\n\ndeny contains msg if {\n  n := to_number(\"abc\")\n  msg := sprintf(\"%v\", [n])\n}\n",
			at:  "4:8", want: []string{"rule main.deny", "to_number", "eval_builtin_error"}},
		{name: "conflict in a helper",
			src: "package main\n\nx := 1 if true\nx := 2 if true\n\ndeny contains \"m\" if x == 1\n",
			at:  "4:1", want: []string{"rule main.deny", "data.main.x produced conflicting values", "eval_conflict_error"}},
		{name: "conflict in deny itself",
			src: "package main\n\ndeny := \"a\" if true\n\ndeny := \"b\" if true\n",
			at:  "5:1", want: []string{"data.main.deny produced conflicting values", "eval_conflict_error"}},
		{name: "number",
			src: "package main\n\ndeny contains 42 if true\n",
			at:  "3:1", want: []string{"rule main.deny", "deny yields a number", "message string or an object with msg"}},
		{name: "object without msg",
			src: "package main\n\nwarn_x contains {\"address\": \"terraform_data.db\"} if true\n",
			at:  "3:1", want: []string{"rule main.warn_x", "warn_x yields an object without msg"}},
		{name: "address not a string",
			src: "package main\n\ndeny contains {\"msg\": \"m\", \"address\": 3} if true\n",
			at:  "3:1", want: []string{"address must be a string, not a number"}},
		{name: "details not an object",
			src: "package main\n\ndeny contains {\"msg\": \"m\", \"details\": \"x\"} if true\n",
			at:  "3:1", want: []string{"details that are not an object", "a string where an object was expected"}},
		{name: "unknown environment",
			src: "package main\n\ndeny contains {\"msg\": \"m\", \"environments\": [\"staging\", \"qa\"]} if true\n",
			at:  "3:1", want: []string{`environments naming "qa"`, "not one of the environments checked"}},
		{name: "complete boolean deny",
			src: "package main\n\ndeny := true\n",
			at:  "3:1", want: []string{"deny must be a set of messages", "deny contains msg if", "not a boolean"}},
		{name: "partial object deny",
			src: "package main\n\ndeny[msg] if {\n  msg := \"old style\"\n}\n",
			at:  "3:1", want: []string{"deny[msg] makes deny an object", "deny contains msg if"}},
		{name: "severity not error or warning",
			src: "package main\n\n# METADATA\n# custom:\n#   severity: critical\ndeny contains \"m\" if true\n",
			at:  "3:1", want: []string{"custom.severity must be error or warning, not critical"}},
		{name: "two ids for one rule",
			src: "package main\n\n# METADATA\n# custom:\n#   id: a\ndeny contains \"a\" if true\n\n# METADATA\n# custom:\n#   id: b\ndeny contains \"b\" if true\n",
			at:  "8:1", want: []string{"different METADATA ids", `"a" and "b"`}},
		{name: "reserved package",
			src: "package lockstep.rules.x\n\ndeny contains \"m\" if true\n",
			at:  "1:1", want: []string{"package lockstep.rules.x is reserved"}},
		{name: "built-in id",
			src: "package main\n\n# METADATA\n# custom:\n#   id: missing-resource\ndeny contains \"m\" if true\n",
			at:  "6:1", want: []string{`id "missing-resource" of a built-in rule`, "choose another custom.id"}},
		{name: "error in an imported helper package",
			src:   "package main\n\nimport data.helpers\n\ndeny contains msg if {\n  some msg in helpers.msgs\n}\n",
			files: map[string]string{"lib/helpers.rego": "package helpers\n\nmsgs contains m if {\n  m := upper(42)\n}\n"},
			file:  "lib/helpers.rego", at: "4:8", want: []string{"upper: invalid argument(s)", "rego_type_error"}},
		{name: "errors in two files",
			src:   "package main\n\ndeny contains msg if {\n  msg := nofunc(1)\n}\n",
			files: map[string]string{"q.rego": "package main\n\nwarn contains msg if {\n  msg := otherfunc(1)\n}\n"},
			at:    "4:10", want: []string{"undefined function nofunc", "q.rego:4:10: undefined function otherfunc"}},
		{name: "parse errors in two files",
			src:   "package main\n\ndeny contains msg if {\n  msg := \"x\" +\n}\n",
			files: map[string]string{"q.rego": "package main\n\nwarn contains if true\n"},
			at:    "5:1", want: []string{"unexpected } token", "q.rego:3:15: unexpected if keyword", "rego_parse_error"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"p.rego": tc.src}
			for k, v := range tc.files {
				files[k] = v
			}
			dir := writeTree(t, files)
			code, out, errOut := runCLI(t, append(scenarioArgs(policyScenario, "plan.json"), "--policy", dir)...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if out != "" {
				t.Errorf("printed a report on a policy error:\n%s", out)
			}
			if !strings.HasPrefix(errOut, "lockstep: ") {
				t.Errorf("stderr does not start with lockstep: %q", errOut)
			}
			file := tc.file
			if file == "" {
				file = "p.rego"
			}
			for _, w := range append([]string{filepath.Join(dir, filepath.FromSlash(file)) + ":" + tc.at + ":"}, tc.want...) {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

// TestPolicyErrorsWithoutLocation covers policy errors that have no Rego
// to point at.
func TestPolicyErrorsWithoutLocation(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-policies")
	notRego := filepath.Join(t.TempDir(), "policy.txt")
	if err := os.WriteFile(notRego, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		policy string
		want   []string
	}{
		{"directory does not exist", missing, []string{"--policy " + missing, "no such file or directory"}},
		{"not a directory or .rego file", notRego, []string{"--policy " + notRego, "not a directory or .rego file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append(scenarioArgs(policyScenario, "plan.json"), "--policy", tc.policy)...)
			if code != 2 || out != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

// policyReport is the part of the JSON report the policy tests compare.
type policyReport struct {
	Findings []struct {
		Rule, Severity, Address, Message string
		Environments                     []string
		Details                          json.RawMessage
		Waived                           bool
	}
	Summary struct{ Errors, Warnings, Waived int }
}

// sharedSecret is the built-in finding of policyScenario, as findingLine
// renders it.
const sharedSecret = "shared-secret error terraform_data.db [staging production] false"

func findingLine(rule, severity, address, message string, envs []string, waived bool) string {
	s := rule + " " + severity + " " + address
	if message != "" {
		s += " " + message
	}
	return s + " [" + strings.Join(envs, " ") + "] " + strconv.FormatBool(waived)
}

// TestPolicyRules checks what user rules can say and how lockstep.hcl's
// waivers and rule blocks apply to them, through the JSON report.
func TestPolicyRules(t *testing.T) {
	for _, tc := range []struct {
		name     string
		files    map[string]string
		hcl      string
		scenario *scenarioCase
		// sub is the --policy directory below the written files, if any.
		sub      string
		args     []string
		wantCode int
		// want are the findings, built-in ones included, as findingLine
		// renders them with an empty message for built-in ones.
		want []string
		// details, when set, is the JSON details of the first user finding.
		details string
	}{
		{name: "string message",
			files:    map[string]string{"p.rego": "package main\n\ndeny contains \"databases must match\" if true\n"},
			wantCode: 1,
			want:     []string{"main.deny error  databases must match [] false", sharedSecret}},
		{name: "object with address, environments and details",
			files: map[string]string{"p.rego": `package main

deny contains {
	"msg": "db differs",
	"address": "terraform_data.db",
	"environments": ["production"],
	"details": {"attributes": [{"path": "input.port", "values": {"production": 5432}}], "owner": "team-data"},
} if true
`},
			wantCode: 1,
			want:     []string{"main.deny error terraform_data.db db differs [production] false", sharedSecret},
			details:  `{"attributes":[{"path":"input.port","values":{"production":5432}}],"extra":{"owner":"team-data"}}`},
		{name: "warn is a warning and passes by default",
			files:    map[string]string{"p.rego": "package main\n\nwarn contains \"heads up\" if true\n"},
			hcl:      `rule "shared-secret" { enabled = false }`,
			wantCode: 0,
			want:     []string{"main.warn warning  heads up [] false"}},
		{name: "warn fails with --fail-on warning",
			files:    map[string]string{"p.rego": "package main\n\nwarn_tags contains \"heads up\" if true\n"},
			scenario: &scenarioCase{scenario: "c-promotion-after", target: "production"},
			args:     []string{"--fail-on", "warning"},
			wantCode: 1,
			want:     []string{"main.warn_tags warning  heads up [] false"}},
		{name: "METADATA id and severity",
			files: map[string]string{"p.rego": `package main

# METADATA
# title: Database parity
# custom:
#   id: db-parity
#   severity: warning
deny_db contains "db differs" if true
`},
			wantCode: 1,
			want:     []string{"db-parity warning  db differs [] false", sharedSecret}},
		{name: "package METADATA applies to its rules",
			files: map[string]string{"p.rego": `# METADATA
# custom:
#   id: pkg-rule
#   severity: warning
package lockstep.team

deny contains "from the package" if true
`},
			wantCode: 1,
			want:     []string{"pkg-rule warning  from the package [] false", sharedSecret}},
		{name: "violation_ prefix and lockstep.* package",
			files:    map[string]string{"p.rego": "package lockstep.team.db\n\nviolation_foo contains \"v\" if true\n"},
			wantCode: 1,
			want:     []string{"lockstep.team.db.violation_foo error  v [] false", sharedSecret}},
		{name: "other packages are helpers, not rules",
			files: map[string]string{
				"p.rego": `package main

import data.helpers

deny contains msg if {
	some msg in helpers.deny
}

deny contains deny_msg("db") if true

# A function named like a rule is a helper.
deny_msg(name) := sprintf("%s is off", [name])
`,
				"lib/helpers.rego": `package helpers

deny contains "from helpers" if true
`},
			wantCode: 1,
			want:     []string{"main.deny error  db is off [] false", "main.deny error  from helpers [] false", sharedSecret}},
		{name: "json and yaml data documents",
			files: map[string]string{
				"p.rego": `package main

deny contains msg if {
	some team in data.teams
	msg := sprintf("%s owns %s at level %d", [team, data.owners.db.owner, data.owners.db.level])
}
`,
				"teams.json":        `{"teams": ["team-data"]}`,
				"owners/owners.yml": "db:\n  owner: team-db\n  level: 3\n",
			},
			wantCode: 1,
			want:     []string{"main.deny error  team-data owns team-db at level 3 [] false", sharedSecret}},
		{name: "rules read input.env and input.resources",
			files: map[string]string{"p.rego": `package main

deny contains {"msg": msg, "address": addr, "environments": ["production"]} if {
	some addr in input.env.production.by_type.terraform_data
	r := input.env.production.resources[addr]
	r.after.input.port == 5432
	some m in input.resources
	m.address == addr
	msg := sprintf("%s listens on %d (%d matched)", [r.name, r.after.input.port, count(input.resources)])
}
`},
			wantCode: 1,
			want:     []string{"main.deny error terraform_data.db db listens on 5432 (8 matched) [production] false", sharedSecret}},
		{name: "a --policy directory named with a dot",
			files:    map[string]string{".lockstep/p.rego": "package main\n\ndeny contains \"read\" if true\n", ".lockstep/.git/x.rego": "package main\n\ndeny contains \"not read\" if true\n"},
			sub:      ".lockstep",
			wantCode: 1,
			want:     []string{"main.deny error  read [] false", sharedSecret}},
		{name: "test files are not rules",
			files:    map[string]string{"p.rego": "package main\n\ndeny contains \"m\" if true\n", "p_test.rego": "package main\n\ntest_x if false\ndeny contains \"from the test\" if true\n"},
			wantCode: 1,
			want:     []string{"main.deny error  m [] false", sharedSecret}},
		{name: "waiver naming a user rule",
			files: map[string]string{"p.rego": `package main

# METADATA
# custom:
#   id: db-parity
deny_db contains {"msg": "db differs", "address": "terraform_data.db"} if true
`},
			hcl: `waiver "db" {
  rule      = "db-parity"
  resources = ["terraform_data.db"]
  reason    = "migrating"
  owner     = "team-data"
  expires   = "2030-01-01"
}
waiver "secret" {
  rule      = "shared-secret"
  reason    = "rotating"
  owner     = "team-sec"
  expires   = "2030-01-01"
}`,
			wantCode: 0,
			want:     []string{"db-parity error terraform_data.db db differs [] true", "shared-secret error terraform_data.db [staging production] true"}},
		{name: "rule block sets a user rule's severity",
			files:    map[string]string{"p.rego": "package main\n\ndeny contains \"m\" if true\n"},
			hcl:      `rule "main.deny" { severity = "warning" }`,
			wantCode: 1,
			want:     []string{"main.deny warning  m [] false", sharedSecret}},
		{name: "rule blocks disable user and built-in rules",
			files:    map[string]string{"p.rego": "package main\n\ndeny contains \"m\" if true\n\nwarn contains \"w\" if true\n"},
			hcl:      "rule \"main.deny\" { enabled = false }\nrule \"shared-secret\" { enabled = false }\n",
			wantCode: 0,
			want:     []string{"main.warn warning  w [] false"}},
		{name: "a disabled rule is not evaluated",
			files:    map[string]string{"p.rego": "package main\n\ndeny contains 42 if true\n\nwarn contains \"w\" if true\n"},
			hcl:      "rule \"main.deny\" { enabled = false }\n",
			wantCode: 1,
			want:     []string{"main.warn warning  w [] false", sharedSecret}},
		{name: "rule block raises a built-in rule to error",
			files:    map[string]string{"p.rego": "package main\n\nwarn contains \"w\" if true\n"},
			hcl:      "rule \"main.warn\" { severity = \"error\" }\nrule \"shared-secret\" { severity = \"warning\" }\n",
			wantCode: 1,
			want:     []string{"main.warn error  w [] false", "shared-secret warning terraform_data.db [staging production] false"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, tc.files)
			sc := policyScenario
			if tc.scenario != nil {
				sc = *tc.scenario
			}
			args := append(scenarioArgs(sc, "plan.json"), "--format", "json")
			args = append(args, tc.args...)
			args = append(args, "--policy", filepath.Join(dir, tc.sub))
			if tc.hcl != "" {
				cfg := filepath.Join(t.TempDir(), "lockstep.hcl")
				if err := os.WriteFile(cfg, []byte(tc.hcl), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--config", cfg)
			}
			code, out, errOut := runCLI(t, args...)
			if errOut != "" {
				t.Fatalf("stderr: %s", errOut)
			}
			var rep policyReport
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out)
			}
			got := []string{}
			details := ""
			for _, f := range rep.Findings {
				msg := f.Message
				if f.Rule == "shared-secret" {
					msg = ""
				} else if details == "" {
					details = string(f.Details)
				}
				got = append(got, findingLine(f.Rule, f.Severity, f.Address, msg, f.Environments, f.Waived))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("findings:\n got %q\nwant %q", got, tc.want)
			}
			if code != tc.wantCode {
				t.Errorf("exit %d, want %d", code, tc.wantCode)
			}
			if tc.details != "" {
				var compact bytes.Buffer
				if err := json.Compact(&compact, []byte(details)); err != nil || compact.String() != tc.details {
					t.Errorf("details %s, want %s", details, tc.details)
				}
			}
		})
	}
}

// TestPolicyTimeout checks that a runaway rule is stopped by
// --policy-timeout: exit 2, no report, and a message that names the rule,
// where it is, and the flag to raise.
func TestPolicyTimeout(t *testing.T) {
	dir := writeTree(t, map[string]string{"p.rego": `package main

deny_loop contains x if {
	some i in numbers.range(1, 100000000000)
	x := sprintf("%d", [i])
	false
}
`})
	start := time.Now()
	code, out, errOut := runCLI(t, append(scenarioArgs(policyScenario, "plan.json"), "--policy", dir, "--policy-timeout", "500ms")...)
	took := time.Since(start)
	if code != 2 || out != "" {
		t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
	}
	for _, w := range []string{"main.deny_loop", filepath.Join(dir, "p.rego") + ":3:1", "did not finish within --policy-timeout", "raise --policy-timeout"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
	if took > 5*time.Second {
		t.Errorf("took %s to stop a rule with --policy-timeout 500ms", took)
	}
}
