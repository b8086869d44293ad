// Package readfile is the one way lockstep reads a file it is given: plans,
// states, lock files, lockstep.hcl, .tf sources and policy data. Every read
// is bounded, because users point lockstep at whatever CI produced: a
// symlink to /dev/zero, a FIFO left by a broken pipeline, a truncated
// multi-gigabyte plan. Only regular files (after resolving symlinks) are
// read, and only up to a documented limit, so a bad path is a clear error
// instead of an endless read, a hang or an out-of-memory crash.
package readfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Limits. Plans of several GB exist, so the input limit is far above any
// real plan and can be raised with --max-input-size; the others bound files
// that people write by hand.
const (
	// InputLimit bounds a plan, state JSON or raw state file.
	InputLimit int64 = 16 << 30
	// ConfigLimit bounds lockstep.hcl, a .terraform.lock.hcl, a .tf file
	// and a policy data document.
	ConfigLimit int64 = 64 << 20
)

// Error is a file that cannot be read: which file, what is wrong with it and
// what to do. It wraps the underlying error, if any, for errors.Is.
type Error struct {
	Path    string
	Problem string
	Hint    string
	Err     error
}

func (e *Error) Error() string {
	if e.Hint == "" {
		return fmt.Sprintf("%s: %s", e.Path, e.Problem)
	}
	return fmt.Sprintf("%s: %s; %s", e.Path, e.Problem, e.Hint)
}

func (e *Error) Unwrap() error { return e.Err }

// Stat resolves path (following symlinks) and returns its information when
// it is a regular file. A missing file wraps fs.ErrNotExist; a dangling
// symlink, a symlink loop, a directory, a device, a FIFO or a socket is an
// *Error saying so.
func Stat(path string) (fs.FileInfo, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, statError(path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, &Error{Path: path, Problem: "not a regular file (" + kind(fi.Mode()) + ")", Hint: "give the path of a file"}
	}
	return fi, nil
}

func statError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, syscall.ELOOP):
		return &Error{Path: path, Problem: "a symbolic link loop", Hint: "point the link at a file", Err: err}
	case errors.Is(err, fs.ErrNotExist):
		if li, lerr := os.Lstat(path); lerr == nil && li.Mode()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(path)
			return &Error{Path: path, Problem: fmt.Sprintf("a symbolic link to %s, which does not exist", target), Hint: "fix or remove the link", Err: err}
		}
		return &Error{Path: path, Problem: "no such file", Err: err}
	case errors.Is(err, fs.ErrPermission):
		return &Error{Path: path, Problem: "permission denied", Hint: "make the file readable by the user running lockstep", Err: err}
	}
	return &Error{Path: path, Problem: err.Error(), Err: err}
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// Read returns the contents of the regular file at path, refusing anything
// else and any file larger than limit bytes. The limit is checked before
// reading and enforced while reading, since a file can grow in between.
func Read(path string, limit int64) ([]byte, error) {
	fi, err := Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > limit {
		return nil, tooLarge(path, fi.Size(), limit)
	}
	// O_NONBLOCK: should the path be swapped for a FIFO after Stat, opening
	// it must not wait for a writer.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, statError(path, err)
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, &Error{Path: path, Problem: "not a regular file", Hint: "give the path of a file"}
	}
	data := make([]byte, 0, fi.Size()+1)
	buf := data[:cap(data)]
	n, err := io.ReadFull(io.LimitReader(f, limit+1), buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, &Error{Path: path, Problem: "read failed: " + err.Error(), Err: err}
	}
	data = buf[:n]
	if n == len(buf) { // grew since Stat: read the rest, bounded
		rest, err := io.ReadAll(io.LimitReader(f, limit+1-int64(n)))
		if err != nil {
			return nil, &Error{Path: path, Problem: "read failed: " + err.Error(), Err: err}
		}
		data = append(data, rest...)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(path, int64(len(data)), limit)
	}
	return data, nil
}

// Open opens the regular file at path for reading in place, refusing
// anything else and any file larger than limit bytes. It returns the file
// and its size when opened; a reader must not read past that size, which
// keeps the limit should the file grow.
func Open(path string, limit int64) (*os.File, int64, error) {
	fi, err := Stat(path)
	if err != nil {
		return nil, 0, err
	}
	if fi.Size() > limit {
		return nil, 0, tooLarge(path, fi.Size(), limit)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, 0, statError(path, err)
	}
	if fi, err = f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, &Error{Path: path, Problem: "not a regular file", Hint: "give the path of a file"}
	}
	if fi.Size() > limit {
		f.Close()
		return nil, 0, tooLarge(path, fi.Size(), limit)
	}
	return f, fi.Size(), nil
}

// ErrTooLarge is wrapped by the *Error for a file over the limit.
var ErrTooLarge = errors.New("file too large")

// Head returns at most the first n bytes of the regular file at path, so a
// caller can recognise a wrong file before reading gigabytes of it.
func Head(path string, n int) ([]byte, error) {
	if _, err := Stat(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, statError(path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, &Error{Path: path, Problem: "not a regular file", Hint: "give the path of a file"}
	}
	buf := make([]byte, n)
	m, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, &Error{Path: path, Problem: "read failed: " + err.Error(), Err: err}
	}
	return buf[:m], nil
}

func tooLarge(path string, size, limit int64) error {
	return &Error{Path: path, Problem: fmt.Sprintf("the file is %s, over lockstep's limit of %s for this kind of file", Size(size), Size(limit)),
		Hint: "check that this is the intended file", Err: ErrTooLarge}
}

// Size formats a byte count for messages: "16 GiB", "64 MiB", "512 B".
func Size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB"}
	v, i := float64(n)/unit, 0
	for v >= unit && i < len(units)-1 {
		v /= unit
		i++
	}
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %s", int64(v), units[i])
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}

// ParseSize reads a size as people write it: a number of bytes ("1048576")
// or a number with a binary unit ("512MiB", "8GiB", "64KiB", "1TiB"; "MB",
// "GB" and the like are read as the binary units too, since file sizes in
// tools are). It must be positive.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, fmt.Errorf("%q is not a size: give bytes or a number with KiB, MiB, GiB or TiB, for example 8GiB", s)
	}
	n, err := strconv.ParseInt(t[:i], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is too large a size", s)
	}
	var shift uint
	switch strings.ToLower(strings.TrimSpace(t[i:])) {
	case "", "b":
	case "k", "kb", "kib":
		shift = 10
	case "m", "mb", "mib":
		shift = 20
	case "g", "gb", "gib":
		shift = 30
	case "t", "tb", "tib":
		shift = 40
	default:
		return 0, fmt.Errorf("%q is not a size: give bytes or a number with KiB, MiB, GiB or TiB, for example 8GiB", s)
	}
	if n <= 0 {
		return 0, fmt.Errorf("%q: give a size above zero", s)
	}
	if n > math.MaxInt64>>shift {
		return 0, fmt.Errorf("%q is too large a size", s)
	}
	return n << shift, nil
}
