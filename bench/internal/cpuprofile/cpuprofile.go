// Package cpuprofile starts the CPU profile that the benchmark commands
// under bench/ write when asked (a flag or an environment variable names
// the file).
package cpuprofile

import (
	"os"
	"runtime/pprof"
)

// Start writes a CPU profile to file until stop is called; with file ""
// it does nothing.
func Start(file string) (stop func(), err error) {
	if file == "" {
		return func() {}, nil
	}
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
