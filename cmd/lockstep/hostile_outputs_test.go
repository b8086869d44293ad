package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Output safety (issue 11, items 9–11): a run that exits 2 leaves nothing
// new behind, no output replaces an input, and no value reaches a terminal
// or a browser as a control sequence.

// hostileDir lists every file below dir with its contents.
func hostileDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// unchanged snapshots dir during setup; the check fails when the run left
// anything new or changed there, or wrote to stdout.
type unchanged struct{ before map[string]string }

func (u *unchanged) snap(t *testing.T, dir string) { u.before = hostileDir(t, dir) }

func (u *unchanged) check(t *testing.T, dir, stdout, _ string) {
	t.Helper()
	after := hostileDir(t, dir)
	for p, b := range after {
		if old, ok := u.before[p]; !ok {
			t.Errorf("the failed run left %s behind", p)
		} else if old != b {
			t.Errorf("the failed run changed %s", p)
		}
	}
	for p := range u.before {
		if _, ok := after[p]; !ok {
			t.Errorf("the failed run removed %s", p)
		}
	}
	if stdout != "" {
		t.Errorf("the failed run wrote to stdout:\n%s", clip(stdout))
	}
}

// copyPlan copies a scenario plan into dir under name.
func copyPlan(t *testing.T, dir, name, scenarioFile string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(scenarios, "a-staging-only-change", scenarioFile))
	if err != nil {
		t.Fatal(err)
	}
	return hostileWrite(t, dir, name, b)
}

