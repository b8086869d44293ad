package workdir

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/lockstep-iac/lockstep/internal/guard"
	"github.com/lockstep-iac/lockstep/internal/readfile"
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
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
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
			return "", err
		}
		if err := guard.HCL(src); err != nil {
			return "", err
		}
		var f *hcl.File
		var diags hcl.Diagnostics
		if strings.HasSuffix(name, ".json") {
			f, diags = p.ParseJSON(src, path)
		} else {
			f, diags = p.ParseHCL(src, path)
		}
		if diags.HasErrors() {
			return "", diags
		}
		content, _, _ := f.Body.PartialContent(schema)
		for _, tb := range content.Blocks {
			c, _, _ := tb.Body.PartialContent(inner)
			for _, blk := range c.Blocks {
				if blk.Type == "cloud" {
					return "cloud", nil
				}
				return blk.Labels[0], nil
			}
		}
	}
	return "local", nil
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
