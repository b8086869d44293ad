package workdir

import (
	"slices"
	"strings"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// commandEnv is the environment every Terraform command gets: the user's
// own, credentials included, with TF_DATA_DIR pointing at the private data
// directory. terraform-exec refuses the variables it manages itself
// (TF_LOG, TF_CLI_ARGS, TF_VAR_...) in an explicit environment, so they
// are left out; DroppedVariables names the ones that matter to a plan.
func commandEnv(environ []string, dataDir string) map[string]string {
	vars := map[string]string{}
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	vars = tfexec.CleanEnv(vars)
	vars["TF_DATA_DIR"] = dataDir
	return vars
}

// DroppedVariables names, sorted, the TF_VAR_ variables of environ that
// commandEnv leaves out: input variables a plan run by hand would see and
// a plan run by lockstep does not. Only the names: values may be secrets.
func DroppedVariables(environ []string) []string {
	var names []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "TF_VAR_") {
			if _, kept := commandEnv([]string{kv}, "")[k]; !kept {
				names = append(names, k)
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}
