package workdir

import (
	"reflect"
	"testing"
)

// TestDroppedVariables: the TF_VAR_ variables a plan does not get are
// named, sorted and once; other variables pass to Terraform.
func TestDroppedVariables(t *testing.T) {
	for _, tc := range []struct {
		name    string
		environ []string
		want    []string
	}{
		{"none", []string{"HOME=/root", "AWS_PROFILE=x"}, nil},
		{"sorted, once", []string{"TF_VAR_b=2", "PATH=/bin", "TF_VAR_a=secret", "TF_VAR_b=3"}, []string{"TF_VAR_a", "TF_VAR_b"}},
		{"empty value", []string{"TF_VAR_region="}, []string{"TF_VAR_region"}},
		{"not a variable", []string{"TF_VARS=1", "XTF_VAR_a=1"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := DroppedVariables(tc.environ); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			env := commandEnv(tc.environ, "/data")
			for _, k := range tc.want {
				if _, has := env[k]; has {
					t.Errorf("%s is passed to Terraform, yet named as dropped", k)
				}
			}
			if env["TF_DATA_DIR"] != "/data" {
				t.Errorf("TF_DATA_DIR = %q", env["TF_DATA_DIR"])
			}
		})
	}
}
