package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// hostileCase is one hostile or careless input: what a user or an attacker
// could hand lockstep. Every case must end in a short, clear error (exit 2
// unless code says otherwise) naming the culprit, never in a runtime dump, a
// hang or a silent pass. The cases live in hostile_*_test.go, one file per
// class; this file holds the harness they share.
type hostileCase struct {
	name string
	// setup writes the inputs below dir and returns the CLI arguments.
	setup func(t *testing.T, dir string) []string
	// code is the expected exit code; 0 means 2 (the usual answer).
	code int
	// want are substrings stderr must contain (the file, what is wrong).
	want []string
	// notWant are substrings no output (stdout, stderr) may contain.
	notWant []string
	// maxLines bounds stderr's line count; 0 means 4.
	maxLines int
	// timeout bounds the run; 0 means 20 s.
	timeout time.Duration
	// memLimit, when set, runs the built binary in a child process with
	// its address space limited to this many bytes (prlimit --as), for the
	// cases whose point is bounded memory.
	memLimit int64
	// check inspects the outcome further (files left behind, ...).
	check func(t *testing.T, dir string, stdout, stderr string)
}

// runtimeDump are the marks of a Go crash or of a goroutine dump.
var runtimeDump = []string{"goroutine ", "panic:", "fatal error:", "runtime: ", "runtime.", "[signal "}

func runHostile(t *testing.T, cases []hostileCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			args := tc.setup(t, dir)
			timeout := tc.timeout
			if timeout == 0 {
				timeout = 20 * time.Second
			}
			var code int
			var stdout, stderr string
			if tc.memLimit > 0 {
				code, stdout, stderr = runChild(t, dir, args, tc.memLimit, timeout)
			} else {
				code, stdout, stderr = runInProcess(t, args, timeout)
			}
			want := tc.code
			if want == 0 {
				want = exitError
			}
			if code != want {
				t.Errorf("exit code %d, want %d\nstderr:\n%s", code, want, clip(stderr))
			}
			for _, m := range runtimeDump {
				if strings.Contains(stderr, m) || strings.Contains(stdout, m) {
					t.Errorf("output shows a runtime dump (%q):\n%s", m, clip(stderr))
					break
				}
			}
			maxLines := tc.maxLines
			if maxLines == 0 {
				maxLines = 4
			}
			if n := strings.Count(strings.TrimRight(stderr, "\n"), "\n") + 1; stderr != "" && n > maxLines {
				t.Errorf("stderr has %d lines, want at most %d:\n%s", n, maxLines, clip(stderr))
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, clip(stderr))
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(stderr, w) || strings.Contains(stdout, w) {
					t.Errorf("output contains %q", w)
				}
			}
			if tc.check != nil {
				tc.check(t, dir, stdout, stderr)
			}
		})
	}
}

func clip(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "\n…"
	}
	return s
}

// runInProcess runs the CLI in this process; a run over the timeout fails
// the test (its goroutine is left behind: the point is to report the hang).
func runInProcess(t *testing.T, args []string, timeout time.Duration) (int, string, string) {
	t.Helper()
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		done <- result{code, stdout.String(), stderr.String()}
	}()
	select {
	case r := <-done:
		return r.code, r.stdout, r.stderr
	case <-time.After(timeout):
		t.Fatalf("lockstep %s did not finish within %s (hang)", strings.Join(args, " "), timeout)
		return 0, "", ""
	}
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// hostileBinary builds lockstep once per test binary for the child-process
// cases.
func hostileBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lockstep-hostile-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "lockstep")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = errors.New(string(out))
		}
	})
	if binErr != nil {
		t.Fatalf("build lockstep: %v", binErr)
	}
	return binPath
}

// runChild runs the built binary with its address space limited, so a case
// that would exhaust memory fails alone instead of taking the tests down.
func runChild(t *testing.T, dir string, args []string, memLimit int64, timeout time.Duration) (int, string, string) {
	t.Helper()
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	bin := hostileBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, prlimit, append([]string{"--as=" + itoa(memLimit), "--", bin}, args...)...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("lockstep %s did not finish within %s (hang)", strings.Join(args, " "), timeout)
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, stdout.String(), stderr.String()
}

func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// hostileWrite writes content to dir/name and returns the path.
func hostileWrite(t *testing.T, dir, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// validPlan is a real plan from scenario a, for cases that need one sound
// environment beside the hostile one.
func validPlan(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join(scenarios, "a-staging-only-change", "production.plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// validStagingPlan is scenario a's other plan, for cases where both
// environments must be sound: the same file twice is refused
// (--allow-identical-inputs).
func validStagingPlan(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join(scenarios, "a-staging-only-change", "staging.plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestHostileHarness is the harness's own baseline: a missing input is a
// short exit-2 error naming the file.
func TestHostileHarness(t *testing.T) {
	runHostile(t, []hostileCase{{
		name: "missing input",
		setup: func(t *testing.T, dir string) []string {
			return []string{"check", "--env", "staging=" + filepath.Join(dir, "nope.json"), "--env", "production=" + validPlan(t)}
		},
		want: []string{"nope.json"},
	}})
}
