package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rewrittenPlan writes scenario a's plan of env with one attribute value,
// terraform_data.svc["api"]'s input.port in prior_state, replaced by raw
// JSON text: a real plan that carries a hostile value where Terraform
// writes a number.
func rewrittenPlan(t *testing.T, dir, env string, raw []byte) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(scenarios, "a-staging-only-change", env+".plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var plan map[string]any
	if err := dec.Decode(&plan); err != nil {
		t.Fatal(err)
	}
	const marker = "__lockstep_hostile_value__"
	found := false
	prior := plan["prior_state"].(map[string]any)["values"].(map[string]any)["root_module"].(map[string]any)
	for _, r := range prior["resources"].([]any) {
		r := r.(map[string]any)
		if r["address"] == `terraform_data.svc["api"]` {
			r["values"].(map[string]any)["input"].(map[string]any)["port"] = marker
			found = true
		}
	}
	if !found {
		t.Fatal(`scenario a has no terraform_data.svc["api"] in prior_state`)
	}
	out, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	out = bytes.Replace(out, []byte(`"`+marker+`"`), raw, 1)
	return hostileWrite(t, dir, env+".plan.json", out)
}

// numberPair checks staging and production with input.port set to a and b.
func numberPair(a, b string) func(t *testing.T, dir string) []string {
	return func(t *testing.T, dir string) []string {
		return []string{"check", "--format", "json",
			"--env", "staging=" + rewrittenPlan(t, filepath.Join(dir, "s"), "staging", []byte(a)),
			"--env", "production=" + rewrittenPlan(t, filepath.Join(dir, "p"), "production", []byte(b))}
	}
}

// portFinding reports whether the json report has the divergence of
// svc["api"]'s input.port, and its values.
func portFinding(t *testing.T, stdout string) (bool, map[string]any) {
	t.Helper()
	var rep struct {
		Findings []struct {
			Rule, Address string
			Details       struct {
				Attributes []struct {
					Path   string
					Values map[string]any
				}
			}
		}
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.UseNumber()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("json report: %v\n%s", err, clip(stdout))
	}
	for _, f := range rep.Findings {
		if f.Rule != "attribute-divergence" || f.Address != `terraform_data.svc["api"]` {
			continue
		}
		for _, a := range f.Details.Attributes {
			if a.Path == "input.port" {
				return true, a.Values
			}
		}
	}
	return false, nil
}

// wantPortDiffers wants input.port reported with these values, numbers as
// their JSON text, strings quoted.
func wantPortDiffers(staging, production string) func(t *testing.T, dir, stdout, stderr string) {
	return func(t *testing.T, dir, stdout, stderr string) {
		found, values := portFinding(t, stdout)
		if !found {
			t.Fatalf("no divergence reported for input.port\n%s", clip(stdout))
		}
		text := func(v any) string {
			if s, ok := v.(string); ok {
				return strconv.Quote(s)
			}
			return fmt.Sprint(v)
		}
		if text(values["staging"]) != staging || text(values["production"]) != production {
			t.Errorf("values %v, want staging %v, production %v", values, staging, production)
		}
	}
}

func wantPortEqual(t *testing.T, dir, stdout, stderr string) {
	if found, values := portFinding(t, stdout); found {
		t.Errorf("input.port reported as differing: %v", values)
	}
}

// TestHostileNumbers: JSON numbers compare by value, exactly, whatever
// their size or exponent, and numbers OPA cannot hold reach the rules as
// text instead of failing the run ("number too big") or crashing it.
// Scenario a has findings of its own, so every run exits 1.
func TestHostileNumbers(t *testing.T) {
	runHostile(t, []hostileCase{
		{name: "integers beyond 64 bits", setup: numberPair("18446744073709551617", "18446744073709551616"), code: 1,
			check: wantPortDiffers("18446744073709551617", "18446744073709551616")},
		{name: "more digits than a float64", setup: numberPair("0.30000000000000000000001", "0.3"), code: 1,
			check: wantPortDiffers("0.30000000000000000000001", "0.3")},
		{name: "exponent form equals plain", setup: numberPair("1e2", "100.0"), code: 1, check: wantPortEqual},
		{name: "negative zero equals zero", setup: numberPair("-0.0", "0"), code: 1, check: wantPortEqual},
		{name: "huge exponents that differ", setup: numberPair("1e100000000", "2e100000000"), code: 1,
			check: wantPortDiffers(`"1e100000000"`, `"2e100000000"`)},
		{name: "huge exponents that agree", setup: numberPair("1e100000000", "10E+99999999"), code: 1, check: wantPortEqual},
		{name: "tiny against zero", setup: numberPair("1e-100000000", "0"), code: 1,
			check: wantPortDiffers(`"1e-100000000"`, "0")},
		{name: "exponent beyond 64 bits", setup: numberPair("1e1000000000000000000", "1"), code: 1,
			check: wantPortDiffers(`"1e1000000000000000000"`, "1")},
		{
			// A user rule reading an environment's resource converts it
			// lazily; a huge number there used to panic inside OPA.
			name: "huge number read by a user rule",
			setup: func(t *testing.T, dir string) []string {
				args := numberPair("1e100000000", "1e100000000")(t, dir)
				hostileWrite(t, dir, "policy/p.rego", []byte(`package main

import rego.v1

deny contains msg if {
	r := input.env.production.resources["terraform_data.svc[\"api\"]"]
	msg := sprintf("port is %v", [r.now.input.port])
}
`))
				return append(args, "--policy", filepath.Join(dir, "policy"))
			},
			code: 1,
			check: func(t *testing.T, dir, stdout, stderr string) {
				if !strings.Contains(stdout, "port is 1e100000000") {
					t.Errorf("the user rule did not see the number as its text:\n%s", clip(stdout))
				}
			},
		},
	})
}

