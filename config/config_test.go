package config

import (
	"io"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load("t", nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DataDir != "./data" || c.Database != "lantoa" || c.ReadWPM != 130 {
		t.Fatalf("defaults: %+v", c)
	}
	if c.Location.String() != "Asia/Ho_Chi_Minh" || c.SupportURL != "http://localhost:8080/ho-tro" {
		t.Fatalf("location %v, support %q", c.Location, c.SupportURL)
	}
}

func TestFlagBeatsEnv(t *testing.T) {
	c, err := Load("t", []string{"--addr", "127.0.0.1:9000"}, env(map[string]string{"LANTOA_ADDR": ":7000", "LANTOA_DB": "x"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" || c.Database != "x" {
		t.Fatalf("got addr %q db %q", c.Addr, c.Database)
	}
}

func TestInvalidSettingsAreNamed(t *testing.T) {
	cases := map[string]map[string]string{
		"LANTOA_ADDR":           {"LANTOA_ADDR": "8080"},
		"LANTOA_TZ":             {"LANTOA_TZ": "Mars/Olympus"},
		"LANTOA_BASE_URL":       {"LANTOA_BASE_URL": "ftp://x"},
		"MONGODB_URI":           {"MONGODB_URI": "postgres://x"},
		"LANTOA_ADMIN_PASSWORD": {"LANTOA_ADMIN_PASSWORD": "short"},
		"LANTOA_READ_WPM":       {"LANTOA_READ_WPM": "5"},
		"LANTOA_DB":             {"LANTOA_DB": "a.b"},
	}
	for name, e := range cases {
		_, err := Load("t", nil, env(e), io.Discard)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v does not name the setting", name, err)
		}
	}
}