func TestHostileOutputs(t *testing.T) {
	var (
		partial, readOnly, summary, dumpFail, envItself, spellings, symlink, hardlink, lockFile, config unchanged
	)
	const eval = "--as-of=2026-01-01"
	runHostile(t, []hostileCase{
		{
			name: "a later destination fails: no earlier file, no stdout",
			setup: func(t *testing.T, dir string) []string {
				s, p := copyPlan(t, dir, "s.json", "staging.plan.json"), copyPlan(t, dir, "p.json", "production.plan.json")
				partial.snap(t, dir)
				return []string{"check", eval, "--env", "staging=" + s, "--env", "production=" + p, "--format", "text",
					"--format", "json=" + filepath.Join(dir, "ok.json"), "--dump-input", filepath.Join(dir, "input.json"),
					"--format", "sarif=" + filepath.Join(dir, "nonexistent", "x.sarif")}
			},
			want:  []string{"--format sarif=", "nonexistent does not exist"},
			check: partial.check,
		},
		{
			// In a child process standard output is a pipe: /dev/stdout beside
			// the default text would interleave with it (or, redirected to a
			// file, truncate it).
			name: "/dev/stdout beside standard output",
			setup: func(t *testing.T, dir string) []string {
				s, p := copyPlan(t, dir, "s.json", "staging.plan.json"), copyPlan(t, dir, "p.json", "production.plan.json")
				return []string{"check", eval, "--env", "staging=" + s, "--env", "production=" + p, "--format", "text", "--format", "json=/dev/stdout"}
			},
			memLimit: 4 << 30,
			want:     []string{"--format text and --format json=/dev/stdout would both write to standard output"},
			check: func(t *testing.T, _, stdout, _ string) {
				if stdout != "" {
					t.Errorf("stdout written: %.200s", stdout)
				}
			},
		},
		{
			name: "a write that fails half-way: nothing left",
			setup: func(t *testing.T, dir string) []string {
				// /proc exists, so the destination passes the checks, and
				// nobody, not even root, can create a file there.
				if st, err := os.Stat("/proc/self"); err != nil || !st.IsDir() {
					t.Skip("no /proc")
				}
				s, p := copyPlan(t, dir, "s.json", "staging.plan.json"), copyPlan(t, dir, "p.json", "production.plan.json")
				hostileWrite(t, dir, "old.json", []byte("old"))
				readOnly.snap(t, dir)
				return []string{"check", eval, "--env", "staging=" + s, "--env", "production=" + p, "--format", "text",
					"--format", "json=" + filepath.Join(dir, "old.json"), "--dump-input", filepath.Join(dir, "input.json"),
					"--format", "sarif=/proc/lockstep-hostile.sarif"}
			},
			want:  []string{"--format sarif=/proc/lockstep-hostile.sarif: cannot create a file in /proc"},
			check: readOnly.check,
		},
		{
			name: "the job summary is left alone when the run fails",
			setup: func(t *testing.T, dir string) []string {
				s, p := copyPlan(t, dir, "s.json", "staging.plan.json"), copyPlan(t, dir, "p.json", "production.plan.json")
				t.Setenv("GITHUB_STEP_SUMMARY", hostileWrite(t, dir, "summary.md", []byte("# earlier step\n")))
				summary.snap(t, dir)
				return []string{"check", eval, "--env", "staging=" + s, "--env", "production=" + p, "--format", "github",
					"--format", "sarif=" + filepath.Join(dir, "nonexistent", "x.sarif")}
			},
			want:  []string{"nonexistent does not exist"},
			check: summary.check,
		},
		{
			name: "--dump-input is not written when the rules fail",
			setup: func(t *testing.T, dir string) []string {
				s, p := copyPlan(t, dir, "s.json", "staging.plan.json"), copyPlan(t, dir, "p.json", "production.plan.json")
				// Two values for one complete rule: an evaluation error.
				hostileWrite(t, dir, "policies/p.rego", []byte("package main\n\nenv := input.environments[_]\n\ndeny contains env if env\n"))
				dumpFail.snap(t, dir)
				return []string{"check", eval, "--env", "staging=" + s, "--env", "production=" + p, "--policy", filepath.Join(dir, "policies"),
					"--dump-input", filepath.Join(dir, "input.json"), "--format", "json=" + filepath.Join(dir, "r.json")}
			},
			want:     []string{"p.rego"},
			maxLines: 6,
			check:    dumpFail.check,
		},
		{
			name: "--dump-input is written when findings exit 1",
			code: exitFindings,
			setup: func(t *testing.T, dir string) []string {
				s, p := copyPlan(t, dir, "s.json", "staging.plan.json"), copyPlan(t, dir, "p.json", "production.plan.json")
				return []string{"check", eval, "--env", "staging=" + s, "--env", "production=" + p,
					"--dump-input", filepath.Join(dir, "input.json"), "--format", "json=" + filepath.Join(dir, "r.json")}
			},
			check: func(t *testing.T, dir, stdout, _ string) {
				for _, f := range []string{"input.json", "r.json"} {
					if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
						t.Errorf("%s: %v", f, err)
					}
				}
			},
		},
		{
			name: "--format json=<an --env file>",
			setup: func(t *testing.T, dir string) []string {
				s, p := copyPlan(t, dir, "s.json", "staging.plan.json"), copyPlan(t, dir, "p.json", "production.plan.json")
				envItself.snap(t, dir)
				return []string{"check", eval, "--env", "staging=" + s, "--env", "production=" + p, "--format", "json=" + s}
			},
			want:  []string{"--format json=" + "", "would overwrite --env staging=", "s.json"},
			check: envItself.check,
		},
		{
			name: "./s.json and s.json are one file",
			setup: func(t *testing.T, dir string) []string {
				s, p := copyPlan(t, dir, "s.json", "staging.plan.json"), copyPlan(t, dir, "p.json", "production.plan.json")
				spellings.snap(t, dir)
				return []string{"check", eval, "--env", "staging=" + s, "--env", "production=" + p,
					"--format", "json=" + dir + "/./r.json", "--format", "sarif=" + dir + "/r.json"}
			},
			want:  []string{"would both write to", "r.json"},
			check: spellings.check,
		},
		{
			name: "a symbolic link to an input",
			setup: func(t *testing.T, dir string) []string {
				s, p := copyPlan(t, dir, "s.json", "staging.plan.json"), copyPlan(t, dir, "p.json", "production.plan.json")
				if err := os.Symlink(p, filepath.Join(dir, "out.sarif")); err != nil {
					t.Fatal(err)
				}
				symlink.snap(t, dir)
				return []string{"check", eval, "--env", "staging=" + s, "--env", "production=" + p, "--format", "sarif=" + filepath.Join(dir, "out.sarif")}
			},
			want:  []string{"out.sarif would overwrite --env production="},
			check: symlink.check,
		},
		{
			name: "a hard link to an input",
			setup: func(t *testing.T, dir string) []string {
				s, p := copyPlan(t, dir, "s.json", "staging.plan.json"), copyPlan(t, dir, "p.json", "production.plan.json")
				if err := os.Link(s, filepath.Join(dir, "out.xml")); err != nil {
					t.Skip(err)
				}
				hardlink.snap(t, dir)
				return []string{"check", eval, "--env", "staging=" + s, "--env", "production=" + p, "--format", "junit=" + filepath.Join(dir, "out.xml")}
			},
			want:  []string{"out.xml would overwrite --env staging="},
			check: hardlink.check,
		},
		{
			name: "the lock file beside an input",
			setup: func(t *testing.T, dir string) []string {
				s, p := copyPlan(t, dir, "s.json", "staging.plan.json"), copyPlan(t, dir, "p.json", "production.plan.json")
				lock := hostileWrite(t, dir, ".terraform.lock.hcl", []byte("# lock\n"))
				lockFile.snap(t, dir)
				return []string{"check", eval, "--env", "staging=" + s, "--env", "production=" + p, "--format", "markdown=" + lock}
			},
			want:  []string{"would overwrite staging's lock file"},
			check: lockFile.check,
		},
		{
			name: "lockstep.hcl",
			setup: func(t *testing.T, dir string) []string {
				s, p := copyPlan(t, dir, "s.json", "staging.plan.json"), copyPlan(t, dir, "p.json", "production.plan.json")
				cfg := hostileWrite(t, dir, "lockstep.hcl", []byte("# no settings\n"))
				config.snap(t, dir)
				return []string{"check", eval, "--env", "staging=" + s, "--env", "production=" + p, "--config", cfg, "--output", cfg}
			},
			want:  []string{"--output ", "would overwrite the config file", "lockstep.hcl"},
			check: config.check,
		},
	})
}

