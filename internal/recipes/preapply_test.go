package recipes

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestPreApplyShell runs docs/pre-apply.md's shell step, as written, with sh
// in a Terraform working directory with workspaces staging and production:
// it must refuse to apply production's plan while staging lacks the change,
// and apply that plan once staging has it.
func TestPreApplyShell(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform; skipped with -short")
	}
	tf := requireTerraform(t)
	script := recipe(t, "pre-apply.md", "pre-apply-shell")
	dir := t.TempDir()
	env := commandEnv(tf)
	terraformConfig(t, dir)

	// Both environments applied identically, engine 14.9.
	writeFile(t, dir, "staging.tfvars", tfvars("staging", "14.9"))
	writeFile(t, dir, "production.tfvars", tfvars("production", "14.9"))
	mustExec(t, dir, env, "terraform", "init", "-input=false")
	for _, ws := range []string{"staging", "production"} {
		mustExec(t, dir, env, "terraform", "workspace", "new", ws)
		mustExec(t, dir, env, "terraform", "apply", "-input=false", "-auto-approve", "-var-file="+ws+".tfvars")
	}

	// A change to 15.4 reaches production's pipeline before staging applied it.
	writeFile(t, dir, "staging.tfvars", tfvars("staging", "15.4"))
	writeFile(t, dir, "production.tfvars", tfvars("production", "15.4"))
	r := execIn(t, dir, env, "sh", "-c", script)
	if r.code != 1 || !strings.Contains(r.out, "promotion-order") || !strings.Contains(r.out, "is not applied") {
		t.Fatalf("production ahead of staging: want exit 1 with a promotion-order finding and no apply, got exit %d:\n%s", r.code, r.out)
	}
	if v := engineVersion(t, dir, env, "production"); v != "14.9" {
		t.Fatalf("production was applied although lockstep failed: engine %q, want 14.9", v)
	}

	// Staging applies 15.4; now production may follow.
	mustExec(t, dir, env, "terraform", "workspace", "select", "staging")
	mustExec(t, dir, env, "terraform", "apply", "-input=false", "-auto-approve", "-var-file=staging.tfvars")
	r = execIn(t, dir, env, "sh", "-c", script)
	if r.code != 0 || !strings.Contains(r.out, "no findings") {
		t.Fatalf("staging applied first: want exit 0 and an apply, got exit %d:\n%s", r.code, r.out)
	}
	if v := engineVersion(t, dir, env, "production"); v != "15.4" {
		t.Fatalf("production not applied: engine %q, want 15.4\n%s", v, r.out)
	}
}

// atlantisConfig is the part of a repo-level atlantis.yaml the recipe uses.
type atlantisConfig struct {
	Version  int `yaml:"version"`
	Projects []struct {
		Name      string `yaml:"name"`
		Dir       string `yaml:"dir"`
		Workspace string `yaml:"workspace"`
		Workflow  string `yaml:"workflow"`
	} `yaml:"projects"`
	Workflows map[string]map[string]struct {
		Steps []yaml.Node `yaml:"steps"`
	} `yaml:"workflows"`
}

// atlantisStep is one step of a workflow stage: a built-in command (init,
// plan, apply) with its extra_args, or a custom run command.
type atlantisStep struct {
	builtin string
	extra   []string
	run     string
}

