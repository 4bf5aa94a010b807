package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestCommands(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run([]string{"version"}, &out, &errb); err != nil || !strings.HasPrefix(out.String(), "lantoa ") {
		t.Fatalf("version: %q %v", out.String(), err)
	}
	if err := run([]string{"frobnicate"}, &out, &errb); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Fatalf("unknown command: %v", err)
	}
	err := run([]string{"serve", "--tz", "Nowhere/Land"}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "LANTOA_TZ") {
		t.Fatalf("bad setting: %v", err)
	}
}