// TestHostileOutputEscapes: a plan value with an ESC sequence, a C1 CSI and
// a bidi override reaches every format as escapes, never raw.
func TestHostileOutputEscapes(t *testing.T) {
	const hostile = `10.0.0.0/16\u001b[2J\u001b]0;pwned\u0007\u009b31m\u202e`
	raw := []string{"\x1b", "\x07", "\u009b", "\u202e"}
	runHostile(t, []hostileCase{{
		name: "ESC, C1 and bidi in a plan value",
		code: exitFindings,
		setup: func(t *testing.T, dir string) []string {
			s := copyPlan(t, dir, "s.json", "staging.plan.json")
			b, err := os.ReadFile(filepath.Join(scenarios, "a-staging-only-change", "production.plan.json"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(b, []byte(`"10.0.0.0/16"`)) {
				t.Fatal("the plan has no cidr to make hostile")
			}
			p := hostileWrite(t, dir, "p.json", bytes.ReplaceAll(b, []byte(`"10.0.0.0/16"`), []byte(`"`+hostile+`"`)))
			args := []string{"check", "--as-of=2026-01-01", "--env", "staging=" + s, "--env", "production=" + p, "--format", "text"}
			for _, f := range []string{"json", "sarif", "junit", "github", "markdown"} {
				args = append(args, "--format", f+"="+filepath.Join(dir, "out."+f))
			}
			return args
		},
		notWant: raw,
		check: func(t *testing.T, dir, stdout, _ string) {
			if !strings.Contains(stdout, `10.0.0.0/16\x1b[2J\x1b]0;pwned\x07\u009b31m\u202e`) {
				t.Errorf("text lacks the escaped value:\n%s", clip(stdout))
			}
			for _, f := range []string{"json", "sarif", "junit", "github", "markdown"} {
				b, err := os.ReadFile(filepath.Join(dir, "out."+f))
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range raw {
					if bytes.Contains(b, []byte(r)) {
						t.Errorf("%s holds %q raw", f, r)
					}
				}
				if !bytes.Contains(b, []byte("10.0.0.0/16")) {
					t.Errorf("%s lacks the finding", f)
				}
			}
		},
	}})
}
