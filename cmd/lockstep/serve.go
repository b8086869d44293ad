package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/hcp"
	"github.com/lockstep-iac/lockstep/policy"
	"github.com/lockstep-iac/lockstep/runtask"
)

type serveFlags struct {
	configPath, listen, tlsCert, tlsKey, keyFile, failOn string
	policies                                             []string
	policyTimeout, runTimeout, grace                     time.Duration
	workers, queue, maxOutcomes                          int
}

func newServeCommand(stderr io.Writer) *cobra.Command {
	var fl serveFlags
	cmd := &cobra.Command{
		Use:   "serve --config lockstep.hcl [--listen :8080]",
		Short: "Run as an HCP Terraform run task: check each run's plan against the environment before it",
		Long: `lockstep serve is the endpoint of an HCP Terraform (or Terraform Enterprise) run task.
Attach it to the workspaces at the pre_apply stage; see docs/hcp-run-task.md.

The run task's HMAC key comes from LOCKSTEP_HMAC_KEY or --hmac-key-file, never a flag.
The API token that reads the earlier environments' state comes from LOCKSTEP_HCP_TOKEN
(or TF_TOKEN_app_terraform_io); LOCKSTEP_HCP_ADDRESS names Terraform Enterprise.
Serve it over TLS (--tls-cert, --tls-key) or behind a proxy that terminates TLS.`,
		Example: `  LOCKSTEP_HMAC_KEY=... LOCKSTEP_HCP_TOKEN=... lockstep serve --config lockstep.hcl --listen :8443 --tls-cert cert.pem --tls-key key.pem`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			srv, err := fl.server(ctx, stderr)
			if err != nil {
				return err
			}
			return runtask.Listen(ctx, srv, fl.listen, fl.tlsCert, fl.tlsKey, fl.grace)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.configPath, "config", check.DefaultConfigFile, "lockstep.hcl: the promotion order and each environment's hcp_workspace")
	f.StringVar(&fl.listen, "listen", ":8080", "the address to listen on")
	f.StringVar(&fl.tlsCert, "tls-cert", "", "serve TLS with this certificate (PEM); without it, put lockstep serve behind a proxy that terminates TLS")
	f.StringVar(&fl.tlsKey, "tls-key", "", "the private key of --tls-cert (PEM)")
	f.StringVar(&fl.keyFile, "hmac-key-file", "", "read the run task's HMAC key from this file instead of $"+runtask.EnvHMACKey)
	f.StringVar(&fl.failOn, "fail-on", check.FailOnError.String(), "fail the run task when findings reach this severity: error, warning or never")
	f.StringArrayVar(&fl.policies, "policy", nil, "a directory of your own Rego rules (repeat)")
	f.DurationVar(&fl.policyTimeout, "policy-timeout", check.DefaultPolicyTimeout, "stop evaluating one run's rules after this long")
	f.DurationVar(&fl.runTimeout, "run-timeout", runtask.DefaultRunTimeout, "fail a run that takes longer (the run's token lives 10 minutes)")
	f.DurationVar(&fl.grace, "shutdown-grace", time.Minute, "on SIGTERM, let runs in flight finish this long before calling them back failed")
	f.IntVar(&fl.workers, "workers", runtask.DefaultWorkers, "runs checked at once")
	f.IntVar(&fl.queue, "queue", runtask.DefaultQueue, "runs waiting for a worker; more are answered 503 and retried by HCP Terraform")
	f.IntVar(&fl.maxOutcomes, "max-outcomes", runtask.DefaultMaxOutcomes, "findings shown one by one in HCP Terraform; the rest are summarised in the last")
	return cmd
}

// server turns the flags and the environment into a runtask.Server.
func (fl serveFlags) server(ctx context.Context, stderr io.Writer) (*runtask.Server, error) {
	failOn, err := parseFailOn(fl.failOn)
	if err != nil {
		return nil, err
	}
	if (fl.tlsCert == "") != (fl.tlsKey == "") {
		return nil, &check.UsageError{Msg: "--tls-cert and --tls-key go together: give both, or neither to serve plain HTTP behind a TLS proxy"}
	}
	if fl.runTimeout <= 0 || fl.runTimeout > runtask.TokenLife-time.Minute {
		return nil, &check.UsageError{Msg: fmt.Sprintf("--run-timeout %s: give a duration up to 9m, under the 10 minutes the run's token lives", fl.runTimeout)}
	}
	if fl.workers <= 0 || fl.queue <= 0 || fl.maxOutcomes <= 0 {
		return nil, &check.UsageError{Msg: "--workers, --queue and --max-outcomes must be positive"}
	}
	key, err := runtask.LoadHMACKey(os.Getenv, fl.keyFile)
	if err != nil {
		return nil, &check.UsageError{Msg: err.Error()}
	}
	client := hcp.FromEnv(os.Getenv)
	if err := client.Err(); err != nil {
		return nil, &check.UsageError{Msg: err.Error()}
	}
	if client.Token == "" {
		return nil, &check.UsageError{Msg: "no HCP Terraform API token to read the earlier environments' state: set " + client.TokenSource}
	}
	engine, err := policy.New(ctx, policy.Options{PolicyDirs: fl.policies})
	if err != nil {
		return nil, err
	}
	cfg, err := check.LoadConfig(fl.configPath, engine)
	if err != nil {
		return nil, err
	}
	if err := runtask.CheckConfig(cfg); err != nil {
		return nil, &check.UsageError{Msg: err.Error()}
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	if len(key) == 0 {
		log.Warn("no HMAC key: requests are not authenticated; set " + runtask.EnvHMACKey + " to the run task's key")
	}
	return &runtask.Server{Config: cfg, Engine: engine, HCP: client, HMACKey: key, Log: log,
		Check:   check.Options{FailOn: failOn, PolicyTimeout: fl.policyTimeout},
		Workers: fl.workers, Queue: fl.queue, RunTimeout: fl.runTimeout, MaxOutcomes: fl.maxOutcomes}, nil
}
