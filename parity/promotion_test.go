package parity_test

import (
	"testing"

	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/snapshot"
)

func TestPromotion(t *testing.T) {
	stagingNow := vals{"ver": "14", "size": "small", "password": sens("s1")}
	tests := []struct {
		name        string
		staging     *snapshot.Resource // nil: staging lacks the resource
		production  *snapshot.Resource
		target      string
		want        *parity.Promotion
		wantDiffers bool
	}{
		{
			name:       "target updates a path previous lacks",
			staging:    res("aws_x.a", vals{"ver": "14", "size": "small", "password": sens("s1")}),
			production: planned("aws_x.a", vals{"ver": "14", "size": "large", "password": sens("p1")}, vals{"ver": "15", "size": "large", "password": sens("p2")}, "update"),
			target:     "production",
			want: &parity.Promotion{Previous: "staging", PreviousHas: true, Action: "update",
				Paths: []parity.PromotionPath{{Path: "ver", Target: "15", Previous: "14"}}},
		},
		{
			name:       "previous already has it",
			staging:    res("aws_x.a", vals{"ver": "15", "size": "small"}),
			production: planned("aws_x.a", vals{"ver": "14", "size": "large"}, vals{"ver": "15", "size": "large"}, "update"),
			target:     "production",
			want:       &parity.Promotion{Previous: "staging", PreviousHas: true, Action: "update", Paths: []parity.PromotionPath{}},
		},
		{
			name:       "secret made plain",
			staging:    res("aws_x.a", stagingNow),
			production: planned("aws_x.a", vals{"ver": "14", "password": sens("p1")}, vals{"ver": "14", "password": "plain"}, "update"),
			target:     "production",
			want: &parity.Promotion{Previous: "staging", PreviousHas: true, Action: "update",
				Paths: []parity.PromotionPath{{Path: "password", Target: "plain", Previous: report.SensitiveText}}},
		},
		{
			name:       "target creates what previous lacks",
			production: planned("aws_x.a", nil, vals{"ver": "15"}, "create"),
			target:     "production",
			want:       &parity.Promotion{Previous: "staging", PreviousHas: false, Action: "create", Paths: []parity.PromotionPath{}},
		},
		{
			name:       "target creates what previous has",
			staging:    res("aws_x.a", vals{"ver": "14", "size": "small"}),
			production: planned("aws_x.a", nil, vals{"ver": "15", "size": "small"}, "create"),
			target:     "production",
			want: &parity.Promotion{Previous: "staging", PreviousHas: true, Action: "create",
				Paths: []parity.PromotionPath{{Path: "ver", Target: "15", Previous: "14"}}},
		},
		{
			name:       "target deletes",
			staging:    res("aws_x.a", vals{"ver": "14"}),
			production: planned("aws_x.a", vals{"ver": "14"}, nil, "delete"),
			target:     "production",
			want:       &parity.Promotion{Previous: "staging", PreviousHas: true, Action: "delete", Paths: []parity.PromotionPath{}},
		},
		{
			name:       "unknown target value is no path",
			staging:    res("aws_x.a", vals{"ver": "14", "out": "x"}),
			production: withUnknown(planned("aws_x.a", vals{"ver": "14", "out": "y"}, vals{"ver": "15"}, "update"), vals{"out": true}),
			target:     "production",
			want: &parity.Promotion{Previous: "staging", PreviousHas: true, Action: "update",
				Paths: []parity.PromotionPath{{Path: "ver", Target: "15", Previous: "14"}}},
		},
		{
			name:       "no-op target",
			staging:    res("aws_x.a", vals{"ver": "14"}),
			production: planned("aws_x.a", vals{"ver": "15"}, vals{"ver": "15"}, "no-op"),
			target:     "production",
		},
		{
			name:       "target first in the chain",
			staging:    planned("aws_x.a", vals{"ver": "14"}, vals{"ver": "15"}, "update"),
			production: res("aws_x.a", vals{"ver": "14"}),
			target:     "staging",
		},
		{
			name:       "no target",
			staging:    res("aws_x.a", vals{"ver": "14"}),
			production: planned("aws_x.a", vals{"ver": "14"}, vals{"ver": "15"}, "update"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			staging := snap()
			if tt.staging != nil {
				staging = snap(tt.staging)
			}
			f := build(t, parity.Options{
				Envs:   []parity.Env{env("staging", staging), env("production", snap(tt.production))},
				Target: tt.target,
			})
			if f.Target != tt.target {
				t.Errorf("Target = %q", f.Target)
			}
			wantPrev := ""
			if tt.target == "production" {
				wantPrev = "staging"
			}
			if f.Previous != wantPrev {
				t.Errorf("Previous = %q, want %q", f.Previous, wantPrev)
			}
			got := resource(t, f, "aws_x.a").Promotion
			if mustJSON(t, got) != mustJSON(t, tt.want) {
				t.Errorf("promotion\n%s\nwant\n%s", mustJSON(t, got), mustJSON(t, tt.want))
			}
		})
	}
}
