package plans

import (
	"testing"
	"time"

	"github.com/lantoa/lantoa/plans/planstest"
)

// TestReportCellsAsShown: a page showing the file gets date and time cells
// as the spreadsheet shows them, not as the serial numbers read raw, and
// every other cell as typed, bad ones included; each item carries how its
// row was read.
func TestReportCellsAsShown(t *testing.T) {
	t.Parallel()
	e := setup(t)
	file := planstest.XLSX(t, [][]any{headerRow(),
		row(map[col]any{colKind: "Bài đăng", colTitle: "Một", colBody: "Nội dung", colChannels: "Facebook",
			colDate: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), colTimes: 0.3125}),
		row(map[col]any{colKind: "Bài đăng", colTitle: "Hai", colBody: "Nội dung", colChannels: "Facebook",
			colDate: "26/11/2026", colTimes: "6h30", colUntil: 46361}),
	}, nil)
	r := check(t, e, e.campID, file, "vi")
	if len(r.Cells) != 2 {
		t.Fatalf("cells %+v", r.Cells)
	}
	for i, want := range []map[string]string{
		{"Loại": "Bài đăng", "Ngày": "25/11/2026", "Giờ": "07:30"},
		{"Ngày": "26/11/2026", "Giờ": "6h30", "Đến ngày": "05/12/2026"},
	} {
		for k, v := range want {
			if got := r.Cells[i].Cells[k]; got != v {
				t.Errorf("row %d, %s: %q, want %q", r.Cells[i].Row, k, got, v)
			}
		}
	}
	if len(r.Items) != 1 || r.Items[0].Schedule.At == nil || !r.Items[0].Schedule.At.Equal(time.Date(2026, 11, 25, 7, 30, 0, 0, hcm)) {
		t.Errorf("items %+v", r.Items)
	}
}
