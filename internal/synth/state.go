package synth

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// WriteState writes a raw state file (version 4, what `terraform state
// pull` prints and a local backend keeps) holding the same instances as
// WritePlan's prior state, for benchmarks of reading state from where
// Terraform keeps it. Applying 10,000 resources with real Terraform takes
// far longer than a benchmark's setup can, so the file is generated; the
// benchmark then has real Terraform read it.
func WriteState(w io.Writer, spec Spec, lineage string) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintf(bw, "{\n  \"version\": 4,\n  \"terraform_version\": \"1.11.4\",\n  \"serial\": 7,\n  \"lineage\": %q,\n  \"outputs\": {},\n  \"resources\": [", lineage)
	const modules = 50
	for m := 0; m < modules; m++ {
		if m > 0 {
			bw.WriteByte(',')
		}
		fmt.Fprintf(bw, `{"module":"module.svc%d","mode":"managed","type":"aws_instance","name":"web","provider":"provider[\"registry.terraform.io/hashicorp/aws\"]","instances":[`, m)
		first := true
		for i := m; i < spec.Resources; i += modules {
			if !spec.Divergent && i%499 == 0 {
				continue
			}
			if !first {
				bw.WriteByte(',')
			}
			first = false
			attrs, err := json.Marshal(instance(spec, i))
			if err != nil {
				return err
			}
			fmt.Fprintf(bw, `{"index_key":%d,"schema_version":1,"attributes":%s,"sensitive_attributes":[[{"type":"get_attr","value":"user_data"}]]}`, i, attrs)
		}
		bw.WriteString("]}")
	}
	bw.WriteString("],\n  \"check_results\": null\n}\n")
	return bw.Flush()
}
