package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/golden"
)

// modsrc is the fixture of module sources with credentials, made by real
// Terraform (testdata/module-credentials/generate.sh).
const modsrc = "../../testdata/module-credentials"

// leakToken is every credential written into the fixture's sources.
var leakToken = regexp.MustCompile(`LEAK[A-Za-z0-9]+`)

// printModules is a user policy that prints what rules see of every
// environment's modules, and reports each source in a finding's message, so
// that the sources reach --debug, --trace and every format through a user
// rule too.
const printModules = `package lockstep.modsrc

deny contains finding if {
	some name, env in input.env
	print("modules of", name, env.modules)
	some addr, m in env.modules
	finding := {"msg": sprintf("%s in %s calls %s", [addr, name, m.source]), "environments": [name]}
}
`

// inputFromModules is a policy test that builds the input document from the
// fixture (lockstep.input_from) and prints its modules: ` + "`lockstep test -v`" + `
// is one more way out of the process.
const inputFromModules = `package lockstep.modsrc_test

test_modules if {
	doc := lockstep.input_from(["staging=STAGING", "production=PRODUCTION"])
	print(doc.env.staging.modules, doc.env.production.modules, doc.versions)
	count(doc.env.staging.modules) == 5
}
`

// TestModuleSourceCredentialsNeverPrinted runs lockstep on plans whose
// module calls carry credentials in the userinfo and in the query string, in
// every format (github on standard output, the GitHub job summary, the
// others in files), with --dump-input, a user policy that prints and
// reports the modules, --debug, --trace and `lockstep test -v`, and greps
// every byte written for the credentials.
func TestModuleSourceCredentialsNeverPrinted(t *testing.T) {
	tokens := fixtureTokens(t, modsrc)
	outputs := runModuleSources(t, modsrc)
	for name, b := range outputs {
		if found := leakToken.FindAll(b, -1); len(found) > 0 {
			t.Errorf("%s prints credentials: %s", name, bytes.Join(found, []byte(", ")))
		}
	}
	// Not vacuous: each path out did show the sources, redacted.
	for name, b := range outputs {
		if !bytes.Contains(b, []byte("(credentials)")) {
			t.Errorf("%s shows no redacted source; the check proves nothing there:\n%s", name, clip(string(b)))
		}
	}
	if len(tokens) < 30 {
		t.Errorf("the fixture holds %d credentials", len(tokens))
	}
	var rep jsonReport
	if err := json.Unmarshal(outputs["json"], &rep); err != nil {
		t.Fatal(err)
	}
	var skew []string
	for _, f := range rep.Findings {
		if f.Rule == "version-skew" {
			skew = append(skew, f.Rule)
		}
	}
	// git_userinfo, git_sshkey and http_query differ in their ref or path;
	// same_other_token and same_no_token only in their credentials.
	if len(skew) != 3 {
		t.Errorf("%d version-skew findings, want 3 (sources differing only in credentials are the same module):\n%s", len(skew), outputs["json"])
	}
	// What the rules see, pinned.
	var dump struct {
		Env map[string]struct {
			Modules json.RawMessage `json:"modules"`
		} `json:"env"`
		Versions []map[string]any `json:"versions"`
	}
	if err := json.Unmarshal(outputs["--dump-input"], &dump); err != nil {
		t.Fatal(err)
	}
	pinned := map[string]any{"versions": dump.Versions}
	for name, e := range dump.Env {
		pinned["env."+name+".modules"] = e.Modules
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // "&", not "\u0026", between parameters
	enc.SetIndent("", "  ")
	if err := enc.Encode(pinned); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "module-credentials/input.json", b.Bytes())
}

