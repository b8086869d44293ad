package check

import (
	"github.com/lockstep-iac/lockstep/config"

	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// destination is one output with its file resolved.
type destination struct {
	file File
	// path is the destination as given; "" is standard output.
	path string
	// real is the file written: path made absolute, symbolic links
	// resolved (of its directory, when it does not exist yet).
	real string
	// info describes the existing file, nil for a new one.
	info os.FileInfo
	// stream is standard output, a device or a FIFO: written in place,
	// last, without a temporary file.
	stream bool
	// appendTo is the job summary, appended to.
	appendTo bool
}

// resolve resolves every destination, in the order WriteOutputs adds
// them: the reports, the input document, the job summary.
func (d Destinations) resolve() ([]destination, error) {
	var out []destination
	add := func(file File, appendTo bool) error {
		path := file.Path
		if path == "" {
			dst := destination{file: file, stream: true}
			// Standard output redirected to a file or a pipe is that file:
			// a report to /dev/stdout beside it would truncate or
			// interleave it. (A terminal or /dev/null is left alone.)
			if st, err := os.Stdout.Stat(); err == nil && (st.Mode().IsRegular() || st.Mode()&fs.ModeNamedPipe != 0) {
				dst.info = st
			}
			out = append(out, dst)
			return nil
		}
		dst, err := resolveDestination(file)
		dst.appendTo = appendTo
		out = append(out, dst)
		return err
	}
	for i, o := range d.Reports {
		if err := add(File{Role: FileReport, Path: o.Path, Index: i, Format: o.Format}, false); err != nil {
			return nil, err
		}
	}
	if d.DumpInput != "" {
		if err := add(File{Role: FileDumpInput, Path: d.DumpInput}, false); err != nil {
			return nil, err
		}
	}
	if d.summary() {
		if err := add(File{Role: FileStepSummary, Path: d.StepSummary}, true); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func resolveDestination(file File) (destination, error) {
	path := file.Path
	dst := destination{file: file, path: path}
	fail := func(format string, a ...any) (destination, error) {
		return dst, &DestinationError{File: file, Err: fmt.Errorf(format, a...)}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fail("%w", err)
	}
	st, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, lerr := os.Lstat(abs); lerr == nil {
			target, _ := os.Readlink(abs)
			return fail("%s is a symbolic link to %s, which does not exist; remove the link or write to another file", path, target)
		}
		dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
		if err != nil {
			return fail("the directory %s does not exist; create it, or write to another file", filepath.Dir(path))
		}
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return fail("%s is not a directory", filepath.Dir(path))
		}
		dst.real = filepath.Join(dir, filepath.Base(abs))
		return dst, nil
	case err != nil:
		return fail("%w", err)
	case st.IsDir():
		return fail("%s is a directory; give a file", path)
	case !st.Mode().IsRegular():
		// /dev/stdout, /dev/null, a FIFO: there is nothing to rename over.
		dst.real, dst.info, dst.stream = abs, st, true
		return dst, nil
	}
	if dst.real, err = filepath.EvalSymlinks(abs); err != nil {
		return fail("%w", err)
	}
	dst.info = st
	return dst, nil
}

// inputFile is a file a run reads, which no output may replace.
type inputFile struct {
	file File
}

// inputFiles lists the files a run with these options reads, or may read:
// the environments' input files, lockstep.hcl, each environment's lock file (the one
// lockstep.hcl names, and the one beside its input), the .tf files of each
// source directory, and the rules and data documents of each policy
// directory.
func inputFiles(opts Options, c *config.Config) []inputFile {
	var out []inputFile
	dirs := map[string]bool{}
	for _, in := range opts.Inputs {
		out = append(out, inputFile{File{Role: FileInput, Path: in.Path, Env: in.Name}})
		lock := filepath.Join(filepath.Dir(in.Path), ".terraform.lock.hcl")
		out = append(out, inputFile{File{Role: FileLockFile, Path: lock, Env: in.Name}})
		if c != nil {
			if lock := c.Lockfile(in.Name); lock != "" {
				out = append(out, inputFile{File{Role: FileConfigLockFile, Path: lock, Env: in.Name, Dir: c.Filename}})
			}
			if src := c.Source(in.Name); src != "" {
				dirs[src] = true
			}
		}
	}
	if c != nil && c.Filename != "" {
		out = append(out, inputFile{File{Role: FileConfig, Path: c.Filename}})
	}
	for _, dir := range opts.Sources {
		dirs[dir] = true
	}
	for _, dir := range slices.Sorted(maps.Keys(dirs)) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if name := e.Name(); strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json") {
				p := filepath.Join(dir, name)
				out = append(out, inputFile{File{Role: FileSource, Path: p, Dir: dir}})
			}
		}
	}
	for _, dir := range append(slices.Clip(opts.Policy.PolicyDirs), opts.Policy.EnvPolicyDirs...) {
		_ = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return nil
			}
			switch filepath.Ext(p) {
			case ".rego", ".json", ".yaml", ".yml":
				out = append(out, inputFile{File{Role: FilePolicy, Path: p, Dir: dir}})
			}
			return nil
		})
	}
	return out
}

// Check refuses, as a *ConflictError or *OverwriteError naming both, two outputs that are one
// file and an output that is a file the run reads: compared by resolved
// path (symbolic links followed, "./s.json" is "s.json") and, for files
// that exist, by identity (a hard link is the same file). It also refuses
// a destination whose directory does not exist, a directory and a link to
// nothing. WriteOutputs checks again before it writes; calling Check before
// the run only fails sooner.
func (d Destinations) Check(opts Options, cfg *config.Config) error {
	dests, err := d.resolve()
	if err != nil {
		return err
	}
	return checkDestinations(dests, inputFiles(opts, cfg))
}

func checkDestinations(dests []destination, inputs []inputFile) error {
	// A destination is known by its resolved path, or (standard output
	// redirected to a file or a pipe) by its file information alone.
	known := func(d destination) bool { return d.real != "" || d.info != nil }
	for i, a := range dests {
		if !known(a) {
			continue
		}
		for _, b := range dests[:i] {
			if known(b) && sameFile(a.real, a.info, b.real, b.info) {
				where := b.path
				if where == "" {
					where = "standard output"
				}
				return &ConflictError{First: b.file, Second: a.file, Where: where}
			}
		}
	}
	for _, in := range inputs {
		st, err := os.Stat(in.file.Path)
		if err != nil {
			continue
		}
		real, err := filepath.EvalSymlinks(in.file.Path)
		if err != nil {
			continue
		}
		if real, err = filepath.Abs(real); err != nil {
			continue
		}
		for _, a := range dests {
			if known(a) && sameFile(a.real, a.info, real, st) {
				return &OverwriteError{Output: a.file, Input: in.file}
			}
		}
	}
	return nil
}

func sameFile(pa string, a os.FileInfo, pb string, b os.FileInfo) bool {
	if a != nil && b != nil {
		return os.SameFile(a, b)
	}
	return pa == pb
}