// TestHostileBigValues: a finding carries bounded detail, so memory stays
// proportional to the input and no output prints a huge value. Each case
// runs in a child process under an address-space limit: Go reserves about
// 1.2 GB of address space at start, so the limits are that plus a few
// times the inputs (before the bounds, the list case reached 10 GB of RSS
// and the string case died out of memory under these limits).
func TestHostileBigValues(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 200 MB of inputs")
	}
	const maxOutput = 64 << 10
	runHostile(t, []hostileCase{
		{
			name: "a million-element list that differs everywhere",
			setup: func(t *testing.T, dir string) []string {
				list := func(offset int) []byte {
					var b bytes.Buffer
					b.WriteByte('[')
					for i := 0; i < 1_000_000; i++ {
						if i > 0 {
							b.WriteByte(',')
						}
						b.WriteString(itoa(int64(i + offset)))
					}
					b.WriteByte(']')
					return b.Bytes()
				}
				return []string{"check", "--format", "text", "--format", "json=" + filepath.Join(dir, "out.json"),
					"--env", "staging=" + rewrittenPlan(t, filepath.Join(dir, "s"), "staging", list(0)),
					"--env", "production=" + rewrittenPlan(t, filepath.Join(dir, "p"), "production", list(1))}
			},
			code:     1,
			memLimit: 3 << 30,
			timeout:  4 * time.Minute,
			check: func(t *testing.T, dir, stdout, stderr string) {
				// The text lists the first attributes of the 100 the facts
				// hold, and says the json report has the rest.
				if !strings.Contains(stdout, "input.port.0 differs: staging 0") || !strings.Contains(stdout, "(and 99 more") ||
					!strings.Contains(stdout, "- input.port.1: staging 1, production 2") || !strings.Contains(stdout, "- and 80 more: --format json") {
					t.Errorf("text lacks the first 100 differing elements:\n%s", clip(stdout))
				}
				js, err := os.ReadFile(filepath.Join(dir, "out.json"))
				if err != nil {
					t.Fatal(err)
				}
				if len(stdout) > maxOutput || len(js) > maxOutput {
					t.Errorf("outputs of %d and %d bytes, want at most %d", len(stdout), len(js), maxOutput)
				}
				// The message counts what the facts could not list.
				if !bytes.Contains(js, []byte("(and 99 more attributes; 999900 more differing paths not listed)")) {
					t.Errorf("the json report's message does not count the paths left out")
				}
			},
		},
		{
			name: "100 MB strings that differ",
			setup: func(t *testing.T, dir string) []string {
				str := func(c byte) []byte {
					b := bytes.Repeat([]byte{c}, 100_000_002)
					b[0], b[len(b)-1] = '"', '"'
					return b
				}
				return []string{"check", "--format", "text", "--format", "json=" + filepath.Join(dir, "out.json"),
					"--env", "staging=" + rewrittenPlan(t, filepath.Join(dir, "s"), "staging", str('a')),
					"--env", "production=" + rewrittenPlan(t, filepath.Join(dir, "p"), "production", str('b'))}
			},
			code:     1,
			memLimit: 3 << 30,
			timeout:  4 * time.Minute,
			check: func(t *testing.T, dir, stdout, stderr string) {
				if !strings.Contains(stdout, "… (100000000 bytes)") {
					t.Errorf("text lacks the shortened value:\n%s", clip(stdout))
				}
				js, err := os.ReadFile(filepath.Join(dir, "out.json"))
				if err != nil {
					t.Fatal(err)
				}
				if len(stdout) > maxOutput || len(js) > maxOutput {
					t.Errorf("outputs of %d and %d bytes, want at most %d", len(stdout), len(js), maxOutput)
				}
			},
		},
	})
}
