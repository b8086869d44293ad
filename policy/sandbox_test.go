package policy

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lockstep-iac/lockstep/internal/testfile"

	"github.com/lockstep-iac/lockstep/report"
)

func TestCapabilities(t *testing.T) {
	for _, allow := range []bool{false, true} {
		names := map[string]bool{}
		for _, b := range Capabilities(allow).Builtins {
			names[b.Name] = true
		}
		for name := range Denied {
			if names[name] != allow {
				t.Errorf("allowNet=%v: %s available=%v", allow, name, names[name])
			}
		}
		// Built-ins that only compute stay available.
		for _, name := range []string{"sprintf", "opa.runtime", "time.now_ns", "json.marshal", "net.cidr_contains"} {
			if !names[name] {
				t.Errorf("allowNet=%v: %s is missing", allow, name)
			}
		}
	}
	if caps := Capabilities(false); caps.AllowNet == nil || len(caps.AllowNet) != 0 {
		t.Errorf("allow_net %v, want an empty list (no host)", caps.AllowNet)
	}
}

// TestDeniedBuiltins compiles a rule calling each denied built-in: an error
// at its call naming the flag without AllowNet, a working engine with it.
func TestDeniedBuiltins(t *testing.T) {
	calls := map[string]string{
		"http.send":          `http.send({"method": "GET", "url": "http://127.0.0.1:1"})`,
		"net.lookup_ip_addr": `net.lookup_ip_addr("localhost")`,
		"json.match_schema":  `json.match_schema({}, {})`,
		"json.verify_schema": `json.verify_schema({})`,
	}
	for name := range Denied {
		t.Run(name, func(t *testing.T) {
			call, ok := calls[name]
			if !ok {
				t.Fatalf("no call for %s", name)
			}
			dir := t.TempDir()
			testfile.Write(t, filepath.Join(dir, "p.rego"), "package main\n\ndeny contains msg if {\n  x := "+call+"\n  msg := sprintf(\"%v\", [x])\n}\n")
			_, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a policy error", err)
			}
			msg := pe.Error()
			for _, w := range []string{filepath.Join(dir, "p.rego") + ":4:8:", name + " is disabled", AllowNetFlag} {
				if !strings.Contains(msg, w) {
					t.Errorf("%q lacks %q", msg, w)
				}
			}
			if _, err := New(context.Background(), Options{PolicyDirs: []string{dir}, AllowNet: true}); err != nil {
				t.Errorf("with AllowNet: %v", err)
			}
		})
	}
}

