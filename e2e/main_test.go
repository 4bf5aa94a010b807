// Package e2e holds the fault tests that start real processes: `lantoa db`
// and several `lantoa serve` replicas built from this module, talking over
// loopback to fake platforms served by the test process (issue 3 "done
// when", issue 9 part 4). They are bounded in time: each test stops within
// two minutes, the package within about five on two cores. `go test -short`
// skips them.
package e2e_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// binary is the lantoa executable built once for every test; buildSkip is
// set when it could not be built for a reason outside the code (no Go
// toolchain on PATH), buildErr when the code does not build.
var (
	binary    string
	buildSkip string
	buildErr  error
)

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "lantoa-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "lantoa")
	build()
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// build compiles the module's main package into binary.
func build() {
	gobin, err := exec.LookPath("go")
	if err != nil {
		buildSkip = "no go toolchain on PATH to build the lantoa binary"
		return
	}
	cmd := exec.Command(gobin, "build", "-o", binary, ".")
	cmd.Dir = ".." // the module root
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		buildErr = fmt.Errorf("go build: %v\n%s", err, out)
	case err != nil:
		buildSkip = fmt.Sprintf("could not run go build: %v", err)
	}
}

// needBinary skips under -short or without a toolchain, and fails when the
// code does not build.
func needBinary(t *testing.T) {
	t.Helper()
	switch {
	case testing.Short():
		t.Skip("fault tests start real processes; skipped with -short")
	case buildSkip != "":
		t.Skip(buildSkip)
	case buildErr != nil:
		t.Fatal(buildErr)
	}
}
