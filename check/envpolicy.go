package check

import (
	"context"
	"errors"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockstep-iac/lockstep/internal/parallel"
	"github.com/lockstep-iac/lockstep/parser"
	"github.com/lockstep-iac/lockstep/policy"
	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/snapshot"
	"github.com/lockstep-iac/lockstep/workdir"
)

// envDocs are what the --env-policy rules read: each environment's input
// as Terraform wrote it (by input, in promotion order), and the run's
// secrets, which hide what those rules print, since the documents they
// read are not redacted.
type envDocs struct {
	docs  []map[string]any
	marks *parser.Marks
}

// readRawDocs reads every source again as written, only when --env-policy
// rules will read them: a file from disk, a working directory's from the
// bytes Terraform gave.
func readRawDocs(sources []string, live map[string]*workdir.Result, limit int64) ([]map[string]any, error) {
	docs := make([]map[string]any, len(sources))
	errs := make([]error, len(sources))
	parallel.Each(len(sources), func(i int) {
		switch r := live[sources[i]]; {
		case r != nil && r.Path != "": // a state file left in place
			docs[i], errs[i] = parser.RawDocumentFile(r.Path, limit)
		case r != nil:
			docs[i], errs[i] = parser.RawDocument(r.Name, r.Data)
		default:
			docs[i], errs[i] = parser.RawDocumentFile(sources[i], limit)
		}
	})
	return docs, errors.Join(errs...)
}

// evaluateEnv runs the --env-policy rules once per environment, in
// promotion order, each over that environment's document.
func evaluateEnv(ctx context.Context, engine *policy.Engine, inputs []Input, snaps []*snapshot.Snapshot, env *envDocs, s policy.Settings) ([]report.Finding, error) {
	if env == nil || !engine.HasEnvRules() {
		return nil, nil
	}
	var out []report.Finding
	for i, in := range inputs {
		doc, err := ast.InterfaceToValue(env.docs[i])
		if err != nil {
			return nil, &parser.InputError{File: in.Path, Problem: "converting it for --env-policy: " + err.Error()}
		}
		fs, err := engine.EvaluateEnv(ctx, policy.EnvInput{Name: in.Name, Kind: string(snaps[i].Kind), Document: doc, Redact: env.marks.RedactText}, s)
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	}
	return out, nil
}
