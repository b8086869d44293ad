package check

import (
	"errors"
	"io/fs"
	"os"

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
// may name any rule.
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
	cfg, err := config.Load(path, config.Options{KnownRules: engine.IDs(""), AllRules: engine.IDs("*")})
	var re *readfile.Error
	if explicit && errors.As(err, &re) && re.Hint == "" && errors.Is(err, fs.ErrNotExist) {
		return nil, &ConfigNotFoundError{Path: path, Err: err}
	}
	return cfg, err
}
