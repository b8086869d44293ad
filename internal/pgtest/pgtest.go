// Package pgtest starts a throwaway PostgreSQL server for tests of the
// Terraform `pg` backend: a real server, since the point is to read state
// the way users keep it. The cluster lives in the test's temporary
// directory on a free loopback port with its socket there too, and is
// stopped and removed when the test ends. Without PostgreSQL the test is
// skipped with a message saying what to install, except in CI ($CI set),
// where a missing server fails the test instead of silently passing.
package pgtest

import (
	"bytes"
	"cmp"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Server is a running throwaway cluster.
type Server struct {
	Port    int
	dir     string
	bin     string
	asUser  []string // the command prefix that runs a server binary
	stopped bool
}

// find looks on PATH, then where the official images (/usr/local/bin) and
// Debian's package (/usr/lib/postgresql/<version>/bin, off PATH) keep the
// server binaries, newest version first.
func find() string {
	versions, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(versions, func(a, b string) int { return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(b, a)) })
	binDirs := append([]string{"/usr/local/bin"}, versions...)
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "initdb")); err == nil {
			return filepath.Dir(p)
		}
	}
	for _, d := range binDirs {
		_, e1 := os.Stat(filepath.Join(d, "pg_ctl"))
		_, e2 := os.Stat(filepath.Join(d, "initdb"))
		if e1 == nil && e2 == nil {
			return d
		}
	}
	return ""
}

func unavailable(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("PostgreSQL is required in CI: %s (.ci/run installs Debian's postgresql package)", why)
	}
	t.Skipf("skipped: %s; install PostgreSQL (Debian: apt-get install postgresql) to run this test", why)
}

// Start starts a cluster that accepts the user "postgres" without a
// password (trust) on 127.0.0.1, or skips the test (see the package
// comment).
func Start(t testing.TB) *Server {
	t.Helper()
	bin := find()
	if bin == "" {
		unavailable(t, "PostgreSQL's initdb and pg_ctl were not found")
	}
	s := &Server{bin: bin, dir: t.TempDir()}
	// PostgreSQL refuses to run as root: run it as the postgres user,
	// who must be able to reach the temporary directory.
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			unavailable(t, "running as root and there is no postgres user to run the server as")
		}
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			unavailable(t, "running as root and runuser is not there to run the server as postgres")
		}
		s.asUser = []string{runuser, "-u", "postgres", "--"}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		for _, d := range []string{filepath.Dir(s.dir), s.dir} {
			if err := os.Chmod(d, 0o711); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chown(s.dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	s.Port = port
	s.run(t, "initdb", "-D", s.data(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
	s.run(t, "pg_ctl", "-D", s.data(), "-l", filepath.Join(s.dir, "log"), "-w", "-o",
		fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -F", port, s.dir), "start")
	t.Cleanup(s.Stop)
	return s
}

func (s *Server) data() string { return filepath.Join(s.dir, "data") }

// ConnStr is a connection string for the pg backend's conn_str, with
// password as its password (the server trusts every password, so a test
// can check that one is never printed).
func (s *Server) ConnStr(password string) string {
	auth := "postgres"
	if password != "" {
		auth += ":" + password
	}
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable", auth, s.Port)
}

// Stop stops the server at once; the test's cleanup removes its files.
func (s *Server) Stop() {
	if s.stopped {
		return
	}
	s.stopped = true
	cmd := exec.Command(filepath.Join(s.bin, "pg_ctl"), "-D", s.data(), "-m", "immediate", "-w", "stop")
	if len(s.asUser) > 0 {
		cmd = exec.Command(s.asUser[0], append(s.asUser[1:], cmd.Args...)...)
	}
	_ = cmd.Run()
}

func (s *Server) run(t testing.TB, name string, args ...string) {
	t.Helper()
	argv := append([]string{filepath.Join(s.bin, name)}, args...)
	if len(s.asUser) > 0 {
		argv = append(append([]string{}, s.asUser...), argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
		t.Fatalf("%s: %v\n%s\n%s", name, err, out.String(), log)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
