package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lockstep-iac/lockstep/internal/guard"
)

// Hostile reads: inputs that never end, that are not files, that nest
// without bound, that are the wrong kind of file or that say one thing
// twice (issue 11, items 5, 6, 15, 16, 17 and 18). Each must end in a short
// exit-2 error naming the file.

// readsMem bounds the address space of the child-process cases: far more
// than a run over these small inputs needs, far less than reading
// /dev/zero to the end or a stack overflow takes.
const readsMem = 2 << 30

// hangTimeout bounds the cases that used to hang (FIFOs).
const hangTimeout = 15 * time.Second

// planCopy copies the valid staging plan of scenario a to dir/sub/plan.json,
// so that what is put beside it (a lock file) belongs to this input only.
func planCopy(t *testing.T, dir, sub string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(scenarios, "a-staging-only-change", "staging.plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	return hostileWrite(t, dir, filepath.Join(sub, "plan.json"), data)
}

// planEdit is the staging plan with old replaced by new (once).
func planEdit(t *testing.T, dir, old, new string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(scenarios, "a-staging-only-change", "staging.plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("the plan has no %q", old)
	}
	return hostileWrite(t, dir, "edited.plan.json", bytes.Replace(data, []byte(old), []byte(new), 1))
}

func mkfifo(t *testing.T, path string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	return path
}

func symlink(t *testing.T, target, path string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// envArgs checks a staging input against the valid production plan.
func envArgs(t *testing.T, staging string, more ...string) []string {
	return append([]string{"check", "--env", "staging=" + staging, "--env", "production=" + validPlan(t)}, more...)
}

// tfDir is a --source directory holding main.tf, made by mk.
func tfDir(t *testing.T, dir string, mk func(path string)) string {
	src := filepath.Join(dir, "src")
	hostileWrite(t, src, "other.tf", []byte("locals {}\n"))
	mk(filepath.Join(src, "main.tf"))
	return src
}

func deepHCL(n int) []byte {
	return []byte("environment \"staging\" {\n  aliases = " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n}\n")
}

const waiverRest = "  rule = \"attribute-divergence\"\n  reason = \"r\"\n  owner = \"o\"\n  expires = \"2099-01-01\"\n}\n"

func TestHostileReads(t *testing.T) {
	over := guard.MaxDepth + 1
	runHostile(t, []hostileCase{
		// Inputs that never end, or that are not files.
		{name: "/dev/zero as --env", memLimit: readsMem,
			setup: func(t *testing.T, dir string) []string { return envArgs(t, "/dev/zero") },
			want:  []string{"/dev/zero", "not a regular file (a character device)"}},
		{name: "link to /dev/zero as --env", memLimit: readsMem,
			setup: func(t *testing.T, dir string) []string {
				return envArgs(t, symlink(t, "/dev/zero", filepath.Join(dir, "plan.json")))
			},
			want: []string{"plan.json", "not a regular file (a character device)"}},
		{name: "/dev/zero as lock file", memLimit: readsMem,
			setup: func(t *testing.T, dir string) []string {
				p := planCopy(t, dir, "in")
				symlink(t, "/dev/zero", filepath.Join(dir, "in", ".terraform.lock.hcl"))
				return envArgs(t, p)
			},
			want: []string{".terraform.lock.hcl", "not a regular file (a character device)"}},
		{name: "/dev/zero as --config", memLimit: readsMem,
			setup: func(t *testing.T, dir string) []string {
				return envArgs(t, validStagingPlan(t), "--config", "/dev/zero")
			},
			want: []string{"/dev/zero", "not a regular file"}},
		{name: "/dev/zero as a .tf file", memLimit: readsMem,
			setup: func(t *testing.T, dir string) []string {
				src := tfDir(t, dir, func(p string) { symlink(t, "/dev/zero", p) })
				return envArgs(t, validStagingPlan(t), "--source", src)
			},
			want: []string{"main.tf", "not a regular file (a character device)"}},
		{name: "FIFO as --env", timeout: hangTimeout,
			setup: func(t *testing.T, dir string) []string { return envArgs(t, mkfifo(t, filepath.Join(dir, "plan.json"))) },
			want:  []string{"plan.json", "not a regular file (a named pipe)"}},
		{name: "FIFO as lock file", timeout: hangTimeout,
			setup: func(t *testing.T, dir string) []string {
				p := planCopy(t, dir, "in")
				mkfifo(t, filepath.Join(dir, "in", ".terraform.lock.hcl"))
				return envArgs(t, p)
			},
			want: []string{".terraform.lock.hcl", "a named pipe"}},
		{name: "FIFO as --config", timeout: hangTimeout,
			setup: func(t *testing.T, dir string) []string {
				return envArgs(t, validStagingPlan(t), "--config", mkfifo(t, filepath.Join(dir, "lockstep.hcl")))
			},
			want: []string{"lockstep.hcl", "a named pipe"}},
		{name: "FIFO as a .tf file", timeout: hangTimeout,
			setup: func(t *testing.T, dir string) []string {
				src := tfDir(t, dir, func(p string) { mkfifo(t, p) })
				return envArgs(t, validStagingPlan(t), "--source", src)
			},
			want: []string{"main.tf", "a named pipe"}},
		{name: "FIFO as ./lockstep.hcl", timeout: hangTimeout, memLimit: readsMem,
			setup: func(t *testing.T, dir string) []string {
				mkfifo(t, filepath.Join(dir, "lockstep.hcl"))
				return envArgs(t, validStagingPlan(t))
			},
			want: []string{"lockstep.hcl", "a named pipe"}},
		{name: "directory as --env",
			setup: func(t *testing.T, dir string) []string { return envArgs(t, dir) },
			want:  []string{"not a regular file (a directory)"},
			check: func(t *testing.T, dir, _, stderr string) {
				if !strings.Contains(stderr, dir+":") {
					t.Errorf("stderr does not name %s:\n%s", dir, stderr)
				}
			}},
		{name: "directory as --config",
			setup: func(t *testing.T, dir string) []string { return envArgs(t, validStagingPlan(t), "--config", dir) },
			want:  []string{"not a regular file (a directory)"}},
		{name: "directory as lock file",
			setup: func(t *testing.T, dir string) []string {
				p := planCopy(t, dir, "in")
				if err := os.Mkdir(filepath.Join(dir, "in", ".terraform.lock.hcl"), 0o755); err != nil {
					t.Fatal(err)
				}
				return envArgs(t, p)
			},
			want: []string{".terraform.lock.hcl", "a directory"}},
		{name: "directory as ./lockstep.hcl", memLimit: readsMem,
			setup: func(t *testing.T, dir string) []string {
				if err := os.Mkdir(filepath.Join(dir, "lockstep.hcl"), 0o755); err != nil {
					t.Fatal(err)
				}
				return envArgs(t, validStagingPlan(t))
			},
			want: []string{"lockstep.hcl", "a directory"}},

		// Links that lead nowhere are errors, not "no file".
		{name: "dangling link as ./lockstep.hcl", memLimit: readsMem,
			setup: func(t *testing.T, dir string) []string {
				symlink(t, "gone.hcl", filepath.Join(dir, "lockstep.hcl"))
				return envArgs(t, validStagingPlan(t))
			},
			want: []string{"lockstep.hcl", "a symbolic link to gone.hcl, which does not exist"}},
		{name: "link loop as ./lockstep.hcl", memLimit: readsMem,
			setup: func(t *testing.T, dir string) []string {
				symlink(t, "lockstep.hcl", filepath.Join(dir, "lockstep.hcl"))
				return envArgs(t, validStagingPlan(t))
			},
			want: []string{"lockstep.hcl", "a symbolic link loop"}},
		{name: "dangling link as lock file",
			setup: func(t *testing.T, dir string) []string {
				p := planCopy(t, dir, "in")
				symlink(t, "gone.hcl", filepath.Join(dir, "in", ".terraform.lock.hcl"))
				return envArgs(t, p)
			},
			want: []string{".terraform.lock.hcl", "a symbolic link to gone.hcl, which does not exist"}},
		{name: "link loop as lock file",
			setup: func(t *testing.T, dir string) []string {
				p := planCopy(t, dir, "in")
				symlink(t, ".terraform.lock.hcl", filepath.Join(dir, "in", ".terraform.lock.hcl"))
				return envArgs(t, p)
			},
			want: []string{".terraform.lock.hcl", "a symbolic link loop"}},

		// Size.
		{name: "input over --max-input-size",
			setup: func(t *testing.T, dir string) []string {
				return envArgs(t, validStagingPlan(t), "--max-input-size", "4KiB")
			},
			want: []string{"production.plan.json", "over lockstep's limit of 4 KiB", "--max-input-size"}},
		// A large wrong file is refused from its first bytes, not read whole:
		// 3 GiB (sparse) under a 2 GiB address space.
		{name: "3 GiB of NUL bytes", memLimit: readsMem,
			setup: func(t *testing.T, dir string) []string {
				p := hostileWrite(t, dir, "zero.json", nil)
				if err := os.Truncate(p, 3<<30); err != nil {
					t.Skip(err)
				}
				return envArgs(t, p)
			},
			want: []string{"zero.json", "not a JSON object (byte 0 is 0x00)"}},
		{name: "3 GiB binary plan", memLimit: readsMem,
			setup: func(t *testing.T, dir string) []string {
				p := hostileWrite(t, dir, "plan.out", []byte("PK\x03\x04\x14\x00"))
				if err := os.Truncate(p, 3<<30); err != nil {
					t.Skip(err)
				}
				return envArgs(t, p)
			},
			want: []string{"plan.out", "binary plan file"}},
		{name: "--max-input-size not a size",
			setup: func(t *testing.T, dir string) []string {
				return envArgs(t, validStagingPlan(t), "--max-input-size", "lots")
			},
			want: []string{"--max-input-size", `"lots" is not a size`}},

		// Deep nesting, one line each.
		{name: "deep JSON", memLimit: readsMem,
			setup: func(t *testing.T, dir string) []string {
				doc := `{"format_version":"1.2","variables":{"x":{"value":` + strings.Repeat("[", 10*over) + strings.Repeat("]", 10*over) + "}}}"
				return envArgs(t, hostileWrite(t, dir, "deep.json", []byte(doc)), "--dump-input", filepath.Join(dir, "dump.json"))
			},
			want: []string{"deep.json", "line 1, column", "nested more than 512 levels deep"},
			check: func(t *testing.T, dir, _, _ string) {
				if _, err := os.Stat(filepath.Join(dir, "dump.json")); err == nil {
					t.Error("--dump-input was written")
				}
			}},
		{name: "deep lockstep.hcl", memLimit: readsMem,
			setup: func(t *testing.T, dir string) []string {
				return envArgs(t, validStagingPlan(t), "--config", hostileWrite(t, dir, "lockstep.hcl", deepHCL(100*over)))
			},
			want: []string{"lockstep.hcl:2:", "Nesting too deep"}},
		{name: "deep lock file", memLimit: readsMem,
			setup: func(t *testing.T, dir string) []string {
				p := planCopy(t, dir, "in")
				hostileWrite(t, dir, "in/.terraform.lock.hcl", []byte("provider \"a/b\" {\n  version = \"1.0.0\"\n  hashes = "+
					strings.Repeat("(", 100*over)+"1"+strings.Repeat(")", 100*over)+"\n}\n"))
				return envArgs(t, p)
			},
			want: []string{".terraform.lock.hcl", "line 3, column", "nested more than 512 levels deep"}},
		{name: "deep .tf file", memLimit: readsMem,
			setup: func(t *testing.T, dir string) []string {
				src := tfDir(t, dir, func(p string) {
					hostileWrite(t, filepath.Dir(p), "main.tf", []byte("locals {\n  x = \"${"+strings.Repeat("(", 100*over)+"1"+strings.Repeat(")", 100*over)+"}\"\n}\n"))
				})
				return envArgs(t, validStagingPlan(t), "--source", src)
			},
			want: []string{"main.tf:2:", "nested more than 512 levels deep"}},

		// The wrong kind of file.
		{name: "binary plan file",
			setup: func(t *testing.T, dir string) []string {
				return envArgs(t, hostileWrite(t, dir, "plan.out", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00tfplan\xff\xfe")))
			},
			want: []string{"plan.out", "binary plan file", "run `terraform show -json ", "plan.out > plan.json`"}},
		{name: "gzip file",
			setup: func(t *testing.T, dir string) []string {
				return envArgs(t, hostileWrite(t, dir, "plan.json.gz", []byte{0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe}))
			},
			want: []string{"plan.json.gz", "gzip-compressed"}},
		{name: "a .tf file as --env",
			setup: func(t *testing.T, dir string) []string {
				return envArgs(t, hostileWrite(t, dir, "main.tf", []byte("# app\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n")))
			},
			want: []string{"main.tf", "Terraform configuration (HCL), not JSON", "terraform show -json"}},
		{name: "invalid UTF-8",
			setup: func(t *testing.T, dir string) []string {
				return envArgs(t, planEdit(t, dir, `"terraform_data.db"`, "\"terraform_data.d\xffb\""))
			},
			want: []string{"edited.plan.json", "not valid UTF-8 at byte offset"}},

		// Strictness.
		{name: "duplicate key",
			setup: func(t *testing.T, dir string) []string {
				return envArgs(t, planEdit(t, dir, `"address":"terraform_data.db",`, `"address":"terraform_data.db","address":"terraform_data.x",`))
			},
			want: []string{"edited.plan.json", "line 1, column", "the same key twice", "planned_values.root_module.resources[0].address"}},
		{name: "duplicate key hiding a sensitive mark",
			setup: func(t *testing.T, dir string) []string {
				doc := `{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"a.b","mode":"managed","type":"a","name":"b",` +
					`"values":{"token":"s3cr3t-t0ken"},"sensitive_values":{"token":true,"token":false}}]}}}`
				return envArgs(t, hostileWrite(t, dir, "state.json", []byte(doc)))
			},
			want:    []string{"state.json", "the same key twice", "values.root_module.resources[0].sensitive_values.*"},
			notWant: []string{"s3cr3t-t0ken", "token"}},
		{name: "raw state version as a string",
			setup: func(t *testing.T, dir string) []string {
				return envArgs(t, hostileWrite(t, dir, "state.tfstate", []byte(`{"version":"4","terraform_version":"1.5.7","serial":1,"lineage":"x","outputs":{},"resources":[]}`)))
			},
			want: []string{"state.tfstate", `"version" should be a number, found a string`}},
		{name: "unknown plan action",
			setup: func(t *testing.T, dir string) []string {
				return envArgs(t, planEdit(t, dir, `"actions":["no-op"]`, `"actions":["obliterate"]`))
			},
			want:    []string{"edited.plan.json", "resource_changes terraform_data.db has an unknown action"},
			notWant: []string{"obliterate"}},
		{name: "values not an object name the resource",
			setup: func(t *testing.T, dir string) []string {
				doc := `{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"a.b","mode":"managed","type":"a","name":"b","values":"s3cr3t"}]}}}`
				return envArgs(t, hostileWrite(t, dir, "state.json", []byte(doc)))
			},
			want:    []string{"state.json", "resource a.b", "should be an object"},
			notWant: []string{"s3cr3t"}},
		{name: "waiver with resources = []",
			setup: func(t *testing.T, dir string) []string {
				cfg := hostileWrite(t, dir, "lockstep.hcl", []byte("waiver \"w\" {\n  resources = []\n"+waiverRest))
				return envArgs(t, validStagingPlan(t), "--config", cfg)
			},
			want: []string{"lockstep.hcl:2:15: Empty resource list"}},
		{name: "missing --config",
			setup: func(t *testing.T, dir string) []string {
				return envArgs(t, validStagingPlan(t), "--config", filepath.Join(dir, "nope.hcl"))
			},
			want:    []string{"nope.hcl", "no such file", "leave --config out"},
			notWant: []string{"open ", "no such file or directory"}},
		{name: "UTF-16 lockstep.hcl",
			setup: func(t *testing.T, dir string) []string {
				src := []byte{0xff, 0xfe}
				for _, c := range "environment \"staging\" {}\nenvironment \"production\" {}\n" {
					src = append(src, byte(c), 0)
				}
				return envArgs(t, validStagingPlan(t), "--config", hostileWrite(t, dir, "lockstep.hcl", src))
			},
			want: []string{"lockstep.hcl:1:1: Not UTF-8 text", "save it as UTF-8"}},
		{name: "config problem printed once",
			setup: func(t *testing.T, dir string) []string {
				cfg := hostileWrite(t, dir, "lockstep.hcl", []byte("bogus = 1\n"))
				return envArgs(t, validStagingPlan(t), "--config", cfg)
			},
			want: []string{"lockstep.hcl:1:1: Unsupported argument"},
			check: func(t *testing.T, _, _, stderr string) {
				if n := strings.Count(stderr, "Unsupported argument"); n != 1 {
					t.Errorf("the problem is printed %d times:\n%s", n, stderr)
				}
			}},
	})
}
