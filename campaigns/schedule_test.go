package campaigns

import (
	"errors"
	"testing"
	"time"

	"github.com/lantoa/lantoa/apperr"
)

var hcm, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

func day(s string) time.Time { t, _ := time.ParseInLocation(DateLayout, s, hcm); return t }

func TestOccurrences(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		s        Schedule
		from, to string
		want     []string
	}{
		{"two times a day, sorted", Schedule{Times: []string{"17:30", "06:00"}, From: "2026-11-24", To: "2026-11-25"}, "2026-11-01", "2026-12-01",
			[]string{"2026-11-24 06:00", "2026-11-24 17:30", "2026-11-25 06:00", "2026-11-25 17:30"}},
		{"weekdays Monday and Sunday", Schedule{Times: []string{"06:00"}, From: "2026-11-23", To: "2026-11-30", Weekdays: []int{1, 7}}, "2026-11-01", "2026-12-31",
			[]string{"2026-11-23 06:00", "2026-11-29 06:00", "2026-11-30 06:00"}},
		{"across a month end", Schedule{Times: []string{"23:59"}, From: "2026-11-30", To: "2026-12-01"}, "2026-11-01", "2026-12-31",
			[]string{"2026-11-30 23:59", "2026-12-01 23:59"}},
		{"29 February 2028", Schedule{Times: []string{"06:00"}, From: "2028-02-28", To: "2028-03-01"}, "2028-01-01", "2028-12-31",
			[]string{"2028-02-28 06:00", "2028-02-29 06:00", "2028-03-01 06:00"}},
		{"window cuts the recurrence", Schedule{Times: []string{"06:00", "17:30"}, From: "2026-11-01", To: "2026-11-30"}, "2026-11-10T12:00", "2026-11-11T12:00",
			[]string{"2026-11-10 17:30", "2026-11-11 06:00"}},
	}
	for _, c := range cases {
		from, to := parseAny(c.from), parseAny(c.to)
		got := c.s.Occurrences(from, to, hcm)
		var gotS []string
		for _, g := range got {
			gotS = append(gotS, g.In(hcm).Format("2006-01-02 15:04"))
		}
		if len(gotS) != len(c.want) {
			t.Errorf("%s: got %v, want %v", c.name, gotS, c.want)
			continue
		}
		for i := range gotS {
			if gotS[i] != c.want[i] {
				t.Errorf("%s: got %v, want %v", c.name, gotS, c.want)
				break
			}
		}
	}
	at := time.Date(2026, 11, 25, 6, 0, 0, 0, hcm)
	one := Schedule{At: &at}
	if n := len(one.Occurrences(day("2026-11-25"), day("2026-11-26"), hcm)); n != 1 {
		t.Fatalf("one-off inside the window: %d occurrences", n)
	}
	if n := len(one.Occurrences(day("2026-11-26"), day("2026-11-27"), hcm)); n != 0 {
		t.Fatalf("one-off outside the window: %d occurrences", n)
	}
}

func parseAny(s string) time.Time {
	if len(s) == 10 {
		return day(s)
	}
	t, _ := time.ParseInLocation("2006-01-02T15:04", s, hcm)
	return t
}

func TestScheduleValidation(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, hcm)
	camp := Campaign{Start: "2026-11-15", End: "2026-12-15"}
	past := now.Add(-time.Minute)
	future := now.Add(time.Hour)
	farAway := time.Date(2027, 6, 1, 6, 0, 0, 0, hcm)
	cases := map[string]struct {
		s     Schedule
		field string
	}{
		"past moment":       {Schedule{At: &past}, "schedule.at"},
		"far from campaign": {Schedule{At: &farAway}, "schedule.at"},
		"both forms":        {Schedule{At: &future, Times: []string{"06:00"}}, "schedule"},
		"neither":           {Schedule{}, "schedule"},
		"bad time":          {Schedule{Times: []string{"25:00"}, From: "2026-11-20", To: "2026-11-30"}, "schedule.times"},
		"bad date":          {Schedule{Times: []string{"06:00"}, From: "2026-11-31", To: "2026-12-01"}, "schedule.from"},
		"reversed":          {Schedule{Times: []string{"06:00"}, From: "2026-12-01", To: "2026-11-30"}, "schedule.to"},
		"too long":          {Schedule{Times: []string{"06:00"}, From: "2026-11-20", To: "2027-11-21"}, "schedule.to"},
		"weekday 8":         {Schedule{Times: []string{"06:00"}, From: "2026-11-20", To: "2026-11-30", Weekdays: []int{8}}, "schedule.weekdays"},
		"weekday twice":     {Schedule{Times: []string{"06:00"}, From: "2026-11-20", To: "2026-11-30", Weekdays: []int{1, 1}}, "schedule.weekdays"},
		"outside campaign":  {Schedule{Times: []string{"06:00"}, From: "2027-02-01", To: "2027-02-05"}, "schedule.from"},
	}
	for name, c := range cases {
		err := c.s.Validate(now, hcm, camp)
		var v *apperr.ValidationError
		if !errors.As(err, &v) || v.Field != c.field {
			t.Errorf("%s: error %v, want a validation error on %s", name, err, c.field)
		}
	}
	ok := Schedule{Times: []string{"06:00", "17:30"}, From: "2026-11-15", To: "2026-12-15", Weekdays: []int{1, 3, 5}}
	if err := ok.Validate(now, hcm, camp); err != nil {
		t.Fatalf("valid recurrence refused: %v", err)
	}
}
