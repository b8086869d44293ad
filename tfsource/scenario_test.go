package tfsource_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lockstep-iac/lockstep/tfsource"
)

// dirPerEnv is the scenario in which every environment is its own root
// module; terraform init wrote envs/ENV/.terraform/modules (modules.json
// and the remote git module "net", which calls ./subnet).
const dirPerEnv = "../testdata/scenarios/i-dir-per-env"

// TestDirPerEnvScenario resolves the addresses of the scenario's findings
// (attribute-divergence on terraform_data.db and module.net.terraform_data.vpc,
// one-sided-change on module.service.terraform_data.deployment) in each
// environment's own sources: the root module's blocks sit at different lines,
// module "net" resolves into each environment's installed copy through
// modules.json, and module "service" into the shared local module.
func TestDirPerEnvScenario(t *testing.T) {
	envs := []struct {
		env       string
		resources []resourceCase
		modules   map[string]string
	}{
		{env: "staging", resources: []resourceCase{
			{address: "terraform_data.db", want: "envs/staging/main.tf:4:1-11", attrs: map[string]string{
				"input.engine_version":  "envs/staging/main.tf:7:5-7",
				"output.engine_version": "",
			}},
			{address: "module.service.terraform_data.deployment", want: "modules/service/main.tf:16:1-22", attrs: map[string]string{
				"input.image": "modules/service/main.tf:19:5-19",
			}},
			{address: "module.net.terraform_data.vpc", want: "envs/staging/.terraform/modules/net/main.tf:17:1-23", attrs: map[string]string{
				"input.flow_logs": "envs/staging/.terraform/modules/net/main.tf:21:5-21",
			}},
			{address: "module.net.module.subnet.terraform_data.subnet", want: "envs/staging/.terraform/modules/net/subnet/main.tf:9:1-14"},
			{address: "module.net.terraform_data.subnet"},
		}, modules: map[string]string{
			"module.service":           "envs/staging/main.tf:13:1-19",
			"module.net":               "envs/staging/main.tf:21:1-27",
			"module.net.module.subnet": "envs/staging/.terraform/modules/net/main.tf:25:1-30",
		}},
		{env: "production", resources: []resourceCase{
			{address: "terraform_data.db", want: "envs/production/main.tf:15:1-23", attrs: map[string]string{
				"input.engine_version": "envs/production/main.tf:19:5-19",
			}},
			{address: "module.service.terraform_data.deployment", want: "modules/service/main.tf:16:1-22", attrs: map[string]string{
				"input.image": "modules/service/main.tf:19:5-19",
			}},
			{address: "module.net.terraform_data.vpc", want: "envs/production/.terraform/modules/net/main.tf:17:1-23", attrs: map[string]string{
				"input.flow_logs": "envs/production/.terraform/modules/net/main.tf:21:5-21",
			}},
			{address: "module.net.module.subnet.terraform_data.subnet", want: "envs/production/.terraform/modules/net/subnet/main.tf:9:1-14"},
		}, modules: map[string]string{
			"module.service":           "envs/production/main.tf:25:1-31",
			"module.net":               "envs/production/main.tf:7:1-13",
			"module.net.module.subnet": "envs/production/.terraform/modules/net/main.tf:25:1-30",
		}},
	}
	for _, e := range envs {
		t.Run(e.env, func(t *testing.T) {
			ix := load(t, filepath.Join(dirPerEnv, "envs", e.env))
			checkResources(t, dirPerEnv, ix, e.resources)
			for addr, want := range e.modules {
				b, ok := ix.Module(addr)
				if !ok || b.Fallback {
					t.Errorf("Module(%q) = %+v, %v", addr, b, ok)
					continue
				}
				if got := pos(t, dirPerEnv, b.Pos); got != want {
					t.Errorf("Module(%q) at %s, want %s", addr, got, want)
				}
			}
		})
	}
}

// TestDirPerEnvNotInitialised: the same sources without .terraform (a
// checkout before terraform init): the remote module "net" is not followed,
// so its addresses fall back to the module call; the local module still
// resolves.
func TestDirPerEnvNotInitialised(t *testing.T) {
	dir := t.TempDir()
	for _, fn := range []string{"envs/staging/main.tf", "envs/staging/variables.tf", "modules/service/main.tf"} {
		data, err := os.ReadFile(filepath.Join(dirPerEnv, fn))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, filepath.FromSlash(fn))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ix, err := tfsource.Load(filepath.Join(dir, "envs", "staging"))
	if err != nil {
		t.Fatal(err)
	}
	checkResources(t, dir, ix, []resourceCase{
		{address: "module.net.terraform_data.vpc", want: "envs/staging/main.tf:21:1-27", fallback: true, attrs: map[string]string{
			"input": "",
		}},
		{address: "module.net.module.subnet.terraform_data.subnet", want: "envs/staging/main.tf:21:1-27", fallback: true},
		{address: "module.service.terraform_data.deployment", want: "modules/service/main.tf:16:1-22"},
	})
}