// fixtureTokens lists the credentials of dir's sources and checks that the
// plans really hold them, or the test would prove nothing.
func fixtureTokens(t *testing.T, dir string) []string {
	t.Helper()
	seen := map[string]bool{}
	for _, env := range []string{"staging", "production"} {
		src, err := os.ReadFile(filepath.Join(dir, "envs", env, "main.tf"))
		if err != nil {
			t.Fatal(err)
		}
		plan, err := os.ReadFile(filepath.Join(dir, env+".plan.json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range leakToken.FindAllString(string(src), -1) {
			if !strings.Contains(string(plan), tok) {
				t.Errorf("%s.plan.json does not hold %s: regenerate the fixture", env, tok)
			}
			seen[tok] = true
		}
	}
	tokens := make([]string, 0, len(seen))
	for tok := range seen {
		tokens = append(tokens, tok)
	}
	sort.Strings(tokens)
	return tokens
}

// runModuleSources runs every path out of the process on dir's plans and
// returns what each wrote, by name.
func runModuleSources(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	policy := filepath.Join(out, "policy")
	if err := os.Mkdir(policy, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(policy, "modules.rego"), []byte(printModules), 0o644); err != nil {
		t.Fatal(err)
	}
	base := []string{"check", "--as-of", asOf,
		"--env", "staging=" + filepath.Join(abs, "staging.plan.json"),
		"--env", "production=" + filepath.Join(abs, "production.plan.json"),
		"--source", "staging=" + filepath.Join(abs, "envs", "staging"),
		"--source", "production=" + filepath.Join(abs, "envs", "production"),
		"--policy", policy,
	}
	outputs := map[string][]byte{}

	// Every format at once, the input dump, --debug.
	summary := filepath.Join(out, "summary.md")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	args := append(append([]string{}, base...), "--debug", "--dump-input", filepath.Join(out, "input.json"), "--format", "github")
	for _, f := range formatFiles {
		args = append(args, "--format", f.format+"="+filepath.Join(out, "out."+f.ext))
	}
	code, stdout, stderr := runCLI(t, args...)
	if code != exitFindings {
		t.Fatalf("exit %d, want %d:\n%s", code, exitFindings, stderr)
	}
	outputs["github (stdout)"], outputs["--debug (stderr)"] = []byte(stdout), []byte(stderr)
	for _, f := range formatFiles {
		outputs[f.format] = readOutput(t, filepath.Join(out, "out."+f.ext))
	}
	outputs["GITHUB_STEP_SUMMARY"] = readOutput(t, summary)
	outputs["--dump-input"] = readOutput(t, filepath.Join(out, "input.json"))
	t.Setenv("GITHUB_STEP_SUMMARY", "")

	// --trace, text on standard output.
	_, stdout, stderr = runCLI(t, append(append([]string{}, base...), "--trace")...)
	outputs["text (stdout)"], outputs["--trace (stderr)"] = []byte(stdout), []byte(stderr)
	if !strings.Contains(stderr, "Enter data.lockstep.modsrc.deny") {
		t.Errorf("--trace wrote no trace of the user rule:\n%s", clip(stderr))
	}

	// lockstep test -v: a policy test that builds the input from the plans.
	tests := filepath.Join(out, "tests")
	if err := os.Mkdir(tests, 0o755); err != nil {
		t.Fatal(err)
	}
	src := strings.NewReplacer("STAGING", filepath.Join(abs, "staging.plan.json"), "PRODUCTION", filepath.Join(abs, "production.plan.json")).Replace(inputFromModules)
	if err := os.WriteFile(filepath.Join(tests, "modules_test.rego"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCLI(t, "test", "-v", tests)
	if code != exitOK {
		t.Errorf("lockstep test: exit %d:\n%s%s", code, stdout, stderr)
	}
	outputs["test -v (stdout and stderr)"] = []byte(stdout + stderr)
	return outputs
}

func readOutput(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestModuleCredentialsGenerate regenerates the fixture with real Terraform
// into a temporary directory and checks it the same way: the committed
// plans are what Terraform writes for those sources.
func TestModuleCredentialsGenerate(t *testing.T) {
	requireTerraform(t)
	if testing.Short() {
		t.Skip("runs terraform; skipped with -short")
	}
	dir := t.TempDir()
	if b, err := exec.Command("bash", filepath.Join(modsrc, "generate.sh"), dir).CombinedOutput(); err != nil {
		t.Fatalf("generate.sh: %v\n%s", err, b)
	}
	fixtureTokens(t, dir)
	for name, b := range runModuleSources(t, dir) {
		if found := leakToken.FindAll(b, -1); len(found) > 0 {
			t.Errorf("regenerated: %s prints credentials: %s", name, bytes.Join(found, []byte(", ")))
		}
	}
}
