package policy

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/lockstep-iac/lockstep/internal/guard"
	"github.com/lockstep-iac/lockstep/internal/readfile"
)

// policyFS is what OPA's loader reads a --policy directory through (it
// takes OS paths, as the loader passes them on). It keeps the loader inside
// the directory: a symlink whose target leaves it (a link to /etc, to
// ~/.aws/credentials) is an error rather than data, and a symlink back to a
// directory above itself is a loop. Files are read with readfile's bounds,
// so a FIFO or /dev/zero under the directory is an error, not a hang.
type policyFS struct {
	// root is the --policy directory as given; real is where it resolves.
	root, real string
}

func newPolicyFS(root string) (*policyFS, error) {
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, err
	}
	if real, err = filepath.Abs(real); err != nil {
		return nil, err
	}
	return &policyFS{root: root, real: real}, nil
}

// Stat follows symlinks, as the loader's filter wants to see what a link
// is; a link that resolves nowhere is reported as itself, so that the
// filter can skip it by name and only one that would be loaded is an error.
func (p *policyFS) Stat(name string) (fs.FileInfo, error) {
	fi, err := os.Stat(name)
	if err != nil {
		if li, lerr := os.Lstat(name); lerr == nil {
			return li, nil
		}
	}
	return fi, err
}

func (p *policyFS) ReadFile(name string) ([]byte, error) {
	if err := p.inside(name, false); err != nil {
		return nil, err
	}
	data, err := readfile.Read(name, readfile.ConfigLimit)
	if err != nil || !strings.HasSuffix(name, ".json") {
		return data, err
	}
	// Data documents get the checks plans get: OPA's loader would accept a
	// duplicate key (last one wins) and report too deep a document, or a
	// number it cannot hold, without naming the file.
	if err := guard.JSONData(data); err != nil {
		return nil, &readfile.Error{Path: name, Problem: err.Error(), Err: err}
	}
	return data, nil
}

func (p *policyFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := p.inside(name, true); err != nil {
		return nil, err
	}
	return os.ReadDir(name)
}

// Open serves fs.FS; the loader uses the three methods above.
func (p *policyFS) Open(name string) (fs.File, error) {
	if err := p.inside(name, false); err != nil {
		return nil, err
	}
	return os.Open(name)
}

// inside checks that name, once its symlinks are resolved, lies below the
// --policy directory, and for a directory that it is not one of its own
// ancestors (a link to "." or ".."), which the loader would walk forever.
func (p *policyFS) inside(name string, dir bool) error {
	real, err := filepath.EvalSymlinks(name)
	if err != nil {
		// readfile names a dangling link or a loop.
		_, err = readfile.Stat(name)
		return err
	}
	if real, err = filepath.Abs(real); err != nil {
		return err
	}
	if !within(p.real, real) {
		return &readfile.Error{Path: name,
			Problem: fmt.Sprintf("a symbolic link to %s, outside the --policy directory %s", real, p.root),
			Hint:    "lockstep does not follow links out of a policy directory; copy the file into it, or give its directory as another --policy"}
	}
	// The root itself is no link into its own tree: "." has "." for its
	// parent, which is not a loop.
	if dir && filepath.Clean(name) != filepath.Clean(p.root) {
		parent, err := filepath.EvalSymlinks(filepath.Dir(name))
		if err == nil {
			parent, err = filepath.Abs(parent)
		}
		if err == nil && within(real, parent) {
			return &readfile.Error{Path: name,
				Problem: fmt.Sprintf("a symbolic link to %s, a directory that contains it", real),
				Hint:    "remove the link: it makes the directory endless"}
		}
	}
	return nil
}

// within reports whether path is dir or below it (both absolute, clean).
func within(dir, path string) bool {
	if path == dir {
		return true
	}
	return strings.HasPrefix(path, strings.TrimSuffix(dir, string(filepath.Separator))+string(filepath.Separator))
}
