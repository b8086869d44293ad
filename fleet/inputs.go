package fleet

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/evidence"
	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/rules"
)

// inputRecord is the evidence of one input the run read: rep's digest and
// Terraform version, the size, and a raw state's serial and lineage.
func inputRecord(stack string, env report.Environment, resources int) evidence.Input {
	in := evidence.Input{Stack: stack, Environment: env.Name, Path: env.Source, Kind: env.Kind,
		SHA256: env.SHA256, TerraformVersion: env.TerraformVersion, Tool: env.Tool, Resources: resources}
	if rf := env.ReadFrom; rf != nil {
		// A working directory: what was run, and the state's identity.
		in.ReadFrom = rf
		if rf.Serial != nil {
			n := int64(*rf.Serial)
			in.Serial = &n
		}
		in.Lineage = rf.Lineage
		return in
	}
	if info, err := os.Stat(env.Source); err == nil {
		in.Size = info.Size()
	}
	if env.Kind == "raw-state" {
		in.Serial, in.Lineage = stateIdentity(env.Source)
	}
	return in
}

// unreadRecord is the evidence of an input of a stack that was not
// compared: its size and digest when it can be read at all.
func unreadRecord(stack string, in check.Input, limit int64) evidence.Input {
	rec := evidence.Input{Stack: stack, Environment: in.Name, Path: in.Path}
	if info, err := os.Stat(in.Path); err == nil && info.IsDir() {
		return rec // a working directory: nothing to digest
	}
	f, err := os.Open(in.Path)
	if err != nil {
		rec.Error = err.Error()
		return rec
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(f, limit))
	rec.Size = n
	switch {
	case err != nil:
		rec.Error = err.Error()
	case n == limit:
		rec.Error = fmt.Sprintf("larger than the input size limit of %d bytes", limit)
	default:
		rec.SHA256 = hex.EncodeToString(h.Sum(nil))
	}
	return rec
}

// stateIdentity reads serial and lineage from a raw state. Terraform writes
// them before outputs and resources, so the read stops early; a state that
// lacks them, or that has been replaced since the run read it, has none.
func stateIdentity(path string) (*int64, string) {
	f, err := os.Open(path)
	if err != nil {
		return nil, ""
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, ""
	}
	var serial *int64
	lineage := ""
	for dec.More() && (serial == nil || lineage == "") {
		t, err := dec.Token()
		if err != nil {
			break
		}
		key, _ := t.(string)
		switch key {
		case "serial":
			var n int64
			if dec.Decode(&n) == nil {
				serial = &n
			}
		case "lineage":
			if dec.Decode(&lineage) != nil {
				lineage = ""
			}
		default:
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return serial, lineage
			}
		}
	}
	return serial, lineage
}

// fileDigest is the sha256 of a file the run read (a lockstep.hcl).
func fileDigest(path string) (evidence.File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return evidence.File{}, err
	}
	sum := sha256.Sum256(b)
	return evidence.File{Path: filepath.ToSlash(path), SHA256: hex.EncodeToString(sum[:])}, nil
}

// ruleBundle digests the rules: every file of the built-in rules as the
// binary embeds them, and every file below the --policy paths, each named
// by path and sha256, in one sorted list.
func ruleBundle(policyPaths []string) (evidence.RuleBundle, error) {
	var builtin []evidence.File
	err := fs.WalkDir(rules.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(rules.FS, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		builtin = append(builtin, evidence.File{Path: path, SHA256: hex.EncodeToString(sum[:])})
		return nil
	})
	if err != nil {
		return evidence.RuleBundle{}, fmt.Errorf("digest the built-in rules: %w", err)
	}
	var user []evidence.File
	for _, root := range policyPaths {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			f, err := fileDigest(path)
			user = append(user, f)
			return err
		})
		if err != nil {
			return evidence.RuleBundle{}, fmt.Errorf("digest the --policy files: %w", err)
		}
	}
	sort.Slice(user, func(i, j int) bool { return user[i].Path < user[j].Path })
	b := evidence.RuleBundle{Builtin: listDigest(builtin), Files: user}
	b.SHA256 = listDigest(append([]evidence.File{{Path: "builtin", SHA256: b.Builtin}}, user...))
	return b, nil
}

func listDigest(files []evidence.File) string {
	var s strings.Builder
	for _, f := range files {
		fmt.Fprintf(&s, "%s  %s\n", f.SHA256, f.Path)
	}
	sum := sha256.Sum256([]byte(s.String()))
	return hex.EncodeToString(sum[:])
}
