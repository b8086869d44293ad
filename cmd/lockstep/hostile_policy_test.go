package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// policyArgs are the arguments of a check of the policy scenario with the
// --policy directory dir and extra flags; paths are absolute, for the cases
// that run in a child process in another directory.
func policyArgs(dir string, extra ...string) []string {
	root, err := filepath.Abs(scenarios)
	if err != nil {
		panic(err)
	}
	return append(append(scenarioArgsIn(root, policyScenario, "plan.json"), "--policy", dir), extra...)
}

// hostilePolicy writes p.rego (and files) below dir/policies and returns
// that directory.
func hostilePolicy(t *testing.T, dir, src string) string {
	t.Helper()
	pol := filepath.Join(dir, "policies")
	hostileWrite(t, pol, "p.rego", []byte(src))
	return pol
}

// TestHostilePolicies covers user policies as hostile code: no network or
// host built-in without --policy-allow-net, no symlink out of the policy
// directory, no endless read, no unbounded memory, no METADATA silently
// ignored.
func TestHostilePolicies(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(`{"ok": true}`))
	}))
	defer srv.Close()
	send := "package main\n\ndeny contains msg if {\n  r := http.send({\"method\": \"POST\", \"url\": \"" + srv.URL + "\", \"body\": input.env})\n  msg := sprintf(\"sent: %v\", [r.status_code])\n}\n"
	expectHits := func(want int64) func(t *testing.T, _, _, _ string) {
		return func(t *testing.T, _, _, _ string) {
			if got := hits.Swap(0); got != want {
				t.Errorf("the server received %d requests, want %d", got, want)
			}
		}
	}
	outside := func(t *testing.T, dir string) string {
		t.Helper()
		o := filepath.Join(dir, "outside")
		hostileWrite(t, o, "secret.json", []byte(`{"token": "hunter2"}`))
		return o
	}
	runHostile(t, []hostileCase{
		{name: "http.send is denied and sends nothing",
			setup: func(t *testing.T, dir string) []string {
				return policyArgs(hostilePolicy(t, dir, send))
			},
			want:  []string{"p.rego:4:8:", "http.send is disabled", "--policy-allow-net"},
			check: expectHits(0)},
		{name: "http.send is denied under --debug and --trace",
			setup: func(t *testing.T, dir string) []string {
				return policyArgs(hostilePolicy(t, dir, send), "--debug", "--trace")
			},
			want:  []string{"p.rego:4:8:", "http.send is disabled", "--policy-allow-net"},
			check: expectHits(0)},
		{name: "http.send with --policy-allow-net",
			setup: func(t *testing.T, dir string) []string {
				return policyArgs(hostilePolicy(t, dir, send), "--policy-allow-net")
			},
			code: exitFindings, maxLines: 100,
			check: func(t *testing.T, dir, stdout, stderr string) {
				expectHits(1)(t, dir, stdout, stderr)
				if !strings.Contains(stdout, "sent: 200") {
					t.Errorf("no finding from the rule:\n%s", stdout)
				}
			}},
		{name: "net.lookup_ip_addr is denied",
			setup: func(t *testing.T, dir string) []string {
				return policyArgs(hostilePolicy(t, dir, "package main\n\ndeny contains msg if {\n  ips := net.lookup_ip_addr(\"example.com\")\n  msg := sprintf(\"%v\", [ips])\n}\n"))
			},
			want: []string{"p.rego:4:10:", "net.lookup_ip_addr is disabled", "DNS", "--policy-allow-net"}},
		{name: "json.match_schema cannot read a local file",
			setup: func(t *testing.T, dir string) []string {
				secret := filepath.Join(outside(t, dir), "secret.json")
				return policyArgs(hostilePolicy(t, dir, "package main\n\ndeny contains msg if {\n  r := json.match_schema({}, {\"$ref\": \"file://"+secret+"\"})\n  msg := sprintf(\"%v\", [r])\n}\n"))
			},
			want: []string{"p.rego:4:8:", "json.match_schema is disabled", "local files", "--policy-allow-net"}},
		{name: "opa.runtime shows no environment variable",
			setup: func(t *testing.T, dir string) []string {
				t.Setenv("LOCKSTEP_HOSTILE_SECRET", "hunter2")
				return policyArgs(hostilePolicy(t, dir, "package main\n\ndeny contains msg if {\n  msg := sprintf(\"opa says %v\", [opa.runtime()])\n}\n"))
			},
			code: exitFindings, maxLines: 100, notWant: []string{"hunter2", "LOCKSTEP_HOSTILE_SECRET"},
			check: func(t *testing.T, _, stdout, _ string) {
				if !strings.Contains(stdout, "opa says {}") {
					t.Errorf("opa.runtime() is not {}:\n%s", stdout)
				}
			}},
		{name: "symlink to a directory outside",
			setup: func(t *testing.T, dir string) []string {
				pol := hostilePolicy(t, dir, "package main\n\nwarn contains \"x\" if data.linked.secret.token\n")
				if err := os.Symlink(outside(t, dir), filepath.Join(pol, "linked")); err != nil {
					t.Fatal(err)
				}
				return policyArgs(pol)
			},
			want: []string{filepath.Join("policies", "linked") + ": a symbolic link to", "outside the --policy directory"}, notWant: []string{"hunter2"}},
		{name: "symlink to a file outside",
			setup: func(t *testing.T, dir string) []string {
				pol := hostilePolicy(t, dir, "package main\n\nwarn contains \"x\" if data.token\n")
				if err := os.Symlink(filepath.Join(outside(t, dir), "secret.json"), filepath.Join(pol, "data.json")); err != nil {
					t.Fatal(err)
				}
				return policyArgs(pol)
			},
			want: []string{filepath.Join("policies", "data.json") + ": a symbolic link to", "outside the --policy directory"}, notWant: []string{"hunter2"}},
		{name: "symlink loop to its own directory",
			setup: func(t *testing.T, dir string) []string {
				pol := hostilePolicy(t, dir, "package main\n\nwarn contains \"x\" if false\n")
				if err := os.MkdirAll(filepath.Join(pol, "sub"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink("..", filepath.Join(pol, "sub", "up")); err != nil {
					t.Fatal(err)
				}
				return policyArgs(pol)
			},
			want: []string{filepath.Join("sub", "up") + ": a symbolic link to", "a directory that contains it"}},
		{name: "FIFO data document",
			setup: func(t *testing.T, dir string) []string {
				pol := hostilePolicy(t, dir, "package main\n\nwarn contains \"x\" if false\n")
				if err := syscall.Mkfifo(filepath.Join(pol, "data.json"), 0o644); err != nil {
					t.Fatal(err)
				}
				return policyArgs(pol)
			},
			timeout: 10 * time.Second,
			want:    []string{"data.json: not a regular file (a named pipe)"}},
		// Data documents get the checks plans get, naming the file and line.
		{name: "duplicate key in a data document",
			setup: func(t *testing.T, dir string) []string {
				pol := hostilePolicy(t, dir, "package main\n\nwarn contains \"x\" if false\n")
				hostileWrite(t, pol, "data.json", []byte("{\"allowed\": [\"a\"],\n \"allowed\": []}"))
				return policyArgs(pol)
			},
			want: []string{"data.json: line 2, column", "the same key twice"}},
		{name: "deep data document",
			setup: func(t *testing.T, dir string) []string {
				pol := hostilePolicy(t, dir, "package main\n\nwarn contains \"x\" if false\n")
				hostileWrite(t, pol, "data.json", []byte(`{"x":`+strings.Repeat("[", 100000)+strings.Repeat("]", 100000)+"}"))
				return policyArgs(pol)
			},
			want: []string{"data.json: line 1, column", "nested more than 512 levels deep"}},
		{name: "number Rego cannot hold in a data document",
			setup: func(t *testing.T, dir string) []string {
				pol := hostilePolicy(t, dir, "package main\n\nwarn contains \"x\" if false\n")
				hostileWrite(t, pol, "data.json", []byte("{\"limits\": {\n  \"n\": 1e999999999}}"))
				return policyArgs(pol)
			},
			want: []string{"data.json: line 2, column 8", "too large for Rego"}},
		// A user rule's message is shortened like a value: 2 MB of words
		// would take the text format's word wrap minutes.
		{name: "a 2 MB message",
			setup: func(t *testing.T, dir string) []string {
				pol := hostilePolicy(t, dir, "package main\n\ndeny contains concat(\" \", [sprintf(\"w%d\", [i]) | some i in numbers.range(1, 300000)])\n")
				return policyArgs(pol, "--format", "text", "--format", "json="+filepath.Join(dir, "r.json"))
			},
			code: 1, timeout: 20 * time.Second,
			check: func(t *testing.T, dir, stdout, _ string) {
				if !strings.Contains(stdout, "bytes)") || len(stdout) > 64<<10 {
					t.Errorf("text output of %d bytes without the shortened message", len(stdout))
				}
				if js, err := os.ReadFile(filepath.Join(dir, "r.json")); err != nil || len(js) > 64<<10 {
					t.Errorf("json report of %d bytes (%v), want the message shortened", len(js), err)
				}
			}},
		{name: "huge value",
			setup: func(t *testing.T, dir string) []string {
				pol := hostilePolicy(t, dir, "package main\n\ndeny contains msg if {\n  x := numbers.range(1, 1e10)\n  msg := sprintf(\"%d\", [count(x)])\n}\n")
				return policyArgs(pol, "--policy-max-memory", "100MiB")
			},
			// Go reserves about 1.5 GB of address space before the heap
			// grows; a run that ignored the bound crashes under this limit.
			memLimit: 2500 << 20, timeout: 60 * time.Second,
			want: []string{"main.deny", "p.rego:3:1", "used more than 100 MiB", "--policy-max-memory"}},
		// conftest's exception rules run under the same bound as the rules
		// they except.
		{name: "huge value in an --env-policy exception",
			setup: func(t *testing.T, dir string) []string {
				pol := hostilePolicy(t, dir, "package main\n\ndeny_x contains \"m\" if true\n\nexception contains [\"x\"] if {\n  x := numbers.range(1, 1e10)\n  count(x) > 0\n}\n")
				root, err := filepath.Abs(scenarios)
				if err != nil {
					t.Fatal(err)
				}
				return append(scenarioArgsIn(root, policyScenario, "plan.json"), "--env-policy", pol, "--policy-max-memory", "100MiB")
			},
			memLimit: 2500 << 20, timeout: 60 * time.Second,
			want: []string{"main.deny_x", "p.rego:3:1", "used more than 100 MiB", "--policy-max-memory"}},
		{name: "invalid package severity",
			setup: func(t *testing.T, dir string) []string {
				return policyArgs(hostilePolicy(t, dir, "# METADATA\n# custom:\n#   severity: Warning\npackage main\n\ndeny contains \"m\" if true\n"))
			},
			want: []string{"p.rego:1:1:", "custom.severity must be error or warning, not Warning"}},
		{name: "invalid rule severity",
			setup: func(t *testing.T, dir string) []string {
				return policyArgs(hostilePolicy(t, dir, "package main\n\n# METADATA\n# custom:\n#   severity: critical\nwarn contains \"m\" if true\n"))
			},
			want: []string{"p.rego:3:1:", "custom.severity must be error or warning, not critical"}},
		{name: "id not a string",
			setup: func(t *testing.T, dir string) []string {
				return policyArgs(hostilePolicy(t, dir, "package main\n\n# METADATA\n# custom:\n#   id: 42\ndeny contains \"m\" if true\n"))
			},
			want: []string{"p.rego:3:1:", "custom.id must be a non-empty string, not the number 42"}},
		{name: "details in JSON terms",
			setup: func(t *testing.T, dir string) []string {
				return policyArgs(hostilePolicy(t, dir, "package main\n\ndeny contains {\"msg\": \"m\", \"details\": {\"attributes\": \"x\"}} if true\n"))
			},
			want:    []string{"p.rego:3:1:", "details.attributes must be an array of objects with path and values, not a string"},
			notWant: []string{"report.", "[]"}},
		{name: "built-in rule timeout",
			setup: func(t *testing.T, _ string) []string {
				return policyArgs(t.TempDir(), "--policy-timeout", "1ns")
			},
			want:    []string{"built-in rule", "the input is too large", "raise --policy-timeout"},
			notWant: []string{"fix the policy"}},
		{name: "bad --policy-max-memory",
			setup: func(t *testing.T, dir string) []string {
				return policyArgs(hostilePolicy(t, dir, "package main\n"), "--policy-max-memory", "lots")
			},
			want: []string{"--policy-max-memory", `"lots" is not a size`}},
	})
}

// TestHostilePolicyTests covers `lockstep test`: tests run the policies,
// so they get the same sandbox, and the same flag lifts it.
func TestHostilePolicyTests(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	test := "package main_test\n\ntest_send if {\n  r := http.send({\"method\": \"GET\", \"url\": \"" + srv.URL + "\"})\n  r.status_code == 200\n}\n"
	for _, tc := range []struct {
		name  string
		flags []string
		code  int
		hits  int64
		want  string
	}{
		{name: "denied", code: exitError, want: "http.send is disabled"},
		{name: "allowed", flags: []string{"--policy-allow-net"}, code: 0, hits: 1, want: "1 passed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"p_test.rego": test})
			code, out, errOut := runCLI(t, append([]string{"test", dir}, tc.flags...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tc.code, out, errOut)
			}
			if !strings.Contains(out+errOut, tc.want) {
				t.Errorf("output lacks %q:\n%s%s", tc.want, out, errOut)
			}
			if got := hits.Swap(0); got != tc.hits {
				t.Errorf("the server received %d requests, want %d", got, tc.hits)
			}
		})
	}
}

// TestHostilePolicyTestMemory: `lockstep test` runs policies too, so the
// same watchdog bounds it; in a child process with a 3 GiB address space,
// a test that builds 10^10 numbers ends in a clear error, not a crash.
func TestHostilePolicyTestMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and fills memory")
	}
	runHostile(t, []hostileCase{{
		name: "lockstep test: huge value",
		setup: func(t *testing.T, dir string) []string {
			hostileWrite(t, dir, "p_test.rego", []byte("package main_test\n\ntest_huge if {\n  count(numbers.range(1, 1e10)) > 0\n}\n"))
			return []string{"test", dir, "--policy-max-memory", "100MiB"}
		},
		memLimit: 3 << 30,
		timeout:  2 * time.Minute,
		want:     []string{"more than 100 MiB (--policy-max-memory)"},
	}})
}
