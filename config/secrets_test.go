package config

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// secretValue is a valid value for each secret setting, so that every one
// can be set at once and pass validation.
func secretValue(s setting) string {
	switch s.env {
	case "MONGODB_URI":
		return "mongodb://lantoa:mật-khẩu@db1:27017/?replicaSet=rs0"
	case "PORTAL_WEBHOOK_URL", "LOUDSPEAKER_WEBHOOK_URL":
		return "https://hook:pw@portal.example/" + strings.ToLower(s.flag)
	}
	return "secret-of-" + s.flag + "-0123456789"
}

func writeSecret(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func secretSettings(t *testing.T) []setting {
	var out []setting
	for _, s := range settings {
		if s.secret != public {
			out = append(out, s)
		}
	}
	// The brief's list, so that a secret cannot silently lose its _FILE.
	for _, want := range []string{"MONGODB_URI", "LANTOA_ADMIN_PASSWORD", "FACEBOOK_PAGE_TOKEN", "FACEBOOK_APP_SECRET",
		"ZALO_APP_SECRET", "ZALO_REFRESH_TOKEN", "PORTAL_WEBHOOK_SECRET", "LOUDSPEAKER_WEBHOOK_SECRET", "LANTOA_METRICS_TOKEN"} {
		found := false
		for _, s := range out {
			found = found || s.env == want
		}
		if !found {
			t.Errorf("%s is not a secret setting", want)
		}
	}
	return out
}

// TestEverySecretReadsFromFile sets every secret through NAME_FILE (files
// ending with a line break, one with CR LF) and through --flag-file.
func TestEverySecretReadsFromFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := map[string]string{}
	var args []string
	for i, s := range secretSettings(t) {
		ending := "\n"
		if i%2 == 1 {
			ending = "\r\n"
		}
		e[s.env+"_FILE"] = writeSecret(t, dir, s.env, secretValue(s)+ending)
		args = append(args, "--"+s.flag+"-file", writeSecret(t, dir, s.flag+".flag", secretValue(s)+"2\n"))
	}
	c, err := Load("t", nil, env(e), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secretSettings(t) {
		if got := *s.field(c); got != secretValue(s) {
			t.Errorf("%s from %s_FILE: %q", s.env, s.env, got)
		}
	}
	if len(c.Warnings) != 0 {
		t.Errorf("secrets from files warned: %q", c.Warnings)
	}
	// --flag-file beats the environment, like every flag.
	c, err = Load("t", args, env(e), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secretSettings(t) {
		if got := *s.field(c); got != secretValue(s)+"2" {
			t.Errorf("%s from --%s-file: %q", s.env, s.flag, got)
		}
	}
}

// TestSecretGivenTwiceIsRefused: NAME with NAME_FILE, and --flag with
// --flag-file, are errors naming both, and never the secret.
func TestSecretGivenTwiceIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, s := range secretSettings(t) {
		e := map[string]string{s.env: secretValue(s), s.env + "_FILE": writeSecret(t, dir, s.env, "other\n")}
		_, err := Load("t", nil, env(e), io.Discard)
		if err == nil || !strings.Contains(err.Error(), s.env+" and "+s.env+"_FILE") {
			t.Errorf("%s and %s_FILE: %v", s.env, s.env, err)
		} else if strings.Contains(err.Error(), "other") || strings.Contains(err.Error(), secretValue(s)) {
			t.Errorf("the error shows the secret: %v", err)
		}
		args := []string{"--" + s.flag, secretValue(s), "--" + s.flag + "-file", e[s.env+"_FILE"]}
		_, err = Load("t", args, env(nil), io.Discard)
		if err == nil || !strings.Contains(err.Error(), "--"+s.flag+" and --"+s.flag+"-file") {
			t.Errorf("--%s and --%s-file: %v", s.flag, s.flag, err)
		}
	}
}

// TestSecretFileErrors: a missing, empty or oversized file is an error
// naming the setting.
func TestSecretFileErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := map[string]string{
		"missing":  filepath.Join(dir, "none"),
		"empty":    writeSecret(t, dir, "empty", "\n"),
		"oversize": writeSecret(t, dir, "big", strings.Repeat("x", maxSecretFile+1)),
	}
	for name, path := range cases {
		_, err := Load("t", nil, env(map[string]string{"ZALO_APP_SECRET_FILE": path}), io.Discard)
		if err == nil || !strings.Contains(err.Error(), "ZALO_APP_SECRET_FILE") {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A short admin password from a file is refused without being shown.
	_, err := Load("t", nil, env(map[string]string{"LANTOA_ADMIN_PASSWORD_FILE": writeSecret(t, dir, "pw", "ngắn\n")}), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "LANTOA_ADMIN_PASSWORD") || strings.Contains(err.Error(), "ngắn") {
		t.Errorf("short password from a file: %v", err)
	}
}

// TestSecretAsFlagWarns: a secret on the command line is accepted with a
// warning that names the setting but not the secret; a URL without a
// password is not a secret on a command line.
func TestSecretAsFlagWarns(t *testing.T) {
	t.Parallel()
	c, err := Load("t", []string{"--zalo-app-secret", "zalo-secret-value", "--mongodb-uri", "mongodb://127.0.0.1:27018/"}, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.ZaloAppSecret != "zalo-secret-value" || len(c.Warnings) != 1 {
		t.Fatalf("secret %q, warnings %q", c.ZaloAppSecret, c.Warnings)
	}
	if w := c.Warnings[0]; !strings.Contains(w, "ZALO_APP_SECRET") || !strings.Contains(w, "/proc/<pid>/cmdline") || strings.Contains(w, "zalo-secret-value") {
		t.Fatalf("warning %q", w)
	}
	c, err = Load("t", []string{"--mongodb-uri", "mongodb://u:pw@db:27017/"}, env(nil), io.Discard)
	if err != nil || len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "MONGODB_URI") || strings.Contains(c.Warnings[0], "pw@") {
		t.Fatalf("a URI with a password as a flag: %v %q", err, c.Warnings)
	}
	c, err = Load("t", nil, env(map[string]string{"ZALO_APP_SECRET": "from-env"}), io.Discard)
	if err != nil || c.ZaloAppSecret != "from-env" || len(c.Warnings) != 0 {
		t.Fatalf("secret from the environment: %v %q %q", err, c.ZaloAppSecret, c.Warnings)
	}
}

// TestHelpNeverShowsSecrets: --help prints flag defaults, which must not
// be secrets taken from the environment.
func TestHelpNeverShowsSecrets(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	_, err := Load("t", []string{"--help"}, env(map[string]string{"FACEBOOK_PAGE_TOKEN": "EAAB-page-token", "LANTOA_ADDR": ":7000"}), &out)
	if err == nil || !strings.Contains(out.String(), "facebook-page-token-file") || !strings.Contains(out.String(), ":7000") {
		t.Fatalf("help: %v\n%s", err, out.String())
	}
	if strings.Contains(out.String(), "EAAB-page-token") {
		t.Fatalf("--help shows a secret:\n%s", out.String())
	}
}
