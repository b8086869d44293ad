package check

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/internal/envtoken"
	"github.com/lockstep-iac/lockstep/internal/gcphase"
	"github.com/lockstep-iac/lockstep/internal/hugepages"
	"github.com/lockstep-iac/lockstep/internal/parallel"
	"github.com/lockstep-iac/lockstep/internal/readfile"
	"github.com/lockstep-iac/lockstep/parser"
	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/snapshot"
	"github.com/lockstep-iac/lockstep/workdir"
)

// order validates the inputs and puts them in promotion order: the config's
// promotion list when it has one, otherwise the order of Options.Inputs.
func order(opts Options, c *config.Config) ([]Input, error) {
	opts.Inputs = withConfigDirs(opts.Inputs, c)
	if len(opts.Inputs) < 2 {
		return nil, &TooFewInputsError{Given: len(opts.Inputs)}
	}
	seen := map[string]bool{}
	for _, in := range opts.Inputs {
		if seen[in.Name] {
			return nil, &UsageError{Msg: fmt.Sprintf("environment %q is given twice", in.Name)}
		}
		seen[in.Name] = true
	}
	if opts.Target != "" && !seen[opts.Target] {
		return nil, &UnknownEnvironmentError{Option: "Target", Name: opts.Target}
	}
	if c == nil {
		return opts.Inputs, nil
	}
	if len(c.Environments) > 0 {
		for _, in := range opts.Inputs {
			if c.Environment(in.Name) == nil {
				return nil, &UsageError{Msg: fmt.Sprintf("environment %q is not declared in %s; add `environment %q {}`", in.Name, c.Filename, in.Name)}
			}
		}
	}
	if len(c.Promotion) == 0 {
		return opts.Inputs, nil
	}
	rank := map[string]int{}
	for i, name := range c.Promotion {
		rank[name] = i
	}
	out := make([]Input, 0, len(opts.Inputs))
	for _, name := range c.Promotion {
		for _, in := range opts.Inputs {
			if in.Name == name {
				out = append(out, in)
			}
		}
	}
	for _, in := range opts.Inputs {
		if _, ok := rank[in.Name]; !ok {
			return nil, &UsageError{Msg: fmt.Sprintf("environment %q is not in the promotion list of %s (%s)", in.Name, c.Filename, strings.Join(c.Promotion, ", "))}
		}
	}
	return out, nil
}

// withConfigDirs adds the environments lockstep.hcl gives a working
// directory (`dir = "..."`) and --env does not name, in declaration order
// after the --env ones.
func withConfigDirs(inputs []Input, c *config.Config) []Input {
	if c == nil {
		return inputs
	}
	given := map[string]bool{}
	for _, in := range inputs {
		if e := c.Environment(in.Name); e != nil {
			given[e.Name] = true
		}
		given[in.Name] = true
	}
	out := inputs
	for _, e := range c.Environments {
		if e.Dir != "" && !given[e.Name] {
			out = append(slices.Clip(out), Input{Name: e.Name, Path: e.Dir})
		}
	}
	return out
}

// sourceBytes is the size of what readAll decodes: the files, and what
// the working directories' reads hold or name, each counted up to the
// input limit (limit, or readfile.InputLimit if 0), beyond which it is
// refused unread. A file that cannot be stat'ed counts for nothing here;
// its reading reports why.
func sourceBytes(sources []string, byKey map[string]*workdir.Result, limit int64) int64 {
	if limit <= 0 {
		limit = readfile.InputLimit
	}
	var n int64
	for _, src := range sources {
		path := src
		if r := byKey[src]; r != nil {
			if r.Path == "" {
				n += int64(len(r.Data))
				continue
			}
			path = r.Path
		}
		if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
			n += min(fi.Size(), limit)
		}
	}
	return n
}

