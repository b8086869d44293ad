// Command serve is the HTTP server generate.sh installs the http module
// from: GET /RELEASE/net.zip is the zip of remote/RELEASE/*.tf, whatever the
// query string and the userinfo (the credentials in them are never checked:
// they are only there to be hidden). It listens on ADDR, prints "ready"
// once it does, and serves until it is killed.
//
// Usage: serve ADDR REMOTE_DIR
package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: serve ADDR REMOTE_DIR")
		os.Exit(2)
	}
	addr, root := os.Args[1], os.Args[2]
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "serve: %v\n", err)
		os.Exit(1)
	}
	fmt.Println("ready")
	err = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		release, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/"), "/net.zip")
		if !ok || release == "" || strings.ContainsAny(release, `/\.`) {
			http.NotFound(w, r)
			return
		}
		b, err := zipDir(filepath.Join(root, release))
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/zip")
		w.Write(b)
	}))
	fmt.Fprintf(os.Stderr, "serve: %v\n", err)
	os.Exit(1)
}

// zipDir zips the .tf files of dir with a fixed modification time, so that
// the archive depends only on their content.
func zipDir(dir string) ([]byte, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no module in %s", dir)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, fn := range files {
		data, err := os.ReadFile(fn)
		if err != nil {
			return nil, err
		}
		f, err := zw.CreateHeader(&zip.FileHeader{Name: filepath.Base(fn), Method: zip.Deflate, Modified: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return nil, err
		}
		if _, err := f.Write(data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