// parseSteps reads a stage's steps in the forms Atlantis accepts: "init",
// {plan: {extra_args: [...]}}, {run: "cmd"} and {run: {command: "cmd"}}.
// Anything else fails the test: the simulation would not know what it means.
func parseSteps(t *testing.T, nodes []yaml.Node) []atlantisStep {
	t.Helper()
	var steps []atlantisStep
	for _, n := range nodes {
		switch {
		case n.Kind == yaml.ScalarNode && (n.Value == "init" || n.Value == "plan" || n.Value == "apply"):
			steps = append(steps, atlantisStep{builtin: n.Value})
		case n.Kind == yaml.MappingNode && len(n.Content) == 2:
			key, val := n.Content[0].Value, n.Content[1]
			switch {
			case key == "run" && val.Kind == yaml.ScalarNode:
				steps = append(steps, atlantisStep{run: val.Value})
			case key == "run" && val.Kind == yaml.MappingNode:
				var r struct {
					Command string `yaml:"command"`
				}
				if err := val.Decode(&r); err != nil || r.Command == "" {
					t.Fatalf("atlantis.yaml line %d: run without command", n.Line)
				}
				steps = append(steps, atlantisStep{run: r.Command})
			case key == "init" || key == "plan" || key == "apply":
				var b struct {
					ExtraArgs []string `yaml:"extra_args"`
				}
				if err := val.Decode(&b); err != nil {
					t.Fatalf("atlantis.yaml line %d: %v", n.Line, err)
				}
				steps = append(steps, atlantisStep{builtin: key, extra: b.ExtraArgs})
			default:
				t.Fatalf("atlantis.yaml line %d: step %q is not simulated", n.Line, key)
			}
		default:
			t.Fatalf("atlantis.yaml line %d: step not simulated", n.Line)
		}
	}
	return steps
}

// atlantis simulates an Atlantis server for one pull request of a repository
// holding the recipe's atlantis.yaml: a clone per workspace (as Atlantis
// keeps them), one state backend that all clones share, and the workflow
// stages run step by step the way Atlantis runs them.
type atlantis struct {
	t      *testing.T
	cfg    atlantisConfig
	repo   string // the repository's files, checked out into each clone
	clones string // data dir: one clone per workspace below it
	env    []string
	tfver  string // for ATLANTIS_TERRAFORM_VERSION
}

// checkout refreshes workspace's clone from the repository, as Atlantis does
// when the pull request gets a new commit; Terraform's own files
// (.terraform, plans) stay.
func (a *atlantis) checkout(workspace string) string {
	clone := filepath.Join(a.clones, workspace)
	copyTree(a.t, a.repo, clone, nil)
	return clone
}