// readAll parses the inputs concurrently with one hashing key, fresh per run,
// so sensitive values compare within the run and hashes mean nothing outside.
// It decodes every input first and redacts each with what all of them mark
// sensitive: a value marked in one environment is a secret in every other.
// Inputs that are Terraform working directories are read through workdir
// first (side by side) and come with how they were read; files have none.
//
// With --env-policy rules, it also reads each input as written (envDocs).
func readAll(ctx context.Context, inputs []Input, opts Options, c *config.Config) ([]*snapshot.Snapshot, []*report.ReadFrom, *envDocs, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, nil, nil, fmt.Errorf("make hashing key: %w", err)
	}
	live, err := readLive(liveSpecs(inputs, opts, c), opts)
	if err != nil {
		return nil, nil, nil, err
	}
	// Inputs held in memory or read from HCP Terraform join the
	// directories' reads: content by environment, with its provenance.
	if live, err = readRemote(ctx, inputs, opts, live); err != nil {
		return nil, nil, nil, err
	}
	// The same file named for two environments is read once: one snapshot,
	// one error. A directory is read per environment (its workspaces).
	sources := []string{}
	index := map[string]int{}
	for _, in := range inputs {
		src := in.Path
		if live[in.Name] != nil {
			src = "\x00" + in.Name
		}
		if _, ok := index[src]; !ok {
			index[src] = len(sources)
			sources = append(sources, src)
		}
	}
	byKey := map[string]*workdir.Result{}
	for name, r := range live {
		byKey["\x00"+name] = r
	}
	// A large reading grows the heap by about half its input: in huge
	// pages, when the command enabled them.
	hugepages.Prepare(sourceBytes(sources, byKey, opts.MaxInputSize))
	decoded := make([]*parser.Decoded, len(sources))
	errs := make([]error, len(sources))
	popts := parser.Options{Key: key, MaxInputSize: opts.MaxInputSize, EnvTokens: envTokens(inputs, c)}
	parallel.Each(len(sources), func(i int) {
		if r := byKey[sources[i]]; r != nil {
			if r.Path != "" {
				decoded[i], errs[i] = parser.DecodeFileAs(r.Name, r.Path, popts)
			} else {
				decoded[i], errs[i] = parser.Decode(r.Name, r.Data, popts)
			}
			return
		}
		decoded[i], errs[i] = parser.DecodeFile(sources[i], popts)
	})
	if err := errors.Join(errs...); err != nil {
		return nil, nil, nil, err
	}
	// What only the reading needed is garbage now; the decoded values
	// stay. The redaction and the comparison reuse the memory collected.
	gcphase.End()
	var raw []map[string]any
	if len(opts.Policy.EnvPolicyDirs) > 0 {
		if raw, err = readRawDocs(sources, byKey, opts.MaxInputSize); err != nil {
			return nil, nil, nil, err
		}
	}
	// sources is in promotion order, which numbers the secrets.
	marks := parser.Union(decoded...)
	read := make([]*snapshot.Snapshot, len(sources))
	parallel.Each(len(sources), func(i int) {
		read[i] = decoded[i].Snapshot(marks)
		decoded[i] = nil
	})
	// The readers (their interned keys, marks and masks) are garbage now;
	// the comparison reuses their memory.
	gcphase.End()
	snaps := make([]*snapshot.Snapshot, len(inputs))
	from := make([]*report.ReadFrom, len(inputs))
	var env *envDocs
	if raw != nil {
		env = &envDocs{docs: make([]map[string]any, len(inputs)), marks: marks}
	}
	for i, in := range inputs {
		src := in.Path
		if r := live[in.Name]; r != nil {
			src = "\x00" + in.Name
			if r.Provenance.Kind != "" { // not Options.InputData
				from[i] = readFrom(r.Provenance)
			}
		}
		snaps[i] = read[index[src]]
		if r := live[in.Name]; r != nil && snaps[i].Tool == "" {
			// Only this environment reads this snapshot.
			snaps[i].Tool = r.Provenance.Tool
		}
		if env != nil {
			env.docs[i] = raw[index[src]]
		}
	}
	return snaps, from, env, nil
}

// envTokens are the names and aliases of the environments, in lower case,
// each once: the tokens a secret may hold (parser.Options.EnvTokens).
func envTokens(inputs []Input, c *config.Config) []string {
	var out []string
	seen := map[string]bool{}
	for _, in := range inputs {
		names := []string{in.Name}
		if c != nil {
			names = append(names, c.Aliases(in.Name)...)
		}
		for _, n := range names {
			if n = envtoken.Lower(n); n != "" && !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// readLockFiles reads each environment's .terraform.lock.hcl: the one
// lockstep.hcl names for it, or else one beside its input file. A lock file
// named in lockstep.hcl must exist; one beside the input is optional.
func readLockFiles(inputs []Input, snaps []*snapshot.Snapshot, c *config.Config) error {
	cache := map[string]*parser.LockFile{}
	for i, in := range inputs {
		path, explicit := "", false
		if c != nil {
			path = c.Lockfile(in.Name)
			explicit = path != ""
		}
		if !explicit {
			if isRemote(in) {
				continue // nothing beside it to look in
			}
			dir := filepath.Dir(in.Path)
			if isWorkdir(in.Path) {
				dir = in.Path
			}
			path = filepath.Join(dir, ".terraform.lock.hcl")
			// Only a name that is not there at all means "no lock file":
			// a dangling link, a loop or a directory is reported.
			if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
				continue
			}
		}
		lf, ok := cache[path]
		if !ok {
			var err error
			if lf, err = parser.ReadLockFile(path); err != nil {
				if _, lerr := os.Lstat(path); explicit && errors.Is(lerr, fs.ErrNotExist) {
					return &parser.InputError{File: path, Problem: fmt.Sprintf("the lock file that %s names for environment %q does not exist", c.Filename, in.Name),
						Hint: "fix the lockfile path in lockstep.hcl (it is relative to that file), or run `terraform init` to create the lock file"}
				}
				return err
			}
			cache[path] = lf
		}
		// Snapshots are shared when two environments read the same file;
		// give each its own copy before attaching environment data.
		s := *snaps[i]
		s.Providers = map[string]string{}
		for name, p := range lf.Providers {
			s.Providers[name] = p.Version
		}
		s.LockFile = path
		if s.Tool == "" {
			s.Tool = parser.ToolOf(slices.Collect(maps.Keys(lf.Providers)))
		}
		snaps[i] = &s
	}
	return nil
}
