package check

import (
	"github.com/lockstep-iac/lockstep/config"

	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lockstep-iac/lockstep/output"
)

// Output is one rendering of the report: a format and where it goes.
type Output struct {
	Format    string
	Formatter output.Formatter
	// Path is the file to write; "" is standard output.
	Path string
	// Flag names the destination in messages, as the caller chose it:
	// cmd/lockstep gives "--format json=r.json", or "--output r.json"
	// for a format given without a file.
	Flag string
}

// Destinations are everything one run writes: the reports, the policy
// input document and GitHub's job summary. WriteOutputs writes them as one
// transaction.
type Destinations struct {
	Reports []Output
	// DumpInput is --dump-input's file, "" for none.
	DumpInput string
	// StepSummary is GitHub's job summary file ($GITHUB_STEP_SUMMARY),
	// which the github format appends the Markdown report to; "" for none.
	StepSummary string
}

// summary reports whether the run appends to the job summary: only the
// github format does.
func (d Destinations) summary() bool {
	if d.StepSummary == "" {
		return false
	}
	for _, o := range d.Reports {
		if _, ok := o.Formatter.(output.GitHub); ok {
			return true
		}
	}
	return false
}

// WriteOutputs renders every output, then writes them all or none, so a
// run that fails (exit 2) leaves nothing new behind:
//
//  1. Destinations.Check: no two outputs are one file, no output is an
//     input of the run, every file's directory exists.
//  2. Render every report, and the job summary, in memory.
//  3. Write each file to a temporary file in its directory (fsync'd).
//  4. Rename each over its destination, keeping a hard link to the file it
//     replaces; append the job summary; write standard output (and any
//     device or FIFO destination) last, after every file is in place.
//  5. When any step fails: remove the temporary files, put the replaced
//     files back, cut the job summary to its old size. Only then is the
//     error returned.
//
// A destination that is a symbolic link is followed: the file it points
// to is replaced and the link stays, as writing through it did before.
// A link to nothing is refused. A destination that exists keeps its
// permissions (not its owner, nor other hard links to it, which keep the
// old contents); a new one is created 0644, less the umask.
func WriteOutputs(res *Result, d Destinations, stdout io.Writer) error {
	dests, err := d.resolve()
	if err != nil {
		return err
	}
	if err := checkDestinations(dests, res.inputs); err != nil {
		return err
	}
	rep := res.Report
	var summary []byte
	outs := d.Reports
	if d.summary() {
		size := int64(0)
		if st, err := os.Stat(d.StepSummary); err == nil {
			size = st.Size()
		}
		add, note, err := output.StepSummary(rep, d.StepSummary, size)
		if err != nil {
			return fmt.Errorf("render the job summary: %w", err)
		}
		summary = add
		if note != "" {
			outs = slices.Clone(outs)
			for i, o := range outs {
				if g, ok := o.Formatter.(output.GitHub); ok {
					g.SummaryNote = note
					outs[i].Formatter = g
				}
			}
		}
	}
	var tx transaction
	for i, o := range outs {
		var buf bytes.Buffer
		if err := o.Formatter.Format(&buf, rep); err != nil {
			return fmt.Errorf("render %s: %w", o.Format, err)
		}
		tx.add(dests[i], buf.Bytes())
	}
	if d.DumpInput != "" {
		if res.Input == nil {
			return fmt.Errorf("--dump-input %s: the run kept no input document (set Options.DumpInput)", d.DumpInput)
		}
		tx.add(dests[len(outs)], res.Input)
	}
	if summary != nil {
		tx.add(dests[len(dests)-1], summary)
	}
	return tx.commit(stdout)
}

