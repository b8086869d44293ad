package check

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

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
		return &DestinationError{File: w.dst.file, Err: fmt.Errorf("cannot create a file in %s: %w", filepath.Clean(dir), err)}
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
		return &DestinationError{File: w.dst.file, Err: fmt.Errorf("write %s: %w", w.tmp, err)}
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
			return &DestinationError{File: w.dst.file, Err: fmt.Errorf("keep %s until every output is written: %w", w.dst.path, err)}
		}
		w.backup = name
	}
	if err := rename(w.tmp, w.dst.real); err != nil {
		return &DestinationError{File: w.dst.file, Err: err}
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
		return &DestinationError{File: w.dst.file, Err: err}
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
		return &DestinationError{File: w.dst.file, Err: err}
	}
	return nil
}

// stream writes to standard output, or to a device or FIFO in place.
func (w write) stream(stdout io.Writer) error {
	if w.dst.path == "" {
		if _, err := stdout.Write(w.data); err != nil {
			return &DestinationError{File: w.dst.file, Err: fmt.Errorf("write to standard output: %w", err)}
		}
		return nil
	}
	f, err := os.OpenFile(w.dst.path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return &DestinationError{File: w.dst.file, Err: err}
	}
	_, err = f.Write(w.data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return &DestinationError{File: w.dst.file, Err: err}
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
