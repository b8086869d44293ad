package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// shellBlock is a fenced ```sh block of the README.
var shellBlock = regexp.MustCompile("(?ms)^```sh\n(.*?)^```")

// TestReadmeCommands keeps "The two commands" of the README true on a fresh
// clone: the demo runs (as `go run ./cmd/lockstep ...`, in-process here),
// prints no error, and is one of the README's checked output blocks, so the
// output shown is what it prints; the test command is the executable CI
// entry point.
func TestReadmeCommands(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	src, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := outputBlocks(string(src))
	if err != nil {
		t.Fatal(err)
	}
	var demos, scripts int
	for _, m := range shellBlock.FindAllStringSubmatch(string(src), -1) {
		for _, line := range strings.Split(m[1], "\n") {
			if rest, ok := strings.CutPrefix(line, "go run ./cmd/lockstep "); ok {
				demos++
				args := strings.Fields(rest)
				code, stdout, stderr := runCLI(t, args...)
				if code == exitError || stderr != "" || stdout == "" {
					t.Errorf("README: %s: exit %d, stdout %d bytes\nstderr:\n%s", line, code, len(stdout), stderr)
				}
				if !slices.ContainsFunc(blocks, func(b outputBlock) bool { return slices.Equal(b.args, args) }) {
					t.Errorf("README: %s is not shown with its output in an %s block", line, outputBegin)
				}
			}
			if strings.HasPrefix(line, ".ci/") {
				scripts++
				info, err := os.Stat(line)
				if err != nil || info.Mode()&0o111 == 0 {
					t.Errorf("README: %s is not an executable file (%v)", line, err)
				}
			}
		}
	}
	if demos != 1 || scripts != 1 {
		t.Errorf("README has %d demo commands and %d test scripts in sh blocks, want 1 and 1", demos, scripts)
	}
}

func TestExcerptMatches(t *testing.T) {
	got := []string{"{", `  "a": 1,`, `  "b": 2,`, `  "c": 3`, "}"}
	for _, tc := range []struct {
		name string
		want []string
		ok   bool
	}{
		{"whole", got, true},
		{"middle left out", []string{"{", "  ... b ...", `  "c": 3`, "}"}, true},
		{"several left out", []string{"{", "  ... a and b ...", `  "c": 3`, "}"}, true},
		{"nothing left out", []string{"{", `  "a": 1,`, "  ... nothing ...", `  "b": 2,`, `  "c": 3`, "}"}, true},
		{"tail left out", []string{"{", "... the rest ..."}, true},
		{"changed line", []string{"{", "  ... a ...", `  "c": 4`, "}"}, false},
		{"line too many", []string{"{", "  ... a ...", `  "c": 3`, "}", "}"}, false},
		{"order", []string{"{", `  "b": 2,`, "  ... ...", `  "a": 1,`, "}"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := excerptMatches(tc.want, got); got != tc.ok {
				t.Errorf("excerptMatches = %v, want %v", got, tc.ok)
			}
		})
	}
}