// run runs stage ("plan" or "apply") of project and returns the output of
// its steps and the exit code of the first failing step (0 when all pass).
func (a *atlantis) run(project, stage string) result {
	t := a.t
	t.Helper()
	var p *struct {
		Name      string `yaml:"name"`
		Dir       string `yaml:"dir"`
		Workspace string `yaml:"workspace"`
		Workflow  string `yaml:"workflow"`
	}
	for i := range a.cfg.Projects {
		if a.cfg.Projects[i].Name == project {
			p = &a.cfg.Projects[i]
		}
	}
	if p == nil {
		t.Fatalf("atlantis.yaml has no project %s", project)
	}
	// Atlantis's default workflow: plan is init then plan, apply is apply.
	steps := map[string][]atlantisStep{
		"plan":  {{builtin: "init"}, {builtin: "plan"}},
		"apply": {{builtin: "apply"}},
	}[stage]
	if p.Workflow != "" {
		wf, ok := a.cfg.Workflows[p.Workflow]
		if !ok {
			t.Fatalf("atlantis.yaml: project %s uses undefined workflow %s", project, p.Workflow)
		}
		if s, ok := wf[stage]; ok {
			steps = parseSteps(t, s.Steps)
		}
	}
	dir := filepath.Join(a.checkout(p.Workspace), p.Dir)
	base := strings.ReplaceAll(p.Name, "/", "::") + "-" + p.Workspace
	planfile := filepath.Join(dir, base+".tfplan")
	env := append(append([]string{}, a.env...),
		"WORKSPACE="+p.Workspace,
		"ATLANTIS_TERRAFORM_VERSION="+a.tfver,
		"DIR="+dir,
		"PLANFILE="+planfile,
		"SHOWFILE="+filepath.Join(dir, base+".json"),
		"POLICYCHECKFILE="+filepath.Join(dir, base+"-policy.json"),
		"BASE_REPO_NAME=infra", "BASE_REPO_OWNER=acme",
		"HEAD_REPO_NAME=infra", "HEAD_REPO_OWNER=acme",
		"HEAD_BRANCH_NAME=db-engine-15.4", "BASE_BRANCH_NAME=main",
		"HEAD_COMMIT=0123456789abcdef0123456789abcdef01234567",
		"PROJECT_NAME="+p.Name, "REPO_REL_DIR="+p.Dir,
		"PULL_NUM=1", "PULL_URL=https://github.com/acme/infra/pull/1", "PULL_AUTHOR=dev",
		"USER_NAME=dev", "COMMENT_ARGS=",
		"ATLANTIS_PR_APPROVED=true", "ATLANTIS_PR_MERGEABLE=true")
	var out strings.Builder
	for _, s := range steps {
		var r result
		switch s.builtin {
		case "":
			r = execIn(t, dir, env, "sh", "-c", s.run)
		case "init":
			r = execIn(t, dir, env, "terraform", append([]string{"init", "-input=false"}, s.extra...)...)
		case "plan":
			// Atlantis selects the project's workspace, creating it the
			// first time, and adds env/WORKSPACE.tfvars when it exists.
			if sel := execIn(t, dir, env, "terraform", "workspace", "select", p.Workspace); sel.code != 0 {
				mustExec(t, dir, env, "terraform", "workspace", "new", p.Workspace)
			}
			// The same order as Atlantis's PlanStepRunner: extra_args, then
			// the env file.
			args := append([]string{"plan", "-input=false", "-refresh", "-out", planfile}, s.extra...)
			if envFile := filepath.Join(dir, "env", p.Workspace+".tfvars"); fileExists(envFile) {
				args = append(args, "-var-file", envFile)
			}
			r = execIn(t, dir, env, "terraform", args...)
		case "apply":
			args := append([]string{"apply", "-input=false"}, s.extra...)
			r = execIn(t, dir, env, "terraform", append(args, planfile)...)
		}
		fmt.Fprintf(&out, "--- %s %s: %s%s (exit %d)\n%s", project, stage, s.builtin, s.run, r.code, r.out)
		if r.code != 0 {
			return result{out.String(), r.code}
		}
	}
	return result{out.String(), 0}
}

// terraformVersion is the version terraform reports, for
// ATLANTIS_TERRAFORM_VERSION.
func terraformVersion(t *testing.T, env []string) string {
	t.Helper()
	out := mustExec(t, ".", env, "terraform", "version")
	v, _, _ := strings.Cut(strings.TrimPrefix(out, "Terraform v"), "\n")
	return v
}