// destination is one output with its file resolved.
type destination struct {
	flag string
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
// them: the reports, --dump-input, the job summary.
func (d Destinations) resolve() ([]destination, error) {
	var out []destination
	add := func(flag, path string, appendTo bool) error {
		if path == "" {
			dst := destination{flag: flag, stream: true}
			// Standard output redirected to a file or a pipe is that file:
			// --format json=/dev/stdout beside it would truncate or
			// interleave it. (A terminal or /dev/null is left alone.)
			if st, err := os.Stdout.Stat(); err == nil && (st.Mode().IsRegular() || st.Mode()&fs.ModeNamedPipe != 0) {
				dst.info = st
			}
			out = append(out, dst)
			return nil
		}
		dst, err := resolveDestination(flag, path)
		dst.appendTo = appendTo
		out = append(out, dst)
		return err
	}
	for _, o := range d.Reports {
		if err := add(o.Flag, o.Path, false); err != nil {
			return nil, err
		}
	}
	if d.DumpInput != "" {
		if err := add("--dump-input "+d.DumpInput, d.DumpInput, false); err != nil {
			return nil, err
		}
	}
	if d.summary() {
		if err := add("the job summary $GITHUB_STEP_SUMMARY ("+d.StepSummary+") that --format github appends to", d.StepSummary, true); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func resolveDestination(flag, path string) (destination, error) {
	dst := destination{flag: flag, path: path}
	abs, err := filepath.Abs(path)
	if err != nil {
		return dst, &UsageError{Msg: fmt.Sprintf("%s: %v", flag, err)}
	}
	st, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, lerr := os.Lstat(abs); lerr == nil {
			target, _ := os.Readlink(abs)
			return dst, &UsageError{Msg: fmt.Sprintf("%s: %s is a symbolic link to %s, which does not exist; remove the link or write to another file", flag, path, target)}
		}
		dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
		if err != nil {
			return dst, &UsageError{Msg: fmt.Sprintf("%s: the directory %s does not exist; create it, or write to another file", flag, filepath.Dir(path))}
		}
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return dst, &UsageError{Msg: fmt.Sprintf("%s: %s is not a directory", flag, filepath.Dir(path))}
		}
		dst.real = filepath.Join(dir, filepath.Base(abs))
		return dst, nil
	case err != nil:
		return dst, &UsageError{Msg: fmt.Sprintf("%s: %v", flag, err)}
	case st.IsDir():
		return dst, &UsageError{Msg: fmt.Sprintf("%s: %s is a directory; give a file", flag, path)}
	case !st.Mode().IsRegular():
		// /dev/stdout, /dev/null, a FIFO: there is nothing to rename over.
		dst.real, dst.info, dst.stream = abs, st, true
		return dst, nil
	}
	if dst.real, err = filepath.EvalSymlinks(abs); err != nil {
		return dst, &UsageError{Msg: fmt.Sprintf("%s: %v", flag, err)}
	}
	dst.info = st
	return dst, nil
}

// inputFile is a file a run reads, which no output may replace.
type inputFile struct {
	// what names it in flag language: "--env staging=s.json".
	what string
	path string
}

// inputFiles lists the files a run with these options reads, or may read:
// the --env files, lockstep.hcl, each environment's lock file (the one
// lockstep.hcl names, and the one beside its input), the .tf files of each
// source directory, and the rules and data documents of each --policy
// directory.
func inputFiles(opts Options, c *config.Config) []inputFile {
	var out []inputFile
	dirs := map[string]bool{}
	for _, in := range opts.Inputs {
		out = append(out, inputFile{fmt.Sprintf("--env %s=%s", in.Name, in.Path), in.Path})
		lock := filepath.Join(filepath.Dir(in.Path), ".terraform.lock.hcl")
		out = append(out, inputFile{fmt.Sprintf("%s's lock file %s", in.Name, lock), lock})
		if c != nil {
			if lock := c.Lockfile(in.Name); lock != "" {
				out = append(out, inputFile{fmt.Sprintf("%s's lock file %s (named in %s)", in.Name, lock, c.Filename), lock})
			}
			if src := c.Source(in.Name); src != "" {
				dirs[src] = true
			}
		}
	}
	if c != nil && c.Filename != "" {
		out = append(out, inputFile{"the config file " + c.Filename, c.Filename})
	}
	for _, dir := range opts.Sources {
		dirs[dir] = true
	}
	for _, dir := range slices.Sorted(maps.Keys(dirs)) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if name := e.Name(); strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json") {
				p := filepath.Join(dir, name)
				out = append(out, inputFile{"the Terraform source " + p + " (--source)", p})
			}
		}
	}
	for _, dir := range opts.Policy.PolicyDirs {
		_ = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return nil
			}
			switch filepath.Ext(p) {
			case ".rego", ".json", ".yaml", ".yml":
				out = append(out, inputFile{"the policy file " + p + " (--policy " + dir + ")", p})
			}
			return nil
		})
	}
	return out
}

