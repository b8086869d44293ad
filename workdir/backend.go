package workdir

import (
	"encoding/json"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/lockstep-iac/lockstep/internal/guard"
	"github.com/lockstep-iac/lockstep/internal/readfile"
	"github.com/zclconf/go-cty/cty"
)

// backend is what lockstep knows of a directory's backend before running
// anything: its type, whether `terraform init` has recorded it, and for
// the local backend where the state files are.
type backend struct {
	Type        string
	Initialised bool
	dataDir     string // the directory's real data dir (.terraform or $TF_DATA_DIR)
	// local backend only, relative to the directory
	path         string
	workspaceDir string
	// recorded is the local backend's configuration as `terraform init`
	// recorded it, nil when nothing was recorded (see matchesDeclared).
	recorded map[string]string
}

const defaultWorkspace = "default"

// detectBackend reads the backend Terraform recorded at `terraform init`
// (.terraform/terraform.tfstate, which holds the backend's type and
// configuration, never a state), else looks for a backend or cloud block in
// the .tf files: none means the implicit local backend, which needs no
// init.
func detectBackend(dir string, getenv func(string) string) (*backend, error) {
	b := &backend{dataDir: filepath.Join(dir, ".terraform"), path: "terraform.tfstate", workspaceDir: "terraform.tfstate.d"}
	if d := getenv("TF_DATA_DIR"); d != "" {
		b.dataDir = d
		if !filepath.IsAbs(d) {
			b.dataDir = filepath.Join(dir, d)
		}
	}
	data, err := readfile.Read(filepath.Join(b.dataDir, "terraform.tfstate"), readfile.ConfigLimit)
	switch {
	case err == nil:
		var rec struct {
			Backend *struct {
				Type   string                     `json:"type"`
				Config map[string]json.RawMessage `json:"config"`
			} `json:"backend"`
		}
		if err := guard.JSONDepth(data); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(data, &rec); err != nil {
			return nil, err
		}
		if rec.Backend == nil || rec.Backend.Type == "" {
			// HCP Terraform (a cloud block) records no backend object.
			b.Type, b.Initialised = "cloud", true
			return b, nil
		}
		b.Type, b.Initialised = rec.Backend.Type, true
		if b.Type == "local" {
			var p, wd string
			_ = json.Unmarshal(rec.Backend.Config["path"], &p)
			_ = json.Unmarshal(rec.Backend.Config["workspace_dir"], &wd)
			if p != "" {
				b.path = p
			}
			if wd != "" {
				b.workspaceDir = wd
			}
			b.recorded = map[string]string{}
			for name, v := range rec.Backend.Config {
				var str string
				if json.Unmarshal(v, &str) == nil && str != "" {
					b.recorded[name] = str
				}
			}
		}
		return b, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	b.Type, err = declaredBackend(dir)
	if err != nil {
		return nil, err
	}
	b.Initialised = b.Type == "local"
	return b, nil
}

// declaredBackend is the type of the backend (or "cloud") block in the
// root module's .tf and .tf.json files, "local" when there is none.
func declaredBackend(dir string) (string, error) {
	typ, _, err := declaredBlock(dir)
	return typ, err
}

// declaredBlock is declaredBackend with the block's body, nil when no
// block is declared (the implicit local backend).
func declaredBlock(dir string) (string, hcl.Body, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", nil, err
	}
	p := hclparse.NewParser()
	schema := &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "terraform"}}}
	inner := &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "backend", LabelNames: []string{"type"}}, {Type: "cloud"}}}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !(strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json")) {
			continue
		}
		path := filepath.Join(dir, name)
		src, err := readfile.Read(path, readfile.ConfigLimit)
		if err != nil {
			return "", nil, err
		}
		if err := guard.HCL(src); err != nil {
			return "", nil, err
		}
		var f *hcl.File
		var diags hcl.Diagnostics
		if strings.HasSuffix(name, ".json") {
			f, diags = p.ParseJSON(src, path)
		} else {
			f, diags = p.ParseHCL(src, path)
		}
		if diags.HasErrors() {
			return "", nil, diags
		}
		content, _, _ := f.Body.PartialContent(schema)
		for _, tb := range content.Blocks {
			c, _, _ := tb.Body.PartialContent(inner)
			for _, blk := range c.Blocks {
				if blk.Type == "cloud" {
					return "cloud", blk.Body, nil
				}
				return blk.Labels[0], blk.Body, nil
			}
		}
	}
	return "local", nil, nil
}

// matchesDeclared reports whether the local backend the directory declares
// now is the one `terraform init` recorded, as Terraform checks before
// any command: the implicit backend with nothing recorded, or a `backend
// "local"` block whose settings, all literal strings, are the recorded
// ones. Anything else (a block edited since init, a block never
// initialised, a setting given by an expression) is for Terraform to
// judge.
func (b *backend) matchesDeclared(dir string) bool {
	typ, body, err := declaredBlock(dir)
	if err != nil || typ != "local" {
		return false
	}
	if body == nil || b.recorded == nil {
		// Implicit with nothing recorded (init records no implicit local
		// backend), or a block never initialised.
		return body == nil && b.recorded == nil
	}
	attrs, diags := body.JustAttributes()
	if diags.HasErrors() {
		return false
	}
	declared := map[string]string{}
	for name, a := range attrs {
		v, diags := a.Expr.Value(nil)
		if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
			return false
		}
		if s := v.AsString(); s != "" {
			declared[name] = s
		}
	}
	return maps.Equal(declared, b.recorded)
}

// statePath is where the local backend keeps a workspace's state.
func (b *backend) statePath(dir, workspace string) string {
	if workspace == defaultWorkspace {
		return joinDir(dir, b.path)
	}
	return filepath.Join(joinDir(dir, b.workspaceDir), workspace, "terraform.tfstate")
}

// localWorkspaces lists the local backend's workspaces as Terraform does:
// default, then every directory under the workspace directory.
func (b *backend) localWorkspaces(dir string) []string {
	list := []string{defaultWorkspace}
	entries, _ := os.ReadDir(joinDir(dir, b.workspaceDir))
	for _, e := range entries {
		if e.IsDir() && e.Name() != defaultWorkspace {
			list = append(list, e.Name())
		}
	}
	slices.Sort(list[1:])
	return list
}

func joinDir(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}
