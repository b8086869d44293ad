package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/golden"
)

// Documentation that shows lockstep's output keeps it between these
// markers, as a fenced block whose first line is the command:
//
//	<!-- output:begin -->
//	```
//	$ lockstep check --env ... --policy ...
//	lockstep: 2 errors, ...
//	```
//	<!-- output:end -->
//
// TestDocOutputs runs each command, from the repository root, and compares.
// A block may leave lines out: a line of the form "... what is left out ..."
// stands for any number of lines of the output (see excerptMatches). -update
// rewrites whole blocks only; an excerpt that no longer matches is for a
// person to fix.
const (
	outputBegin = "<!-- output:begin -->"
	outputEnd   = "<!-- output:end -->"
)

// docsWithOutput are the documents, relative to the repository root, whose
// output blocks are checked.
var docsWithOutput = []string{
	"README.md",
	"docs/cli.md",
	"docs/config.md",
	"docs/matching.md",
	"docs/input.md",
	"docs/opentofu.md",
	"examples/policies/README.md",
	"docs/conftest.md",
}

const updateDocsHint = "go test ./cmd/lockstep -run TestDocOutputs -update"

type outputBlock struct {
	// start and end delimit the block's text between the markers.
	start, end int
	args       []string
	want       string
}

func outputBlocks(doc string) ([]outputBlock, error) {
	var blocks []outputBlock
	for at := 0; ; {
		i := strings.Index(doc[at:], outputBegin)
		if i < 0 {
			return blocks, nil
		}
		start := at + i + len(outputBegin)
		j := strings.Index(doc[start:], outputEnd)
		if j < 0 {
			return nil, fmt.Errorf("%s at byte %d has no %s", outputBegin, start, outputEnd)
		}
		end := start + j
		inner := strings.TrimSpace(doc[start:end])
		body, ok := strings.CutPrefix(inner, "```\n")
		if ok {
			body, ok = strings.CutSuffix(body, "\n```")
		}
		if !ok {
			return nil, fmt.Errorf("the block at byte %d is not one fenced code block", start)
		}
		cmd, want, _ := strings.Cut(body, "\n")
		args, ok := strings.CutPrefix(cmd, "$ lockstep ")
		if !ok {
			return nil, fmt.Errorf("the block at byte %d does not start with a `$ lockstep ...` line", start)
		}
		blocks = append(blocks, outputBlock{start: start, end: end, args: strings.Fields(args), want: want})
		at = end + len(outputEnd)
	}
}

func renderOutputBlock(args []string, stdout string) string {
	return "\n```\n$ lockstep " + strings.Join(args, " ") + "\n" + strings.TrimRight(stdout, "\n") + "\n```\n"
}

