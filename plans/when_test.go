package plans

import (
	"slices"
	"testing"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want string
		date1904 bool
		fix      string // the suggestion, when refused with one
	}{
		{"25/11/2026", "2026-11-25", false, ""},
		{"5/1/2027", "2027-01-05", false, ""},
		{"25-11-2026", "2026-11-25", false, ""},
		{"25.11.2026", "2026-11-25", false, ""},
		{"2026-11-25", "2026-11-25", false, ""},
		{"46351", "2026-11-25", false, ""},      // a date cell read raw
		{"46351.75", "2026-11-25", false, ""},   // with a time of day
		{"44889", "2026-11-25", true, ""},       // the 1904 date system
		{"29/02/2028", "2028-02-29", false, ""}, // a leap day
		{"29/02/2027", "", false, ""},           // not one
		{"31/11/2026", "", false, ""},           //
		{"25/11/26", "", false, "25/11/2026"},   // say how, do not guess
		{"11/25/2026", "", false, ""},           // month/day is refused, not swapped
		{"25/11", "", false, ""},                //
		{"1", "", false, ""},                    // a serial before 2000
		{"25/11/1999", "", false, ""},           //
		{"ngày 25 tháng 11", "", false, ""},     //
		{"2026-11-25T00:00:00", "", false, ""},  //
		{"99999999999999999999", "", false, ""}, //
		{"1E+300", "", false, ""},               //
		{"25 / 11 / 2026", "2026-11-25", false, ""},
	}
	for _, c := range cases {
		got, f := parseDate(c.in, c.date1904)
		switch {
		case c.want != "" && (f != nil || got != c.want):
			t.Errorf("%q: %q, %v; want %q", c.in, got, f, c.want)
		case c.want == "" && f == nil:
			t.Errorf("%q: accepted as %q", c.in, got)
		case c.fix != "" && (f.m != mFixDate || f.args[1] != c.fix):
			t.Errorf("%q: %+v, want the suggestion %q", c.in, f, c.fix)
		}
	}
}

func TestParseTimes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want []string
		fix  string
	}{
		{"06:30", []string{"06:30"}, ""},
		{"6:30", []string{"06:30"}, ""},
		{"06:30:00", []string{"06:30"}, ""},
		{"06:00, 17:30", []string{"06:00", "17:30"}, ""},
		{"06:00;17:30\n20:00", []string{"06:00", "17:30", "20:00"}, ""},
		{"06:00 17:30", []string{"06:00", "17:30"}, ""},
		{"06:00, 06:00", []string{"06:00"}, ""},
		{"0.270833333333333", []string{"06:30"}, ""}, // a time cell read raw
		{"46351.75", []string{"18:00"}, ""},          // a date and time cell
		{"0.99999", []string{"00:00"}, ""},
		{"6h30", nil, "06:30"},
		{"6h", nil, "06:00"},
		{"17g15", nil, "17:15"},
		{"6 giờ 30", nil, "06:30"},
		{"6.30", nil, "06:30"},
		{"5:30 chiều", nil, "17:30"},
		{"5:30 PM", nil, "17:30"},
		{"12:15 am", nil, "00:15"},
		{"6", nil, "06:00"},
		{"24:00", nil, ""},
		{"25:00", nil, ""},
		{"06:60", nil, ""},
		{"sáng sớm", nil, ""},
		{"06:00, 07:00, 08:00, 09:00, 10:00, 11:00, 12:00, 13:00, 14:00, 15:00, 16:00, 17:00, 18:00", nil, ""},
	}
	for _, c := range cases {
		got, f := parseTimes(c.in)
		switch {
		case c.want != nil && (f != nil || !slices.Equal(got, c.want)):
			t.Errorf("%q: %v, %v; want %v", c.in, got, f, c.want)
		case c.want == nil && f == nil:
			t.Errorf("%q: accepted as %v", c.in, got)
		case c.fix != "" && (f.m != mFixTime || f.args[1] != c.fix):
			t.Errorf("%q: %+v, want the suggestion %q", c.in, f, c.fix)
		case c.want == nil && c.fix == "" && f.m == mFixTime:
			t.Errorf("%q: suggested %v", c.in, f.args[1])
		}
	}
}

func TestParseWeekdays(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want []int
	}{
		{"T2, T4, T6", []int{1, 3, 5}},
		{"t2 t4 t6", []int{1, 3, 5}},
		{"T2-T6", []int{1, 2, 3, 4, 5}},
		{"T2 – T6", []int{1, 2, 3, 4, 5}},
		{"T7 đến CN", []int{6, 7}},
		{"CN-T2", []int{7, 1}},
		{"Thứ hai, thứ tư và chủ nhật", []int{1, 3, 7}},
		{"Thứ 2/Thứ 5", []int{1, 4}},
		{"Mon, Wed, Sunday", []int{1, 3, 7}},
		{"Hàng ngày", []int{1, 2, 3, 4, 5, 6, 7}},
		{"T2, T2", []int{1}},
		{"T8", nil},
		{"Thứ", nil},
		{"T2-", nil},
		{"cuối tuần", nil},
	}
	for _, c := range cases {
		got, f := parseWeekdays(c.in)
		if c.want == nil && f == nil || c.want != nil && (f != nil || !slices.Equal(got, c.want)) {
			t.Errorf("%q: %v, %v; want %v", c.in, got, f, c.want)
		}
	}
}

func TestSplitKnown(t *testing.T) {
	t.Parallel()
	got := splitKnown("Học sinh, sinh viên; Phụ nữ, , Người sử dụng lao động, doanh nghiệp", known(audienceWordsIn))
	want := []string{"Học sinh, sinh viên", "Phụ nữ", "Người sử dụng lao động, doanh nghiệp"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q", got)
	}
}