// Check refuses, as a usage error naming both, two outputs that are one
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
				return &UsageError{Msg: fmt.Sprintf("%s and %s would both write to %s; give each its own file", b.flag, a.flag, where)}
			}
		}
	}
	for _, in := range inputs {
		st, err := os.Stat(in.path)
		if err != nil {
			continue
		}
		real, err := filepath.EvalSymlinks(in.path)
		if err != nil {
			continue
		}
		if real, err = filepath.Abs(real); err != nil {
			continue
		}
		for _, a := range dests {
			if known(a) && sameFile(a.real, a.info, real, st) {
				return &UsageError{Msg: fmt.Sprintf("%s would overwrite %s, which this run reads; write to another file", a.flag, in.what)}
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

// rename and link are os.Rename and os.Link; tests replace them to make
// the commit fail half-way.
var (
	rename = os.Rename
	link   = os.Link
)

// transaction is WriteOutputs' set of writes.
type transaction struct {
	writes []write
}

type write struct {
	dst  destination
	data []byte
	// tmp is the temporary file that replaces dst.real; backup is a hard
	// link to the file it replaced, "" when there was none.
	tmp, backup string
	// renamed: tmp is now dst.real.
	renamed bool
	// appended: data was appended to dst.real, which was size bytes
	// long (or did not exist: created).
	appended bool
	size     int64
	created  bool
}

func (tx *transaction) add(dst destination, data []byte) {
	tx.writes = append(tx.writes, write{dst: dst, data: data})
}

// commit writes every file, then the streams; on any error it undoes what
// it did and returns the error.
func (tx *transaction) commit(stdout io.Writer) (err error) {
	defer func() {
		if err != nil {
			tx.rollback()
		} else {
			tx.finish()
		}
	}()
	// Phases, each over the writes it concerns: every file to its
	// temporary, then every rename, then the appends, then the streams,
	// so that a failure before the streams leaves nothing on stdout.
	file := func(w *write) bool { return !w.dst.stream && !w.dst.appendTo }
	for _, phase := range []struct {
		of func(*write) bool
		do func(*write) error
	}{
		{file, (*write).prepare},
		{file, (*write).replace},
		{func(w *write) bool { return w.dst.appendTo }, (*write).append},
		{func(w *write) bool { return w.dst.stream }, func(w *write) error { return w.stream(stdout) }},
	} {
		for i := range tx.writes {
			if w := &tx.writes[i]; phase.of(w) {
				if err := phase.do(w); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// prepare writes the temporary file beside the destination.
func (w *write) prepare() error {
	dir, base := filepath.Split(w.dst.real)
	f, err := createTemp(dir, base, "tmp")
	if err != nil {
		// The temporary file's name would only puzzle: name the directory.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("%s: cannot create a file in %s: %w", w.dst.flag, filepath.Clean(dir), err)
	}
	w.tmp = f.Name()
	_, err = f.Write(w.data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && w.dst.info != nil {
		// Replacing a file keeps its permissions, as writing it did.
		err = os.Chmod(w.tmp, w.dst.info.Mode().Perm())
	}
	if err != nil {
		return fmt.Errorf("%s: write %s: %w", w.dst.flag, w.tmp, err)
	}
	return nil
}

// replace renames the temporary file over the destination, keeping the
// file it replaces as a hard link for rollback.
func (w *write) replace() error {
	if w.dst.info != nil {
		dir, base := filepath.Split(w.dst.real)
		name, err := backup(w.dst.real, dir, base)
		if err != nil {
			return fmt.Errorf("%s: keep %s until every output is written: %w", w.dst.flag, w.dst.path, err)
		}
		w.backup = name
	}
	if err := rename(w.tmp, w.dst.real); err != nil {
		return fmt.Errorf("%s: %w", w.dst.flag, err)
	}
	w.renamed = true
	return nil
}

// backup keeps the file at path under a temporary name beside it: a hard
// link, or a copy where the file system has none.
func backup(path, dir, base string) (string, error) {
	name, err := tempName(dir, base, "bak")
	if err != nil {
		return "", err
	}
	if link(path, name) == nil {
		return name, nil
	}
	src, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer src.Close()
	dst, err := createTemp(dir, base, "bak")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(dst, src)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(dst.Name())
		return "", err
	}
	return dst.Name(), nil
}

// append adds the job summary to its file.
func (w *write) append() error {
	if _, err := os.Stat(w.dst.real); errors.Is(err, fs.ErrNotExist) {
		w.created = true
	}
	f, err := os.OpenFile(w.dst.real, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("%s: %w", w.dst.flag, err)
	}
	st, err := f.Stat()
	if err == nil {
		w.size, w.appended = st.Size(), true
		_, err = f.Write(w.data)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", w.dst.flag, err)
	}
	return nil
}

// stream writes to standard output, or to a device or FIFO in place.
func (w write) stream(stdout io.Writer) error {
	if w.dst.path == "" {
		if _, err := stdout.Write(w.data); err != nil {
			return fmt.Errorf("%s: write to standard output: %w", w.dst.flag, err)
		}
		return nil
	}
	f, err := os.OpenFile(w.dst.path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return fmt.Errorf("%s: %w", w.dst.flag, err)
	}
	_, err = f.Write(w.data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", w.dst.flag, err)
	}
	return nil
}

// rollback undoes a failed commit: it puts back every replaced file (or
// removes the new one), cuts the job summary to its old size, and removes
// the temporary files. It goes on after an error, to undo all it can.
func (tx *transaction) rollback() {
	for i := len(tx.writes) - 1; i >= 0; i-- {
		w := &tx.writes[i]
		switch {
		case w.renamed && w.backup != "":
			if os.Rename(w.backup, w.dst.real) == nil {
				w.backup = ""
			}
		case w.renamed:
			_ = os.Remove(w.dst.real)
		case w.appended && w.created:
			_ = os.Remove(w.dst.real)
		case w.appended:
			_ = os.Truncate(w.dst.real, w.size)
		}
		if w.tmp != "" && !w.renamed {
			_ = os.Remove(w.tmp)
		}
		if w.backup != "" {
			_ = os.Remove(w.backup)
		}
	}
}

// finish removes the backups and syncs the directories, so the renames
// survive a crash.
func (tx *transaction) finish() {
	dirs := map[string]bool{}
	for _, w := range tx.writes {
		if w.backup != "" {
			_ = os.Remove(w.backup)
		}
		if w.renamed {
			dirs[filepath.Dir(w.dst.real)] = true
		}
	}
	for dir := range dirs {
		if d, err := os.Open(dir); err == nil {
			_ = d.Sync()
			_ = d.Close()
		}
	}
}

// createTemp creates a new hidden file beside base in dir, 0644 less the
// umask (os.CreateTemp would make it 0600).
func createTemp(dir, base, suffix string) (*os.File, error) {
	for range 100 {
		name, err := tempName(dir, base, suffix)
		if err != nil {
			return nil, err
		}
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("create a temporary file in %s: too many attempts", dir)
}

func tempName(dir, base, suffix string) (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return filepath.Join(dir, fmt.Sprintf(".%s.lockstep-%x.%s", base, b, suffix)), nil
}
