package campaigns

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

// FuzzSchedule feeds arbitrary JSON to a schedule: decoding, validation and
// expansion must never panic, and whatever validates expands into sorted
// moments inside the asked window.
func FuzzSchedule(f *testing.F) {
	f.Add([]byte(`{"times":["06:00","17:30"],"from":"2026-11-15","to":"2026-12-15","weekdays":[1,3,5]}`))
	f.Add([]byte(`{"at":"2026-11-25T06:00:00+07:00"}`))
	f.Add([]byte(`{"times":["23:59"],"from":"2028-02-28","to":"2028-03-01"}`))
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, hcm)
	camp := Campaign{Start: "2026-11-15", End: "2026-12-15"}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var s Schedule
		if json.Unmarshal(raw, &s) != nil {
			return
		}
		if s.Validate(now, hcm, camp) != nil {
			return
		}
		from, to := now, now.AddDate(0, 0, 20)
		got := s.Occurrences(from, to, hcm)
		if !slices.IsSortedFunc(got, func(a, b time.Time) int { return a.Compare(b) }) {
			t.Fatalf("occurrences out of order: %v", got)
		}
		for _, g := range got {
			if g.Before(from) || !g.Before(to) {
				t.Fatalf("occurrence %v outside [%v, %v)", g, from, to)
			}
		}
	})
}

// FuzzParseDate: strict dates never panic and round-trip, and the quick
// path takes exactly the dates time.Parse reads and the range allows.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-25", "2026-02-30", "2028-02-29", "20261125", "2026-1-5", "",
		"2100-12-31", "2101-01-01", "1999-12-31", "2026-00-10", "2026-13-01", "2026-11-00", "2026-11-31", "2026-+1-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate("date", s)
		if err == nil && d.Format(DateLayout) != s {
			t.Fatalf("%q parsed as %v", s, d)
		}
		q, quick := quickDate(s)
		slow, serr := time.Parse(DateLayout, s)
		want := serr == nil && slow.Format(DateLayout) == s && slow.Year() >= 2000 && slow.Year() <= 2100
		if quick != want || quick && !q.Equal(slow) || quick && q.Location() != slow.Location() {
			t.Fatalf("quickDate(%q) = %v, %v; time.Parse: %v, %v", s, q, quick, slow, serr)
		}
	})
}
