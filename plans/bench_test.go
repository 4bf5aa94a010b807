package plans

import (
	"testing"
	"time"
)

// BenchmarkPlan2000 measures a dry run and a real import of a 2,000-row
// plan (every kind, scripts on named stations) on the embedded store; the
// goal is at most 5 s each. Run with -benchtime=3x: every real import makes
// 2,000 more items in a new campaign.
func BenchmarkPlan2000(b *testing.B) {
	e := setup(b)
	file := xlsxOf(b, bigPlan(MaxRows, 0), nil)
	b.Run("dry-run", func(b *testing.B) {
		for range b.N {
			r, err := e.svc.Check(e.ctx, e.campID, file, "vi")
			if err != nil || len(r.Errors) > 0 || r.Created != MaxRows {
				b.Fatalf("check: %v, %d errors, %d to create", err, len(r.Errors), r.Created)
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
	})
	b.Run("import", func(b *testing.B) {
		var spent time.Duration
		for range b.N {
			camp := e.campaign(b)
			start := time.Now()
			r, err := e.svc.Import(e.ctx, e.editor, camp, file, "vi")
			spent += time.Since(start)
			if err != nil || len(r.Errors) > 0 || r.Created != MaxRows {
				b.Fatalf("import: %v, %d errors, %d created", err, len(r.Errors), r.Created)
			}
		}
		b.ReportMetric(spent.Seconds()/float64(b.N), "s/run")
	})
}
