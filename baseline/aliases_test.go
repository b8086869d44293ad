package baseline

import (
	"reflect"
	"testing"

	"github.com/lockstep-iac/lockstep/policy"
)

// TestGuessAliases: an alias is a known spelling of the environment's name
// found among its own resources' words and nobody else's.
func TestGuessAliases(t *testing.T) {
	env := func(addrs map[string]any) *policy.EnvDocument {
		e := &policy.EnvDocument{Resources: map[string]map[string]any{}}
		for a, v := range addrs {
			e.Resources[a] = map[string]any{"now": v}
		}
		return e
	}
	for _, tc := range []struct {
		name string
		envs map[string]*policy.EnvDocument
		want []Environment
	}{
		{"from an address and from a nested value",
			map[string]*policy.EnvDocument{
				"staging":    env(map[string]any{"aws_s3_bucket.logs_stg": nil}),
				"production": env(map[string]any{"aws_s3_bucket.logs": map[string]any{"tags": map[string]any{"Name": "logs-PROD"}}}),
			},
			[]Environment{{Name: "staging", Aliases: []Alias{{Token: "stg", Evidence: "aws_s3_bucket.logs_stg"}}},
				{Name: "production", Aliases: []Alias{{Token: "prod", Evidence: "aws_s3_bucket.logs", InValues: true}}}}},
		{"a word in two environments, a part of a word, an unknown name: no guess",
			map[string]*policy.EnvDocument{
				"staging":    env(map[string]any{"aws_instance.a": map[string]any{"x": "replica-of-prod"}}),
				"production": env(map[string]any{"aws_instance.prod": nil, "aws_instance.product": nil}),
				"blue":       env(map[string]any{"aws_instance.b": map[string]any{"x": "green"}}),
			},
			[]Environment{{Name: "staging"}, {Name: "production"}, {Name: "blue"}}},
		{"a short name gets the long spelling",
			map[string]*policy.EnvDocument{
				"dev":  env(map[string]any{"aws_instance.development_box": nil}),
				"prod": env(map[string]any{"aws_instance.a": []any{"live"}}),
			},
			[]Environment{{Name: "dev", Aliases: []Alias{{Token: "development", Evidence: "aws_instance.development_box"}}},
				{Name: "prod", Aliases: []Alias{{Token: "live", Evidence: "aws_instance.a", InValues: true}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := &policy.Document{Env: tc.envs}
			var names []string
			for _, w := range tc.want {
				names = append(names, w.Name)
			}
			got := guessAliasesOf(names, doc)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}
