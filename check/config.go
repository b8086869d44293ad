package check

import (
	"errors"
	"io/fs"
	"os"
	"slices"

	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/internal/readfile"
	"github.com/lockstep-iac/lockstep/policy"
)

// Settings turns lockstep.hcl's rule blocks into engine settings.
func Settings(c *config.Config) policy.Settings {
	s := policy.Settings{}
	if c == nil {
		return s
	}
	for _, r := range c.Rules {
		s[r.ID] = policy.Setting{Disabled: r.Enabled != nil && !*r.Enabled, Severity: r.Severity}
	}
	return s
}

// LoadConfig reads lockstep.hcl: the path given, which must exist, or
// DefaultConfigFile when path is "" and it exists. Waivers may name any
// rule of the engine that judges the facts, built-in or user; rule blocks
// may name any rule. A nil engine checks no rule id (see WithEnvPolicy).
func LoadConfig(path string, engine *policy.Engine) (*config.Config, error) {
	explicit := path != ""
	if !explicit {
		path = DefaultConfigFile
		// Only a name that is not there at all means "no config": a
		// dangling link, a loop, a directory or an unreadable file is
		// reported, since ignoring it would silently drop every waiver and
		// declared difference.
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
	}
	var copts config.Options
	if engine != nil {
		copts = config.Options{KnownRules: engine.IDs(""), AllRules: engine.IDs("*")}
	}
	cfg, err := config.Load(path, copts)
	var re *readfile.Error
	if explicit && errors.As(err, &re) && re.Hint == "" && errors.Is(err, fs.ErrNotExist) {
		return nil, &ConfigNotFoundError{Path: path, Err: err}
	}
	return cfg, err
}

// withEnvPolicy adds lockstep.hcl's env_policy block to the engine's
// options: its directories after --env-policy's, its namespaces unless
// --namespace or --all-namespaces chose. The config is read before the
// engine exists (and read again, checked against the engine's rules, once
// it does), since the engine compiles those directories.
//
// A config that does not load here is reported by the second reading, with
// every problem (rule ids included) at once.
func WithEnvPolicy(opts policy.Options, configFile string) policy.Options {
	cfg, err := LoadConfig(configFile, nil)
	return withEnvPolicy(opts, cfg, err)
}

// withEnvPolicy is WithEnvPolicy with the config already read, unchecked.
func withEnvPolicy(opts policy.Options, cfg *config.Config, err error) policy.Options {
	if err != nil || cfg == nil || cfg.EnvPolicy == nil {
		return opts
	}
	ep := cfg.EnvPolicy
	opts.EnvPolicyDirs = append(slices.Clip(opts.EnvPolicyDirs), ep.Dirs...)
	if len(opts.Namespaces) == 0 && !opts.AllNamespaces {
		opts.Namespaces, opts.AllNamespaces = ep.Namespaces, ep.AllNamespaces
	}
	return opts
}