// TestAtlantis runs the atlantis.yaml of docs/pre-apply.md the way Atlantis
// would, since Atlantis itself needs a VCS host: the first rollout goes
// through, a change applied to production before staging is stopped by the
// lockstep step, and the same production plan applies once staging has the
// change.
func TestAtlantis(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform; skipped with -short")
	}
	tf := requireTerraform(t)
	var cfg atlantisConfig
	if err := yaml.Unmarshal([]byte(recipe(t, "pre-apply.md", "atlantis-yaml")), &cfg); err != nil {
		t.Fatalf("atlantis.yaml in docs/pre-apply.md: %v", err)
	}
	if cfg.Version != 3 {
		t.Fatalf("atlantis.yaml: version %d, want 3", cfg.Version)
	}
	root := t.TempDir()
	a := &atlantis{t: t, cfg: cfg, repo: filepath.Join(root, "repo"), clones: filepath.Join(root, "data", "repos", "acme", "infra", "1"), env: commandEnv(tf)}
	a.tfver = terraformVersion(t, a.env)

	// The repository: the configuration in app/, variables where Atlantis
	// finds them (env/WORKSPACE.tfvars), and a backend shared by every
	// clone, as S3 would be.
	app := filepath.Join(a.repo, "app")
	terraformConfig(t, app)
	writeFile(t, app, "backend.tf", fmt.Sprintf("terraform {\n  backend \"local\" {\n    workspace_dir = %q\n  }\n}\n", filepath.Join(root, "states")))
	writeFile(t, app, "env/staging.tfvars", tfvars("staging", "14.9"))
	writeFile(t, app, "env/production.tfvars", tfvars("production", "14.9"))

	step := func(project, stage string, wantCode int, want string) result {
		t.Helper()
		r := a.run(project, stage)
		if r.code != wantCode || !strings.Contains(r.out, want) {
			t.Fatalf("atlantis %s -p %s: want exit %d and %q in the output, got exit %d:\n%s", stage, project, wantCode, want, r.code, r.out)
		}
		return r
	}
	prodEngine := func() string {
		return engineVersion(t, filepath.Join(a.clones, "production", "app"), a.env, "production")
	}

	// First rollout: staging, then production, which has nothing yet.
	step("app-staging", "plan", 0, "Plan:")
	step("app-staging", "apply", 0, "Apply complete")
	step("app-production", "plan", 0, "no findings")
	step("app-production", "apply", 0, "Apply complete")
	if v := prodEngine(); v != "14.9" {
		t.Fatalf("first rollout: production engine %q, want 14.9", v)
	}

	// A pull request raises the engine in both environments. Planning
	// production shows the finding without failing; applying production
	// before staging is refused and leaves production as it was.
	writeFile(t, app, "env/staging.tfvars", tfvars("staging", "15.4"))
	writeFile(t, app, "env/production.tfvars", tfvars("production", "15.4"))
	step("app-staging", "plan", 0, "Plan:")
	step("app-production", "plan", 0, "promotion-order")
	r := step("app-production", "apply", 1, "promotion-order")
	t.Logf("refused apply:\n%s", r.out)
	if strings.Contains(r.out, "Apply complete") {
		t.Fatalf("production applied although lockstep failed:\n%s", r.out)
	}
	if v := prodEngine(); v != "14.9" {
		t.Fatalf("production engine %q after the refused apply, want 14.9", v)
	}

	// Staging applies; the same production plan now goes through, because
	// the apply stage reads staging's state again.
	step("app-staging", "apply", 0, "Apply complete")
	step("app-production", "apply", 0, "Apply complete")
	if v := prodEngine(); v != "15.4" {
		t.Fatalf("production engine %q after staging applied, want 15.4", v)
	}
}

