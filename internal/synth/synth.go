// Package synth writes synthetic but realistically shaped Terraform plans
// for benchmarks: every resource appears in resource_changes, prior_state and
// planned_values, with the attribute mix of a typical cloud instance, so
// sizes per resource match what large real plans carry (about 10 KB).
package synth

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// Spec describes one environment's synthetic plan.
type Spec struct {
	Env       string
	Resources int
	// Staging gets the divergences: every 97th resource has a different
	// instance type, every 499th exists only here, every 251st is updated
	// by the plan.
	Divergent bool
}

// WritePlan writes a plan JSON document for spec.
func WritePlan(w io.Writer, spec Spec) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	objs := make([]map[string]any, spec.Resources)
	addrs := make([]string, spec.Resources)
	for i := range objs {
		addrs[i] = fmt.Sprintf("module.svc%d.aws_instance.web[%d]", i%50, i)
		objs[i] = instance(spec, i)
	}
	skip := func(i int) bool { return !spec.Divergent && i%499 == 0 }
	fmt.Fprintf(bw, `{"format_version":"1.2","terraform_version":"1.11.4","applyable":true,"complete":true,"errored":false,`)
	fmt.Fprintf(bw, `"variables":{"env":{"value":%q}},`, spec.Env)

	// each writes one comma-separated JSON element per resource present.
	each := func(write func(i int, o map[string]any)) {
		first := true
		for i, o := range objs {
			if skip(i) {
				continue
			}
			if !first {
				bw.WriteByte(',')
			}
			first = false
			write(i, o)
		}
	}
	bw.WriteString(`"planned_values":{"root_module":{"resources":[`)
	each(func(i int, o map[string]any) {
		vals, _ := json.Marshal(o)
		fmt.Fprintf(bw, `{"address":%q,"mode":"managed","type":"aws_instance","name":"web","index":%d,"provider_name":"registry.terraform.io/hashicorp/aws","schema_version":1,"values":%s,"sensitive_values":{"tags":{},"ebs_block_device":[{},{}],"user_data":true}}`, addrs[i], i, vals)
	})
	bw.WriteString(`]}},"resource_changes":[`)
	each(func(i int, o map[string]any) {
		before, _ := json.Marshal(o)
		after := before
		action := "no-op"
		if spec.Divergent && i%251 == 0 {
			o2 := instance(spec, i)
			o2["monitoring"] = true
			after, _ = json.Marshal(o2)
			action = "update"
		}
		fmt.Fprintf(bw, `{"address":%q,"module_address":"module.svc%d","mode":"managed","type":"aws_instance","name":"web","index":%d,"provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":[%q],"before":%s,"after":%s,"after_unknown":{},"before_sensitive":{"user_data":true,"tags":{}},"after_sensitive":{"user_data":true,"tags":{}}}}`,
			addrs[i], i%50, i, action, before, after)
	})
	bw.WriteString(`],"prior_state":{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{"resources":[`)
	each(func(i int, o map[string]any) {
		vals, _ := json.Marshal(o)
		fmt.Fprintf(bw, `{"address":%q,"mode":"managed","type":"aws_instance","name":"web","index":%d,"provider_name":"registry.terraform.io/hashicorp/aws","schema_version":1,"values":%s,"sensitive_values":{"user_data":true}}`, addrs[i], i, vals)
	})
	bw.WriteString(`]}}},"configuration":{"root_module":{}}}`)
	return bw.Flush()
}

