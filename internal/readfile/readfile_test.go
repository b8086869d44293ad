package readfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRead: only regular files are read, up to the limit; everything else
// is an *Error naming the path and saying what it is, at once (a FIFO
// must not block). Open, which the streaming reader reads in place, refuses
// the same files with the same errors.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	link := func(target, name string) string {
		p := filepath.Join(dir, name)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	file := write("plan.json", "0123456789")
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		path  string
		limit int64
		want  string // the content, or a substring of the error
		isErr bool
		is    error
	}{
		{name: "file", path: file, limit: 10, want: "0123456789"},
		{name: "empty file", path: write("empty", ""), limit: 10, want: ""},
		{name: "link to a file", path: link("plan.json", "link.json"), limit: 10, want: "0123456789"},
		{name: "over the limit", path: file, limit: 9, isErr: true, want: "the file is 10 B, over lockstep's limit of 9 B", is: ErrTooLarge},
		{name: "missing", path: filepath.Join(dir, "nope"), limit: 10, isErr: true, want: "nope: no such file", is: fs.ErrNotExist},
		{name: "directory", path: dir, limit: 10, isErr: true, want: "not a regular file (a directory)"},
		{name: "FIFO", path: fifo, limit: 10, isErr: true, want: "not a regular file (a named pipe)"},
		{name: "/dev/zero", path: "/dev/zero", limit: 10, isErr: true, want: "/dev/zero: not a regular file (a character device)"},
		{name: "link to /dev/zero", path: link("/dev/zero", "zero"), limit: 1 << 40, isErr: true, want: "zero: not a regular file (a character device)"},
		{name: "dangling link", path: link("gone", "dangling"), limit: 10, isErr: true, want: "dangling: a symbolic link to gone, which does not exist; fix or remove the link", is: fs.ErrNotExist},
		{name: "link loop", path: link("loop", "loop"), limit: 10, isErr: true, want: "loop: a symbolic link loop"},
	}
	readers := []struct {
		name string
		read func(string, int64) ([]byte, error)
	}{{"Read", Read}, {"Open", openRead}}
	for _, tc := range tests {
		for _, rd := range readers {
			t.Run(tc.name+"/"+rd.name, func(t *testing.T) {
				done := make(chan struct{})
				var data []byte
				var err error
				go func() { data, err = rd.read(tc.path, tc.limit); close(done) }()
				select {
				case <-done:
				case <-time.After(10 * time.Second):
					t.Fatal("Read hangs")
				}
				if !tc.isErr {
					if err != nil || string(data) != tc.want {
						t.Fatalf("got %q, %v; want %q", data, err, tc.want)
					}
					return
				}
				var re *Error
				if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), tc.path+": ") {
					t.Fatalf("got %v, want an *Error naming %s and saying %q", err, tc.path, tc.want)
				}
				if tc.is != nil && !errors.Is(err, tc.is) {
					t.Errorf("errors.Is(err, %v) is false", tc.is)
				}
			})
		}
	}
}

// openRead reads what Open opens, no further than the size it returns.
func openRead(path string, limit int64) ([]byte, error) {
	f, size, err := Open(path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.NewSectionReader(f, 0, size))
}
