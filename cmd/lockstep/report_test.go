package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/testfile"
)

const fleetDir = "../../testdata/fleet/"

// reportArgs audit the fixture fleet as of day.
func reportArgs(day string, extra ...string) []string {
	return append([]string{"report", "--config", fleetDir + "lockstep.hcl", "--inputs", fleetDir + "exports/{stack}/{env}.json",
		"--inputs", fleetDir + "exports/{stack}/{env}.tfstate", "--as-of", day}, extra...)
}

func runReport(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567")
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestReportCommand: every format at once, the exit code of an input
// error, FILE.sha256 beside the JSON and its digest in the footers, and no
// secret of the fixture anywhere.
func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	js, html, md := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.html"), filepath.Join(dir, "r.md")
	code, stdout, stderr := runReport(t, reportArgs("2026-12-01", "--format", "text", "--format", "json="+js, "--format", "html="+html, "--format", "markdown="+md)...)
	if code != exitError || !strings.Contains(stderr, "stack delta: "+fleetDir+"exports/delta/production.json: malformed JSON") {
		t.Errorf("exit %d, stderr %q: want 2 naming delta's broken input", code, stderr)
	}
	if !strings.HasPrefix(stdout, "lockstep report as of 2026-12-01: 6 stacks") {
		t.Errorf("text on standard output: %q", stdout)
	}
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	digest := hex.EncodeToString(sum[:])
	if got, err := os.ReadFile(js + ".sha256"); err != nil || string(got) != digest+"  r.json\n" {
		t.Errorf("r.json.sha256 = %q (%v), want %q", got, err, digest+"  r.json\n")
	}
	all := stdout + stderr + string(b)
	for _, f := range []string{html, md} {
		page, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(page, []byte(digest)) {
			t.Errorf("%s does not print the evidence digest", filepath.Base(f))
		}
		all += string(page)
	}
	secrets, err := os.ReadFile(fleetDir + "exports/secrets.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range strings.Fields(string(secrets)) {
		if strings.Contains(all, s) {
			t.Errorf("a report holds the secret %q", s)
		}
	}
	var d struct {
		Parameters struct {
			CommandLine []string `json:"command_line"`
		}
		Evidence struct {
			VCSCommit string `json:"vcs_commit"`
		}
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if line := strings.Join(d.Parameters.CommandLine, " "); strings.Contains(line, "--format") || !strings.HasPrefix(line, "lockstep report --config") {
		t.Errorf("recorded command line %q", line)
	}
	if d.Evidence.VCSCommit != "0123456789abcdef0123456789abcdef01234567" {
		t.Errorf("vcs_commit %q, want GITHUB_SHA", d.Evidence.VCSCommit)
	}
}

// TestReportShardsCommand: three shard runs and `report merge` write the
// JSON and HTML of a single run, byte for byte.
func TestReportShardsCommand(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	runReport(t, reportArgs("2026-12-01", "--format", "json="+p("whole.json"), "--format", "html="+p("whole.html"))...)
	var shards []string
	for _, k := range []string{"1/3", "2/3", "3/3"} {
		f := p("shard-" + k[:1] + ".json")
		if code, _, stderr := runReport(t, reportArgs("2026-12-01", "--shard", k, "--format", "json="+f)...); code == exitError && !strings.Contains(stderr, "stack delta") && stderr != "" {
			t.Fatalf("shard %s: %s", k, stderr)
		}
		shards = append(shards, f)
	}
	code, _, stderr := runReport(t, append(append([]string{"report", "merge"}, shards...), "--format", "json="+p("merged.json"), "--format", "html="+p("merged.html"))...)
	if code != exitError || !strings.Contains(stderr, "stack delta") {
		t.Errorf("merge: exit %d, %q; want 2 for delta's input error", code, stderr)
	}
	for _, f := range []string{"json", "html", "json.sha256"} {
		whole, _ := os.ReadFile(p("whole." + f))
		merged, _ := os.ReadFile(p("merged." + f))
		if f == "json.sha256" {
			whole, merged = bytes.Fields(whole)[0], bytes.Fields(merged)[0]
		}
		if len(whole) == 0 || !bytes.Equal(whole, merged) {
			t.Errorf("merged.%s differs from a single run's", f)
		}
	}
}

// TestReportTrendCommand: three successive reports, each given the one
// before: the findings persist with the first report's day.
func TestReportTrendCommand(t *testing.T) {
	dir := t.TempDir()
	prev := ""
	for _, day := range []string{"2026-10-01", "2026-11-01", "2026-12-01"} {
		f := filepath.Join(dir, day+".json")
		args := reportArgs(day, "--format", "json="+f, "--fail-on", "never")
		if prev != "" {
			args = append(args, "--previous", prev)
		}
		runReport(t, args...)
		prev = f
	}
	b, _ := os.ReadFile(prev)
	var d struct {
		Stacks []struct {
			Findings []struct {
				Trend     string `json:"trend"`
				FirstSeen string `json:"first_seen"`
			}
		}
		History []struct {
			AsOf string `json:"as_of"`
		}
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range d.Stacks {
		for _, f := range s.Findings {
			n++
			if f.Trend != "persisting" || f.FirstSeen != "2026-10-01" {
				t.Errorf("finding %s since %s, want persisting since 2026-10-01", f.Trend, f.FirstSeen)
			}
		}
	}
	if n == 0 || len(d.History) != 3 || d.History[0].AsOf != "2026-10-01" {
		t.Errorf("%d findings, history %v", n, d.History)
	}
}

// TestReportUsage: mistakes in how the report is asked for are exit 2
// with a message that says what to do.
func TestReportUsage(t *testing.T) {
	dir := t.TempDir()
	notJSON := filepath.Join(dir, "x.json")
	os.WriteFile(notJSON, []byte(`{"version":1,"kind":"something else"}`), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--inputs", "nowhere/{stack}/{env}.json"}, `--inputs "nowhere/{stack}/{env}.json" matches no file`},
		{[]string{"report", "--inputs", "x/{env}.json"}, "{stack} and {env} once each"},
		{reportArgs("2026-12-01", "--shard", "3/2"), `--shard "3/2": give K/N`},
		{reportArgs("2026-12-01", "--format", "sarif"), `unknown report format "sarif"`},
		{reportArgs("2026-12-01", "--format", "json", "--format", "text"), "would both write to standard output"},
		{reportArgs("2026-12-01", "--previous", notJSON), "not a lockstep report's JSON evidence"},
		{[]string{"report", "merge", notJSON}, "not a lockstep report's JSON evidence"},
	} {
		code, _, stderr := runReport(t, tc.args...)
		if code != exitError || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, %q; want 2 saying %q", tc.args, code, stderr, tc.want)
		}
	}
}

// TestReportEnvPolicyFlags: --env-policy judges every environment of every
// stack, as the fleet lockstep.hcl's env_policy block does, --namespace
// chooses the package, and the policy's file counts in the rule bundle.
func TestReportEnvPolicyFlags(t *testing.T) {
	dir := t.TempDir()
	policies := filepath.Join(dir, "conftest")
	testfile.Write(t, filepath.Join(policies, "audit.rego"), "package fleet.audit\n\ndeny contains \"audited by --env-policy\" if { true }\n")
	evidenceOf := func(extra ...string) (n int, files int) {
		t.Helper()
		js := filepath.Join(t.TempDir(), "r.json")
		code, _, stderr := runReport(t, reportArgs("2026-12-01", append([]string{"--format", "json=" + js}, extra...)...)...)
		if code != exitError { // the fixture's broken stack
			t.Fatalf("exit %d: %s", code, stderr)
		}
		b, err := os.ReadFile(js)
		if err != nil {
			t.Fatal(err)
		}
		var d struct {
			Stacks []struct {
				Findings []struct{ Rule, Message string }
			}
			Evidence struct {
				RuleBundle struct {
					PolicyFiles []any `json:"policy_files"`
				} `json:"rule_bundle"`
			}
		}
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatal(err)
		}
		for _, s := range d.Stacks {
			for _, f := range s.Findings {
				if f.Rule == "fleet.audit.deny" && f.Message == "audited by --env-policy" {
					n++
				}
			}
		}
		return n, len(d.Evidence.RuleBundle.PolicyFiles)
	}
	none, plainFiles := evidenceOf()
	n, files := evidenceOf("--env-policy", policies, "--namespace", "fleet.*")
	if none != 0 || n == 0 {
		t.Errorf("%d findings of the policy without the flag, %d with it", none, n)
	}
	if files != plainFiles+1 {
		t.Errorf("rule bundle of %d files with --env-policy, %d without: the policy is not counted", files, plainFiles)
	}
	code, _, stderr := runReport(t, reportArgs("2026-12-01", "--env-policy", policies)...)
	if code != exitError || !strings.Contains(stderr, "no deny, violation or warn rule in package main") {
		t.Errorf("the policy's package without --namespace: exit %d, stderr %q", code, stderr)
	}
}