func instance(spec Spec, i int) map[string]any {
	itype := "m5.large"
	if spec.Divergent && i%97 == 0 {
		itype = "m5.xlarge"
	}
	envHash := len(spec.Env) * 7919
	ebs := func(n int) map[string]any {
		return map[string]any{
			"delete_on_termination": true, "device_name": fmt.Sprintf("/dev/sd%c", 'b'+n),
			"encrypted": true, "iops": 3000, "kms_key_id": "", "snapshot_id": "", "tags": map[string]any{},
			"throughput": 125, "volume_id": fmt.Sprintf("vol-%08x%d", i*31+envHash, n), "volume_size": 100, "volume_type": "gp3",
		}
	}
	o := map[string]any{
		"id":                                   fmt.Sprintf("i-%012x", i*7+envHash),
		"arn":                                  fmt.Sprintf("arn:aws:ec2:eu-west-1:12345678%04d:instance/i-%012x", envHash%10000, i*7+envHash),
		"ami":                                  "ami-0c55b159cbfafe1f0",
		"associate_public_ip_address":          false,
		"availability_zone":                    fmt.Sprintf("eu-west-1%c", 'a'+i%3),
		"cpu_core_count":                       2,
		"cpu_threads_per_core":                 2,
		"disable_api_stop":                     false,
		"disable_api_termination":              false,
		"ebs_optimized":                        true,
		"get_password_data":                    false,
		"hibernation":                          false,
		"host_id":                              "",
		"iam_instance_profile":                 fmt.Sprintf("web-%s-profile", spec.Env),
		"instance_initiated_shutdown_behavior": "stop",
		"instance_state":                       "running",
		"instance_type":                        itype,
		"ipv6_address_count":                   0,
		"ipv6_addresses":                       []any{},
		"key_name":                             fmt.Sprintf("deploy-%s", spec.Env),
		"monitoring":                           false,
		"outpost_arn":                          "",
		"password_data":                        "",
		"placement_group":                      "",
		"placement_partition_number":           0,
		"primary_network_interface_id":         fmt.Sprintf("eni-%012x", i*13+envHash),
		"private_dns":                          fmt.Sprintf("ip-10-%d-%d-%d.eu-west-1.compute.internal", envHash%200, i/250%250, i%250),
		"private_ip":                           fmt.Sprintf("10.%d.%d.%d", envHash%200, i/250%250, i%250),
		"public_dns":                           "",
		"public_ip":                            "",
		"secondary_private_ips":                []any{},
		"security_groups":                      []any{},
		"source_dest_check":                    true,
		"subnet_id":                            fmt.Sprintf("subnet-%08x", envHash+i%3),
		"tenancy":                              "default",
		"user_data":                            fmt.Sprintf("c2VjcmV0LXRva2VuLSVz-%s", spec.Env),
		"user_data_replace_on_change":          false,
		"vpc_security_group_ids":               []any{fmt.Sprintf("sg-%08x", envHash), fmt.Sprintf("sg-%08x", envHash+1)},
		"tags":                                 map[string]any{"Name": fmt.Sprintf("web-%s-%d", spec.Env, i), "Environment": spec.Env, "Team": "platform", "Service": fmt.Sprintf("svc%d", i%50), "CostCenter": "cc-1234"},
		"tags_all":                             map[string]any{"Name": fmt.Sprintf("web-%s-%d", spec.Env, i), "Environment": spec.Env, "Team": "platform", "Service": fmt.Sprintf("svc%d", i%50), "CostCenter": "cc-1234", "ManagedBy": "terraform"},
		"ebs_block_device":                     []any{ebs(0), ebs(1)},
		"root_block_device":                    []any{map[string]any{"delete_on_termination": true, "device_name": "/dev/xvda", "encrypted": true, "iops": 3000, "kms_key_id": "", "tags": map[string]any{}, "throughput": 125, "volume_id": fmt.Sprintf("vol-r%08x", i+envHash), "volume_size": 50, "volume_type": "gp3"}},
		"metadata_options":                     []any{map[string]any{"http_endpoint": "enabled", "http_protocol_ipv6": "disabled", "http_put_response_hop_limit": 2, "http_tokens": "required", "instance_metadata_tags": "disabled"}},
		"credit_specification":                 []any{},
		"capacity_reservation_specification":   []any{map[string]any{"capacity_reservation_preference": "open", "capacity_reservation_target": []any{}}},
		"enclave_options":                      []any{map[string]any{"enabled": false}},
		"maintenance_options":                  []any{map[string]any{"auto_recovery": "default"}},
		"private_dns_name_options":             []any{map[string]any{"enable_resource_name_dns_a_record": false, "enable_resource_name_dns_aaaa_record": false, "hostname_type": "ip-name"}},
		"network_interface":                    []any{},
		"launch_template":                      []any{},
		"timeouts":                             nil,
		"volume_tags":                          nil,
	}
	return o
}
