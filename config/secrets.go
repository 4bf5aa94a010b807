package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
)

// maxSecretFile bounds a secret file: credentials are short, and a path
// pointing at something large by mistake must not be read whole.
const maxSecretFile = 64 << 10

// fromEnv returns the setting's value from the environment: NAME, or for a
// secret the contents of the file named by NAME_FILE (Docker secrets and
// systemd credentials provide such files). Setting both is an error naming
// both, since either choice could be the wrong one.
func (s setting) fromEnv(getenv func(string) string) (string, error) {
	v := getenv(s.env)
	if s.secret == public {
		return v, nil
	}
	path := getenv(s.env + "_FILE")
	if path == "" {
		return v, nil
	}
	if v != "" {
		return "", fmt.Errorf("%s and %s_FILE are both set: set only one", s.env, s.env)
	}
	return readSecretFile(s.env+"_FILE", path)
}

// readSecretFile reads a secret from path, without its trailing line
// break (files written by echo or an editor end with one). An empty or
// unreadable file is an error naming the setting, never the secret.
func readSecretFile(setting, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", setting, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	if err != nil {
		return "", fmt.Errorf("%s: reading %s: %w", setting, path, err)
	}
	if len(b) > maxSecretFile {
		return "", fmt.Errorf("%s: %s is larger than %d KiB, not a secret", setting, path, maxSecretFile>>10)
	}
	v := strings.TrimRight(string(b), "\r\n")
	if v == "" {
		return "", fmt.Errorf("%s: %s is empty", setting, path)
	}
	return v, nil
}

// secretSource is where a secret setting may come from besides its flag:
// the environment (NAME or NAME_FILE, already read) and --flag-file.
type secretSource struct {
	env  string
	file *string
}

// applySecrets sets every secret from its flag, its --flag-file or the
// environment, in that order; it refuses a secret given both as --flag and
// --flag-file, and records a warning for a secret given as a plain flag: a
// command line is readable by every local user (ps, /proc/<pid>/cmdline)
// and stays in shell history.
func (c *Config) applySecrets(fs *flag.FlagSet, sources map[string]secretSource) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var errs []error
	for _, s := range settings {
		src, ok := sources[s.flag]
		if !ok {
			continue
		}
		switch {
		case set[s.flag] && set[s.flag+"-file"]:
			errs = append(errs, fmt.Errorf("%s: --%s and --%s-file are both given: give only one", s.env, s.flag, s.flag))
		case set[s.flag+"-file"]:
			v, err := readSecretFile("--"+s.flag+"-file", *src.file)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", s.env, err))
			}
			*s.field(c) = v
		case set[s.flag]:
			if s.exposed(*s.field(c)) {
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s was given as the flag --%s: every local user can read it "+
					"(ps, /proc/<pid>/cmdline) and it stays in shell history; use $%s_FILE or --%s-file instead", s.env, s.flag, s.env, s.flag))
			}
		default:
			*s.field(c) = src.env
		}
	}
	return errors.Join(errs...)
}

// exposed reports whether v, given on a command line, shows a secret.
func (s setting) exposed(v string) bool {
	if v == "" {
		return false
	}
	if s.secret == secretURL {
		u, err := url.Parse(v)
		if err != nil {
			return true // cannot tell: assume it carries one
		}
		_, hasPassword := u.User.Password()
		return hasPassword
	}
	return true
}