// TestLoadFiles checks what Load follows and reads below a --policy
// directory.
func TestLoadFiles(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, pol, outside string)
		// want is a substring of the error; "" means Load succeeds.
		want string
		// data is the expected data (fmt.Sprint), when Load succeeds.
		data string
	}{
		{name: "link to a directory outside",
			setup: func(t *testing.T, pol, outside string) { link(t, outside, filepath.Join(pol, "etc")) },
			want:  "etc: a symbolic link to " + "OUTSIDE" + ", outside the --policy directory"},
		{name: "link to a file outside",
			setup: func(t *testing.T, pol, outside string) {
				link(t, filepath.Join(outside, "x.json"), filepath.Join(pol, "d.json"))
			},
			want: "d.json: a symbolic link to OUTSIDE/x.json, outside the --policy directory"},
		{name: "link to a file inside",
			setup: func(t *testing.T, pol, _ string) {
				testfile.Write(t, filepath.Join(pol, "testdata", "real.json"), `{"x": 2}`)
				link(t, filepath.Join(pol, "testdata", "real.json"), filepath.Join(pol, "d.json"))
			},
			data: "map[x:2]"},
		{name: "link to a directory inside",
			setup: func(t *testing.T, pol, _ string) {
				testfile.Write(t, filepath.Join(pol, ".shared", "data.json"), `{"x": 3}`)
				link(t, filepath.Join(pol, ".shared"), filepath.Join(pol, "shared"))
			},
			data: "map[shared:map[x:3]]"},
		{name: "link to its parent",
			setup: func(t *testing.T, pol, _ string) { link(t, "..", filepath.Join(pol, "a", "up")) },
			want:  "up: a symbolic link to POLICY, a directory that contains it"},
		{name: "dangling link loaded",
			setup: func(t *testing.T, pol, _ string) { link(t, "nowhere.json", filepath.Join(pol, "d.json")) },
			want:  "d.json: a symbolic link to nowhere.json, which does not exist"},
		{name: "dangling link skipped",
			setup: func(t *testing.T, pol, _ string) { link(t, "nowhere", filepath.Join(pol, "README")) },
			data:  "map[]"},
		{name: "link outside skipped",
			setup: func(t *testing.T, pol, outside string) { link(t, outside, filepath.Join(pol, ".git")) },
			data:  "map[]"},
		{name: "FIFO",
			setup: func(t *testing.T, pol, _ string) {
				if err := syscall.Mkfifo(filepath.Join(pol, "d.json"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			want: "d.json: not a regular file (a named pipe)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base, err := filepath.EvalSymlinks(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			pol, outside := filepath.Join(base, "policies"), filepath.Join(base, "outside")
			testfile.Write(t, filepath.Join(pol, "p.rego"), "package main\n")
			testfile.Write(t, filepath.Join(outside, "x.json"), `{"x": 1}`)
			if err := os.MkdirAll(filepath.Join(pol, "a"), 0o755); err != nil {
				t.Fatal(err)
			}
			tc.setup(t, pol, outside)
			done := make(chan struct{})
			var docs map[string]any
			go func() {
				defer close(done)
				_, docs, err = Load([]string{pol}, false)
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Load hangs")
			}
			delete(docs, "lockstep") // BuiltinData, see TestBuiltinData
			want := strings.NewReplacer("OUTSIDE", outside, "POLICY", pol).Replace(tc.want)
			switch {
			case want == "" && err != nil:
				t.Fatalf("Load: %v", err)
			case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
				t.Fatalf("Load: %v, want an error with %q", err, want)
			case want == "" && fmt.Sprint(docs) != tc.data:
				t.Errorf("data %v, want %s", docs, tc.data)
			}
		})
	}
}

func link(t *testing.T, target, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

// TestUserMetaErrors: METADATA lockstep would otherwise ignore is an error
// at the METADATA block.
func TestUserMetaErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, at, want string
	}{
		{"package severity", "# METADATA\n# custom:\n#   severity: critical\npackage main\n\ndeny contains \"m\" if true\n",
			"1:1", "custom.severity must be error or warning, not critical"},
		{"rule severity capitalised", "package main\n\n# METADATA\n# custom:\n#   severity: Warning\nwarn contains \"m\" if true\n",
			"3:1", "custom.severity must be error or warning, not Warning"},
		{"severity not a string", "package main\n\n# METADATA\n# custom:\n#   severity: [error]\nwarn contains \"m\" if true\n",
			"3:1", `custom.severity must be error or warning, not the array ["error"]`},
		{"id a number", "# METADATA\n# custom:\n#   id: 7\npackage main\n\ndeny contains \"m\" if true\n",
			"1:1", "custom.id must be a non-empty string, not the number 7"},
		{"id empty", "package main\n\n# METADATA\n# custom:\n#   id: \"\"\ndeny contains \"m\" if true\n",
			"3:1", "custom.id must be a non-empty string, not an empty string"},
		{"remediation an object", "package main\n\n# METADATA\n# custom:\n#   remediation: {a: 1}\ndeny contains \"m\" if true\n",
			"3:1", `custom.remediation must be a string, not the object {"a":1}`},
		{"helper package is not checked", "# METADATA\n# custom:\n#   severity: critical\npackage helpers\n\nx := 1\n", "", ""},
		{"helper rule is not checked", "package main\n\n# METADATA\n# custom:\n#   severity: critical\nx := 1\n", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "p.rego")
			testfile.Write(t, file, tc.src)
			_, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), file+":"+tc.at+": "+tc.want) {
				t.Errorf("got %v, want %s:%s: %s", err, file, tc.at, tc.want)
			}
		})
	}
}

