package fleet

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lockstep-iac/lockstep/evidence"
	"github.com/lockstep-iac/lockstep/internal/guard"
	"github.com/lockstep-iac/lockstep/internal/readfile"
	"github.com/lockstep-iac/lockstep/internal/sourceaddr"
)

// contentFree are the flags that decide where and how fast a report is
// written, not what it says: the recorded command line leaves them out, so
// a sharded run and its merge record the command line of a single run.
var contentFree = map[string]bool{"--format": true, "--output": true, "-o": true, "--shard": true, "--parallelism": true, "--quiet": true, "-q": true}

// boolFlags take no value after them.
var boolFlags = map[string]bool{"--quiet": true, "-q": true, "--timestamp": true, "--policy-allow-net": true}

// CommandLine is the command line to record: prog and args with the
// content-free flags left out and credentials in any value (a URL's
// password, a token in a query) redacted the way module sources are.
func CommandLine(prog string, args []string) []string {
	out := []string{prog}
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, _, hasValue := strings.Cut(a, "=")
		takesNext := strings.HasPrefix(a, "-") && !hasValue && !boolFlags[name] && a != "--"
		if contentFree[name] {
			if takesNext {
				i++
			}
			continue
		}
		out = append(out, sourceaddr.Redact(a))
	}
	return out
}

// ReadDocument reads an evidence document: --previous, or a shard to
// merge. It must be a whole evidence document of this version.
func ReadDocument(path string) (*evidence.Document, error) {
	b, err := readfile.Read(path, readfile.InputLimit)
	if err != nil {
		return nil, err
	}
	// The same guard as every other input: an evidence file edited by hand
	// with a key twice would otherwise carry forward whichever came last.
	if err := guard.JSON(b); err != nil {
		return nil, fmt.Errorf("%s: not a lockstep report's JSON evidence: %v; give the file written by --format json=FILE", path, err)
	}
	var d evidence.Document
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("%s: not a lockstep report's JSON evidence: %v; give the file written by --format json=FILE", path, err)
	}
	if d.Kind != evidence.DocumentKind || d.Version != evidence.SchemaVersion {
		return nil, fmt.Errorf("%s: not a lockstep report's JSON evidence of version %d (kind %q, version %d); give the file written by --format json=FILE", path, evidence.SchemaVersion, d.Kind, d.Version)
	}
	return &d, nil
}
