package policytest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lockstep-iac/lockstep/policy"
)

// resolveArgs reads what `lockstep test` was given: directories as they
// are, and a *_test.rego file as its directory (its tests need the policies
// beside it, which alone it would run without, each test failing with no
// reason given). only lists the test files named, when every argument is
// one, so that only their tests run. No argument is the current directory.
func resolveArgs(args []string) (dirs []string, only map[string]bool, err error) {
	if len(args) == 0 {
		return []string{"."}, nil, nil
	}
	only = map[string]bool{}
	files := 0
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil || fi.IsDir() {
			// A missing directory is policy.New's to report, as check does.
			dirs = append(dirs, a)
			continue
		}
		if !strings.HasSuffix(a, "_test.rego") {
			return nil, nil, &policy.Error{Err: fmt.Errorf("%s is a file, not a directory of policies: give its directory (lockstep test %s), or a *_test.rego file to run its tests with the policies beside it", a, filepath.Dir(a))}
		}
		files++
		only[filepath.Clean(a)] = true
		dirs = append(dirs, filepath.Dir(a))
	}
	if files < len(args) {
		only = nil
	}
	return dirs, only, nil
}