func TestDescribeType(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want string
	}{
		{[]report.AttributeDetail{}, "an array of objects with path and values"},
		{map[string][]string{}, "an object of arrays of strings"},
		{&report.VersionDetail{}, "an object with kind, name and values"},
		{map[string]any{}, "an object"},
		{[]string{}, "an array of strings"},
		{true, "a boolean"},
		{1.5, "a number"},
	} {
		if got := describeType(reflect.TypeOf(tc.v)); got != tc.want {
			t.Errorf("%T: %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestWatchMemory(t *testing.T) {
	ctx, stop := watchMemory(context.Background(), 32<<20)
	defer stop()
	var hold [][]byte
	deadline := time.After(20 * time.Second)
	for ctx.Err() == nil {
		select {
		case <-deadline:
			t.Fatal("the watchdog did not cancel after the heap grew")
		default:
		}
		b := make([]byte, 1<<20)
		b[0] = 1
		hold = append(hold, b)
		time.Sleep(time.Millisecond)
	}
	if !errors.Is(context.Cause(ctx), errMemory) {
		t.Errorf("cause %v, want errMemory", context.Cause(ctx))
	}
	if n := len(hold); n < 32 {
		t.Errorf("cancelled after %d MiB, under the 32 MiB bound", n)
	}

	// Garbage is not live data. With 64 MiB live, the collector lets about
	// as much garbage pile up before it runs: more than the bound, which
	// only live data may cross.
	hold = nil
	runtime.GC()
	ballast := make([]byte, 64<<20)
	ctx, stop = watchMemory(context.Background(), 16<<20)
	defer stop()
	for range 300 {
		b := make([]byte, 1<<20)
		b[0] = 1
		if ctx.Err() != nil {
			break
		}
		time.Sleep(100 * time.Microsecond)
	}
	time.Sleep(3 * memorySample)
	if ctx.Err() != nil {
		t.Errorf("cancelled on garbage: %v", context.Cause(ctx))
	}
	runtime.KeepAlive(ballast)
}

func TestParseMaxMemory(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		err  bool
	}{
		{"512MiB", 512 << 20, false}, {"2GiB", 2 << 30, false}, {"4G", 4 << 30, false}, {"100mb", 100 << 20, false},
		{"1024", 1024, false}, {"-1", -1, false}, {" -1 ", -1, false},
		{"0", 0, true},
		{"lots", 0, true}, {"-2", 0, true}, {"1.5GiB", 0, true}, {"", 0, true}, {"99999999999G", 0, true},
	} {
		got, err := ParseMaxMemory(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseMaxMemory(%q) = %d, %v; want %d, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestTimeoutMessages(t *testing.T) {
	builtin := (&TimeoutError{Rule: Rule{ID: "attribute-divergence", Builtin: true}}).Error()
	user := (&TimeoutError{Rule: Rule{ID: "main.deny", File: "p.rego", Line: 3, Column: 1}}).Error()
	for _, tc := range []struct {
		msg          string
		want, unwant []string
	}{
		{builtin, []string{"built-in rule attribute-divergence", "input is too large", "raise --policy-timeout"}, []string{"fix the policy"}},
		{user, []string{"main.deny at p.rego:3:1", "fix the policy", "raise --policy-timeout"}, nil},
	} {
		for _, w := range tc.want {
			if !strings.Contains(tc.msg, w) {
				t.Errorf("%q lacks %q", tc.msg, w)
			}
		}
		for _, w := range tc.unwant {
			if strings.Contains(tc.msg, w) {
				t.Errorf("%q has %q", tc.msg, w)
			}
		}
	}
}
