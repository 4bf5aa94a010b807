package plans

import (
	"syscall"
	"testing"
	"time"

	"github.com/lantoa/lantoa/plans/planstest"
)

// cpuTime is the CPU time this process (the embedded store included) has
// used: on a machine shared with other work it says more than wall time.
func cpuTime() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// BenchmarkPlan2000 measures a dry run and a real import of a 2,000-row
// plan (every kind, scripts on named stations) on the embedded store; the
// goal is at most 5 s each. It reports wall and CPU seconds a run. Every
// real import makes 2,000 more items in a new campaign, so with -benchtime
// above 1x the later runs read more items.
func BenchmarkPlan2000(b *testing.B) {
	e := setup(b)
	file := planstest.XLSX(b, bigPlan(MaxRows, 0), nil)
	b.Run("dry-run", func(b *testing.B) {
		cpu := cpuTime()
		for range b.N {
			r, err := e.svc.Check(e.ctx, e.campID, file, "vi")
			if err != nil || len(r.Errors) > 0 || r.Created != MaxRows {
				b.Fatalf("check: %v, %d errors, %d to create", err, len(r.Errors), r.Created)
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
		b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/run")
	})
	b.Run("import", func(b *testing.B) {
		var wall, cpu time.Duration
		for range b.N {
			camp := e.campaign(b)
			start, c0 := time.Now(), cpuTime()
			r, err := e.svc.Import(e.ctx, e.editor, camp, file, "vi")
			wall, cpu = wall+time.Since(start), cpu+cpuTime()-c0
			if err != nil || len(r.Errors) > 0 || r.Created != MaxRows {
				b.Fatalf("import: %v, %d errors, %d created", err, len(r.Errors), r.Created)
			}
		}
		b.ReportMetric(wall.Seconds()/float64(b.N), "s/run")
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/run")
	})
}
