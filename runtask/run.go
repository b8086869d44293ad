package runtask

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/hcp"
)

// callbackMargin is kept free at the end of the token's life for the final
// callback's retries.
const callbackMargin = 30 * time.Second

// run does one request: a running callback, the check, the final
// callback. Whatever happens, it ends with exactly one passed or failed
// callback (unless HCP Terraform cannot be reached at all, which is
// logged).
func (s *Server) run(j job) {
	req := j.req
	log := s.Log.With(req.LogAttrs()...)
	start := time.Now()
	// The final callback must go out while the token lives, even when the
	// run was cancelled: it gets its own deadline.
	cbCtx, cbCancel := context.WithDeadline(context.Background(), j.received.Add(TokenLife-5*time.Second))
	defer cbCancel()
	runTimeout := min(or64d(s.RunTimeout, DefaultRunTimeout), time.Until(j.received.Add(TokenLife-callbackMargin)))
	ctx, cancel := context.WithTimeout(s.runCtx, runTimeout)
	defer cancel()

	var res Result
	if err := s.callback(ctx, req, Result{Status: StatusRunning, Message: "lockstep: comparing " + req.Workspace() + "'s plan with the environment before it"}); err != nil {
		log.Warn("running callback failed", "error", err.Error())
	}
	res = s.evaluate(ctx, req, log)
	if err := ctx.Err(); err != nil && res.Status == StatusPassed {
		res = failure("lockstep did not finish in time", err) // never a pass that was not reached
	}
	if err := s.callback(cbCtx, req, res); err != nil {
		log.Error("final callback failed: HCP Terraform will time the task out", "status", res.Status, "error", err.Error())
		return
	}
	log.Info("run finished", "status", res.Status, "outcomes", len(res.Outcomes), "duration_ms", time.Since(start).Milliseconds())
}

func or64d(v, d time.Duration) time.Duration {
	if v > 0 {
		return v
	}
	return d
}

func (s *Server) callback(ctx context.Context, req *Request, res Result) error {
	doc, err := res.Document(req.Capabilities.Outcomes)
	if err != nil {
		return err
	}
	return s.HCP.Callback(ctx, req.TaskResultCallbackURL, string(req.AccessToken), doc)
}

// failure is a failed result for a run lockstep could not complete: the
// message says why in one line (it never holds a token: the hcp package's
// errors carry no token and no signed query).
func failure(what string, err error) Result {
	msg := "lockstep: " + what
	if err != nil {
		msg += ": " + err.Error()
	}
	if errors.Is(err, context.Canceled) {
		msg = "lockstep: " + what + ": lockstep serve stopped before the run finished; run it again"
	}
	return Result{Status: StatusFailed, Message: clip(msg, 1000)}
}

// evaluate maps the run's workspace to its environment, finds the
// environment before it in the promotion order, and checks the run's plan
// against that environment's current state.
func (s *Server) evaluate(ctx context.Context, req *Request, log *slog.Logger) Result {
	switch req.Stage {
	case StagePostPlan, StagePreApply:
	default:
		return failure(fmt.Sprintf("stage %q has no plan to check; attach the run task at pre_apply (or post_plan)", req.Stage), nil)
	}
	if req.PlanJSONAPIURL == "" {
		return failure("the request has no plan_json_api_url", nil)
	}
	cfg := s.Config
	env, stack, ok, err := cfg.HCPMatch(req.Workspace())
	if err != nil {
		return failure("cannot tell the environment", err)
	}
	if !ok {
		return failure(fmt.Sprintf("workspace %s is not an environment of %s: set hcp_workspace in its environment block", req.Workspace(), cfg.Filename), nil)
	}
	at := slices.Index(cfg.Promotion, env)
	switch {
	case len(cfg.Promotion) == 0:
		return failure(fmt.Sprintf("%s declares no promotion order, so there is no environment before %s to compare it with: set promotion", cfg.Filename, env), nil)
	case at < 0:
		return failure(fmt.Sprintf("environment %s is not in the promotion order of %s", env, cfg.Filename), nil)
	case at == 0:
		return Result{Status: StatusPassed, Message: fmt.Sprintf("lockstep: %s is first in the promotion order: there is no environment before it to compare it with", env)}
	}
	prev := cfg.Promotion[at-1]
	prevWS := cfg.HCPWorkspaceOf(prev, stack)
	if prevWS == "" {
		return failure(fmt.Sprintf("environment %s, before %s in the promotion order, has no hcp_workspace in %s", prev, env, cfg.Filename), nil)
	}
	plan, err := s.HCP.PlanJSON(ctx, req.PlanJSONAPIURL, string(req.AccessToken))
	if err != nil {
		return failure("cannot read the run's plan", err)
	}
	opts := s.Check
	opts.Inputs = []check.Input{{Name: prev, Path: hcp.Prefix + prevWS}, {Name: env, Path: hcp.Prefix + req.Workspace()}}
	opts.InputData = map[string][]byte{env: plan}
	opts.Target = env
	opts.HCP = s.HCP
	opts.Outputs = check.Destinations{}
	out, err := check.Evaluate(ctx, opts, s.Engine, cfg)
	if err != nil {
		return failure(fmt.Sprintf("cannot compare %s with %s", env, prev), err)
	}
	rep := out.Report
	log.Info("checked", "environment", env, "compared_with", prev, "errors", rep.Summary.Errors, "warnings", rep.Summary.Warnings, "waived", rep.Summary.Waived)
	return Verdict(rep, opts.FailOn.Fails(rep), fmt.Sprintf("comparing %s (%s) with %s (%s)", env, req.Workspace(), prev, prevWS), s.MaxOutcomes)
}