// TestPreCommit installs this repository's pre-commit hook the way users do
// (pre-commit builds it with go install from a git repository at a pinned
// rev) and runs it with docs/pre-apply.md's .pre-commit-config.yaml in a
// repository holding failing plans (scenario b) and one holding passing
// plans (scenario c-promotion-after). It also runs `pre-commit try-repo`,
// which cannot pass args: the hook installs and lockstep asks for --env.
func TestPreCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("runs pre-commit, which builds lockstep; skipped with -short")
	}
	precommit := requireTool(t, "pre-commit", "", ".ci/run installs it (apt-get install -y pre-commit)")
	git := requireTool(t, "git", "", "install git")
	root := t.TempDir()
	hookRepo := snapshot(t, git, filepath.Join(root, "lockstep"))
	rev := strings.TrimSpace(mustExec(t, hookRepo, nil, git, "rev-parse", "HEAD"))

	// The user's config, with the repository and rev pointing at the
	// snapshot instead of GitHub and a release tag.
	var cfg struct {
		Repos []map[string]any `yaml:"repos"`
	}
	if err := yaml.Unmarshal([]byte(recipe(t, "pre-apply.md", "pre-commit-config")), &cfg); err != nil {
		t.Fatalf(".pre-commit-config.yaml in docs/pre-apply.md: %v", err)
	}
	if len(cfg.Repos) != 1 || cfg.Repos[0]["repo"] != "https://github.com/lockstep-iac/lockstep" {
		t.Fatalf(".pre-commit-config.yaml in docs/pre-apply.md: want one repo, https://github.com/lockstep-iac/lockstep; got %v", cfg.Repos)
	}
	cfg.Repos[0]["repo"] = hookRepo
	cfg.Repos[0]["rev"] = rev
	config, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}

	// pre-commit's own store in the test's directory; Go's module cache
	// shared with this build, so installing the hook downloads nothing
	// (pre-commit points GOPATH at the hook's environment).
	goenv := strings.Fields(mustExec(t, ".", nil, "go", "env", "GOMODCACHE", "GOCACHE"))
	if len(goenv) != 2 {
		t.Fatalf("go env GOMODCACHE GOCACHE: %q", goenv)
	}
	env := commandEnv("", "PRE_COMMIT_HOME="+filepath.Join(root, "pre-commit-home"),
		"GOMODCACHE="+goenv[0], "GOCACHE="+goenv[1])
	// The hook must come from pre-commit's build, not from TestMain's.
	for i, kv := range env {
		if strings.HasPrefix(kv, "PATH=") {
			env[i] = "PATH=" + os.Getenv("PATH")
		}
	}

	userRepo := func(name, scenario string) string {
		dir := filepath.Join(root, name)
		mustExec(t, root, env, git, "init", "-q", dir)
		for _, e := range []string{"staging", "production"} {
			b, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "scenarios", scenario, e+".plan.json"))
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, dir, filepath.Join("plans", e+".plan.json"), string(b))
		}
		writeFile(t, dir, "main.tf", "resource \"terraform_data\" \"db\" {}\n")
		writeFile(t, dir, ".pre-commit-config.yaml", string(config))
		mustExec(t, dir, env, git, "add", "-A")
		return dir
	}

	failing := userRepo("failing", "b-pr-changes-staging-only")
	r := execIn(t, failing, env, precommit, "run", "--all-files")
	if r.code != 1 || !strings.Contains(r.out, "exit code: 1") || !strings.Contains(r.out, "one-sided-change") {
		t.Fatalf("pre-commit run with scenario b's plans: want the hook to fail with exit 1 and one-sided-change, got exit %d:\n%s", r.code, r.out)
	}
	passing := userRepo("passing", "c-promotion-after")
	r = execIn(t, passing, env, precommit, "run", "--all-files")
	if r.code != 0 || !strings.Contains(r.out, "Passed") {
		t.Fatalf("pre-commit run with scenario c-promotion-after's plans: want exit 0, got exit %d:\n%s", r.code, r.out)
	}

	r = execIn(t, failing, env, precommit, "try-repo", hookRepo, "lockstep-check", "--all-files")
	if r.code != 1 || !strings.Contains(r.out, "exit code: 2") || !strings.Contains(r.out, "--env") {
		t.Fatalf("pre-commit try-repo without args: want the hook installed and lockstep's usage error (exit 2), got exit %d:\n%s", r.code, r.out)
	}
}

// snapshot commits this checkout's files (tracked, and untracked but not
// ignored, so uncommitted work is what gets tested) to a new git repository
// at dir, as a user's clone of a release would be. Test data is left out:
// pre-commit only builds the module.
func snapshot(t *testing.T, git, dir string) string {
	t.Helper()
	ls := exec.Command(git, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	ls.Dir = repoRoot
	out, err := ls.Output()
	if err != nil {
		if inCI() {
			t.Fatalf("git ls-files in %s: %v (the pre-commit test needs a git checkout)", repoRoot, err)
		}
		t.Skipf("git ls-files in %s: %v (the pre-commit test needs a git checkout)", repoRoot, err)
	}
	for _, rel := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if rel == "" || strings.HasPrefix(rel, "testdata/") || strings.Contains(rel, "/testdata/") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(repoRoot, rel))
		if os.IsNotExist(err) {
			continue // deleted in the working tree, not yet in git
		}
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, rel, string(b))
	}
	env := commandEnv("")
	mustExec(t, dir, env, git, "init", "-q")
	mustExec(t, dir, env, git, "add", "-A")
	mustExec(t, dir, env, git, "-c", "user.name=lockstep tests", "-c", "user.email=tests@lockstep.invalid", "-c", "commit.gpgsign=false",
		"commit", "-q", "-m", "snapshot of the checkout under test")
	return dir
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