// TestDocOutputs runs the commands shown in the documentation and compares
// their output with what the documentation says, so a change in output
// fails here until the documentation is updated (with -update).
func TestDocOutputs(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	for _, name := range docsWithOutput {
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			doc := string(src)
			blocks, err := outputBlocks(doc)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(blocks) == 0 {
				t.Fatalf("%s has no %s block", name, outputBegin)
			}
			var updated strings.Builder
			last := 0
			for _, b := range blocks {
				code, stdout, stderr := runCLI(t, b.args...)
				if code == exitError || stderr != "" {
					t.Errorf("%s: lockstep %s: exit %d\nstderr:\n%s", name, strings.Join(b.args, " "), code, stderr)
					continue
				}
				got := strings.TrimRight(stdout, "\n")
				if isExcerpt(b.want) {
					if !excerptMatches(strings.Split(strings.TrimRight(b.want, "\n"), "\n"), strings.Split(got, "\n")) {
						t.Errorf("%s: the output of `lockstep %s` no longer contains the documented excerpt; edit the excerpt by hand (-update rewrites whole outputs only).\n--- documented\n%s\n--- got\n%s",
							name, strings.Join(b.args, " "), b.want, got)
					}
					continue
				}
				if got != strings.TrimRight(b.want, "\n") && !*golden.Update {
					t.Errorf("%s: the output of `lockstep %s` differs from the documentation; if the change is intended, run\n\t%s\nand check that the text around the block still holds.\n--- documented\n%s\n--- got\n%s",
						name, strings.Join(b.args, " "), updateDocsHint, b.want, got)
				}
				updated.WriteString(doc[last:b.start])
				updated.WriteString(renderOutputBlock(b.args, stdout))
				last = b.end
			}
			updated.WriteString(doc[last:])
			if *golden.Update && updated.String() != doc {
				if err := os.WriteFile(name, []byte(updated.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// elision is a line of an excerpt that stands for lines left out.
var elision = regexp.MustCompile(`^\s*\.\.\. .+ \.\.\.$`)

func isExcerpt(want string) bool {
	for _, line := range strings.Split(want, "\n") {
		if elision.MatchString(line) {
			return true
		}
	}
	return false
}

// excerptMatches reports whether got is want with each elision line of want
// standing for zero or more lines of got.
func excerptMatches(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if elision.MatchString(want[0]) {
		for i := 0; i <= len(got); i++ {
			if excerptMatches(want[1:], got[i:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && got[0] == want[0] && excerptMatches(want[1:], got[1:])
}

// fileMarker precedes a fenced block that shows a whole file of the
// repository; TestDocFiles keeps the two the same.
var fileMarker = regexp.MustCompile("(?s)<!-- file: (\\S+) -->\n```[a-z]*\n(.*?)```\n")

// TestDocFiles checks that files shown whole in the documentation (the
// complete example of docs/input.md) are shown as they are.
func TestDocFiles(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	for _, name := range docsWithOutput {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		doc := string(src)
		var updated strings.Builder
		last := 0
		for _, m := range fileMarker.FindAllStringSubmatchIndex(doc, -1) {
			file, shown := doc[m[2]:m[3]], doc[m[4]:m[5]]
			content, err := os.ReadFile(file)
			if err != nil {
				t.Errorf("%s shows %s: %v", name, file, err)
				continue
			}
			if shown != string(content) && !*golden.Update {
				t.Errorf("%s shows %s differently from the file; run\n\t%s\nto copy the file into the documentation", name, file, "go test ./cmd/lockstep -run TestDocFiles -update")
			}
			updated.WriteString(doc[last:m[4]])
			updated.Write(content)
			last = m[5]
		}
		updated.WriteString(doc[last:])
		if *golden.Update && updated.String() != doc {
			if err := os.WriteFile(name, []byte(updated.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// fieldsMarker precedes each field table of docs/input.md and names where
// in the input document the table's fields live: "." for the top level,
// "name[]" for the elements of an array, "*" for the values of an object.
var fieldsMarker = regexp.MustCompile(`(?m)^<!-- fields: (\S+) -->\n`)

var firstCellName = regexp.MustCompile("^\\|\\s*`([a-z_0-9]+)`")

// fieldTables reads the field names of every marked table.
func fieldTables(doc string) (map[string][]string, error) {
	tables := map[string][]string{}
	for _, m := range fieldsMarker.FindAllStringSubmatchIndex(doc, -1) {
		path := doc[m[2]:m[3]]
		if _, dup := tables[path]; dup {
			return nil, fmt.Errorf("two tables for %s", path)
		}
		var names []string
		for i, line := range strings.Split(doc[m[1]:], "\n") {
			if !strings.HasPrefix(line, "|") {
				break
			}
			if i < 2 { // header and separator
				continue
			}
			n := firstCellName.FindStringSubmatch(line)
			if n == nil {
				return nil, fmt.Errorf("table for %s: row %q does not start with a `field`", path, line)
			}
			names = append(names, n[1])
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("the marker for %s is not followed by a table", path)
		}
		tables[path] = names
	}
	return tables, nil
}

// selectObjects returns the objects at path in v.
func selectObjects(v any, path string) []map[string]any {
	if path == "." {
		path = ""
	}
	var segs []string
	if path != "" {
		segs = strings.Split(path, ".")
	}
	var walk func(v any, segs []string) []map[string]any
	walk = func(v any, segs []string) []map[string]any {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		if len(segs) == 0 {
			return []map[string]any{obj}
		}
		seg, rest := segs[0], segs[1:]
		var out []map[string]any
		switch {
		case seg == "*":
			for _, child := range obj {
				out = append(out, walk(child, rest)...)
			}
		case strings.HasSuffix(seg, "[]"):
			arr, _ := obj[strings.TrimSuffix(seg, "[]")].([]any)
			for _, child := range arr {
				out = append(out, walk(child, rest)...)
			}
		default:
			out = walk(obj[seg], rest)
		}
		return out
	}
	return walk(v, segs)
}

// TestDocInputFields checks docs/input.md's field tables against real
// --dump-input documents: every documented field exists, and every field
// lockstep writes at a documented place is documented. Renaming or adding a
// field without updating the documentation fails here.
func TestDocInputFields(t *testing.T) {
	src, err := os.ReadFile("../../docs/input.md")
	if err != nil {
		t.Fatal(err)
	}
	tables, err := fieldTables(string(src))
	if err != nil {
		t.Fatalf("docs/input.md: %v", err)
	}
	if len(tables) < 10 {
		t.Fatalf("docs/input.md has %d field tables; the markers are missing", len(tables))
	}
	// Inputs that between them have every part of the document: plans and
	// states, --target (promotion), a cross-environment reference, a shared
	// secret, drift, lock files and module calls.
	s := func(scenario, env, ext string) string {
		return fmt.Sprintf("%s=%s/%s/%s.%s", env, scenarios, scenario, env, ext)
	}
	runs := [][]string{
		{"--env", s("a-staging-only-change", "staging", "plan.json"), "--env", s("a-staging-only-change", "production", "state.json")},
		{"--env", s("c-promotion-before", "staging", "plan.json"), "--env", s("c-promotion-before", "production", "plan.json"), "--target", "production"},
		{"--env", s("e-cross-env-reference", "staging", "plan.json"), "--env", s("e-cross-env-reference", "production", "plan.json")},
		{"--env", s("g-shared-secret", "staging", "plan.json"), "--env", s("g-shared-secret", "production", "tfstate")},
		{"--env", s("f-version-skew", "staging", "plan.json"), "--env", s("f-version-skew", "production", "plan.json"),
			"--config", scenarios + "/f-version-skew/lockstep.hcl"},
		{"--env", "staging=../../testdata/samples/drift/plan-drift.json", "--env", "production=../../testdata/samples/drift/plan-refresh-only.json"},
		// Environment names and embedded identifiers in values, and sets
		// of references (issue 16).
		{"--env", s("k-env-name-in-value", "staging", "plan.json"), "--env", s("k-env-name-in-value", "production", "plan.json"),
			"--config", scenarios + "/k-env-name-in-value/lockstep.hcl"},
		{"--env", s("l-embedded-identifier", "staging", "plan.json"), "--env", s("l-embedded-identifier", "production", "plan.json")},
		{"--env", s("m-reference-sets", "staging", "plan.json"), "--env", s("m-reference-sets", "production", "plan.json")},
	}
	var dumps []any
	for i, args := range runs {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("input-%d.json", i))
		args = append([]string{"check", "--fail-on", "never", "--dump-input", path}, args...)
		if code, _, stderr := runCLI(t, args...); code != exitOK {
			t.Fatalf("lockstep %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		dumps = append(dumps, v)
	}
	paths := make([]string, 0, len(tables))
	for p := range tables {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		present := map[string]bool{}
		n := 0
		for _, d := range dumps {
			for _, obj := range selectObjects(d, path) {
				n++
				for k := range obj {
					present[k] = true
				}
			}
		}
		if n == 0 {
			t.Errorf("docs/input.md documents %s, but no --dump-input document has an object there", path)
			continue
		}
		documented := map[string]bool{}
		for _, f := range tables[path] {
			documented[f] = true
			if !present[f] {
				t.Errorf("docs/input.md documents field %q at %s, which --dump-input does not write (renamed or removed?)", f, path)
			}
		}
		for k := range present {
			if !documented[k] {
				t.Errorf("--dump-input writes field %q at %s, which docs/input.md does not document: add it to the table", k, path)
			}
		}
	}
}

// TestExamplePolicies runs the tests of the example policies, and checks
// that they load together with unique ids, as
// `lockstep check --policy examples/policies` loads them.
func TestExamplePolicies(t *testing.T) {
	for _, args := range [][]string{
		{"../../examples/policies"}, {"../../docs/examples/input"},
		// docs/conftest.md's worked example, before and after.
		{"--env-policy", "../../docs/examples/conftest/single"}, {"../../docs/examples/conftest/cross"},
	} {
		code, stdout, stderr := runCLI(t, append([]string{"test"}, args...)...)
		if code != exitOK || !strings.Contains(stdout, " passed, 0 failed\n") {
			t.Errorf("lockstep test %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, stdout, stderr)
		}
	}
	code, stdout, stderr := runCLI(t, "rules", "--policy", "../../examples/policies", "--format", "json")
	if code != exitOK {
		t.Fatalf("lockstep rules --policy examples/policies: exit %d\n%s", code, stderr)
	}
	var listed struct {
		Rules []struct {
			ID      string `json:"id"`
			Builtin bool   `json:"builtin"`
			Package string `json:"package"`
			Name    string `json:"name"`
		} `json:"rules"`
	}
	if err := json.Unmarshal([]byte(stdout), &listed); err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	user := 0
	for _, r := range listed.Rules {
		where := r.Package + "." + r.Name
		if other, dup := seen[r.ID]; dup {
			t.Errorf("id %s is used by %s and %s", r.ID, other, where)
		}
		seen[r.ID] = where
		if !r.Builtin {
			user++
		}
	}
	if user < 4 {
		t.Errorf("examples/policies has %d rules, want at least 4", user)
	}
}
