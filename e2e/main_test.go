// Package e2e holds the fault tests that start real processes: `lantoa db`
// and several `lantoa serve` replicas built from this module, talking over
// loopback to fake platforms served by the test process (issue 3 "done
// when", issue 9 part 4). They are bounded in time: each test stops within
// two minutes; they run side by side (each on its own ports and folders),
// so the package takes about as long as its longest test. `go test -short`
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
	allAtOnce()
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

// allAtOnce lets every test run at the same time unless -parallel was
// given: they spend their time waiting for leases, timeouts and backoffs
// (about a quarter of a core each), so GOMAXPROCS at a time would leave the
// package's wall time the sum of two lanes of waiting.
func allAtOnce() {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		_ = flag.Set("test.parallel", "8")
	}
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
