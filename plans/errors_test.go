package plans

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/plans/planstest"
	"github.com/xuri/excelize/v2"
)

// TestErrorsNameRowAndColumn: every wrong cell of every row is reported
// once, by the spreadsheet's row number and the column, in Vietnamese or
// English, and the campaign's own rules are checked (dates around the
// campaign, the past, channels of a kind, stations of a script, the place
// of an event, a repeated row).
func TestErrorsNameRowAndColumn(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ok := map[col]any{colKind: "Bài đăng", colTitle: "Đúng", colBody: "Văn bản", colChannels: "Facebook", colDate: "20/11/2026", colTimes: "08:00"}
	with := func(changes map[col]any) []any {
		m := map[col]any{}
		for c, v := range ok {
			m[c] = v
		}
		for c, v := range changes {
			m[c] = v
		}
		return row(m)
	}
	rows := [][]any{
		{"Kế hoạch tháng 11"}, headerRow(), // headers on row 2
		with(map[col]any{colTitle: "Một"}),
		with(map[col]any{colTitle: "Hai", colKind: "Phóng sự", colDate: "31/11/2026", colChannels: "Tivi"}),
		with(map[col]any{colTitle: "Ba", colTimes: "25:00", colLink: "www.example.org"}),
		with(map[col]any{colTitle: "Bốn", colDate: "20/11/26"}),
		with(map[col]any{colTitle: "Năm", colTimes: "6h30"}),
		with(map[col]any{colTitle: "Sáu", colDate: "20/01/2027"}),
		with(map[col]any{colTitle: "Bảy", colDate: "01/11/2026", colTimes: "08:00"}),
		with(map[col]any{colTitle: "Tám", colKind: "Loa", colChannels: "Facebook"}),
		with(map[col]any{colTitle: "Chín", colKind: "Loa", colChannels: ""}),
		with(map[col]any{colTitle: "Mười", colKind: "Sự kiện", colChannels: ""}),
		with(map[col]any{colTitle: "Mười một", colStations: "Cụm loa Thôn Đông"}),
		with(map[col]any{colTitle: "Mười hai", colKind: "Loa", colChannels: "", colStations: "Cụm 1"}),
		with(map[col]any{colTitle: "Mười ba", colKind: "Loa", colChannels: "", colStations: "Cụm 9"}),
		with(map[col]any{colTitle: "Một"}),
		with(map[col]any{colTitle: "Mười lăm", colUntil: "19/11/2026"}),
		with(map[col]any{colTitle: "Mười sáu", colUntil: "30/11/2026", colWeekdays: "T9"}),
		with(map[col]any{colTitle: "", colAudiences: "Người cao tuổi"}),
		with(map[col]any{colTitle: strings.Repeat("Dài ", 60)}),
	}
	r := check(t, e, e.campID, planstest.XLSX(t, rows, nil), "vi")
	for _, want := range []string{
		"Dòng 4, cột Loại: 'Phóng sự' không phải loại hợp lệ; hãy viết Loa, Bài đăng, Tờ rơi hoặc Sự kiện",
		"Dòng 4, cột Ngày: '31/11/2026' không phải ngày hợp lệ, hãy viết ngày/tháng/năm như 25/11/2026",
		"Dòng 4, cột Kênh: 'Tivi' không phải kênh hợp lệ; hãy dùng: Truyền thanh, Facebook, Zalo, Cổng thông tin, Bản in, Sự kiện",
		"Dòng 5, cột Giờ: '25:00' không phải giờ hợp lệ, hãy viết giờ:phút như 06:30",
		"Dòng 5, cột Liên kết: 'www.example.org' không phải địa chỉ http(s) hợp lệ",
		"Dòng 6, cột Ngày: '20/11/26' không phải ngày hợp lệ, hãy viết 20/11/2026",
		"Dòng 7, cột Giờ: '6h30' không phải giờ hợp lệ, hãy viết 06:30",
		"Dòng 8, cột Ngày: ngày 20/01/2027 nằm ngoài chiến dịch (15/11/2026 – 15/12/2026) và 30 ngày trước, sau",
		"Dòng 9, cột Ngày: 01/11/2026 lúc 08:00 đã qua",
		"Dòng 10, cột Kênh: bài phát thanh (loa) không dùng kênh Facebook; chỉ dùng: Truyền thanh",
		"Dòng 10, cột Cụm loa: bài phát thanh cần ít nhất một cụm loa (hoặc «Tất cả»)",
		"Dòng 11, cột Cụm loa: bài phát thanh cần ít nhất một cụm loa (hoặc «Tất cả»)",
		"Dòng 12, cột Địa điểm: sự kiện cần địa điểm",
		"Dòng 13, cột Cụm loa: chỉ bài phát thanh (Loa) mới phát trên cụm loa; hãy để trống ô này",
		"Dòng 14, cột Cụm loa: có nhiều cụm loa tên 'Cụm 1'; hãy ghi kèm thôn: Cụm 1 (Thôn Bắc), Cụm 1 (Thôn Nam)",
		"Dòng 15, cột Cụm loa: không có cụm loa tên 'Cụm 9'; các cụm loa: Cụm 1 (Thôn Bắc), Cụm loa Thôn Đông, Cụm 1 (Thôn Nam), Cụm loa Thôn Tây",
		"Dòng 16: trùng với dòng 3; hãy xoá một dòng",
		"Dòng 17, cột Đến ngày: ngày 19/11/2026 trước Ngày (20/11/2026)",
		"Dòng 18, cột Thứ: 'T9' không phải thứ hợp lệ; hãy viết T2, T3, T4, T5, T6, T7 hoặc CN",
		"Dòng 19, cột Tiêu đề: bắt buộc nhưng đang để trống",
		"Dòng 20, cột Tiêu đề: dài 239 ký tự, tối đa 200",
	} {
		hasError(t, r, want)
	}
	if len(r.Errors) != 22 {
		for _, e := range r.Errors {
			t.Log(e.Message)
		}
		t.Errorf("%d errors, want 22 (the 21 above and an unknown audience)", len(r.Errors))
	}
	if r.Rows != 18 || len(r.Items) != 1 || r.Items[0].Row != 3 || r.Created != 0 {
		t.Errorf("rows %d, items %+v, created %d", r.Rows, r.Items, r.Created)
	}
	for _, e := range r.Errors {
		if e.Row == 16 && e.Column != "" || e.Row == 7 && e.Column != "Giờ" {
			t.Errorf("error %+v: wrong column", e)
		}
	}
	en := check(t, e, e.campID, planstest.XLSX(t, rows, nil), "en")
	hasError(t, en, "Row 7, column Giờ (Time): '6h30' is not a valid time; write 06:30")
	hasError(t, en, "Row 16: repeats row 3; delete one of them")
	// XLSX cannot hold control characters (excelize writes U+FFFD); CSV can.
	bell := check(t, e, e.campID, []byte("Loại,Tiêu đề,Nội dung,Kênh,Ngày,Giờ\nBài đăng,Chuông,Kính\athưa,Zalo,20/11/2026,08:00\n"), "vi")
	hasError(t, bell, "Dòng 2, cột Nội dung: có ký tự điều khiển (U+0007) không được phép; hãy gõ lại ô này")
	// A real run with errors creates nothing and reports the same errors.
	real, err := e.svc.Import(e.ctx, e.editor, e.campID, planstest.XLSX(t, rows, nil), "vi")
	if err != nil {
		t.Fatal(err)
	}
	if len(real.Errors) != len(r.Errors) || real.Created != 0 || len(e.items(t, e.campID)) != 0 {
		t.Fatalf("real run: %d errors (dry run %d), %d created", len(real.Errors), len(r.Errors), real.Created)
	}
}

// TestFileProblems: what is wrong with the file as a whole is one error
// about row 0, found before the rows are read.
func TestFileProblems(t *testing.T) {
	t.Parallel()
	e := setup(t)
	big := bytes.Repeat([]byte("a"), MaxFileBytes+1)
	hdr := strings.Join(func() []string {
		out := make([]string, numCols)
		for c := range numCols {
			out[c] = columns[c].vi
		}
		return out
	}(), ",") + "\n"
	many := hdr + strings.Repeat("Bài đăng,Tiêu đề,Nội dung,Facebook,20/11/2026,08:00,,,,,,\n", MaxRows+1)
	cases := []struct {
		name string
		file []byte
		want string
	}{
		{"empty", []byte(" \n"), "Tệp trống"},
		{"too big", big, "Tệp lớn hơn 5 MB (5.0 MB); hãy chia kế hoạch thành nhiều tệp"},
		{"old excel", append([]byte{0xD0, 0xCF, 0x11, 0xE0}, make([]byte, 100)...), "Đây là tệp Excel cũ (.xls) hoặc có mật khẩu; hãy mở và lưu lại dưới dạng Sổ làm việc Excel (.xlsx), không đặt mật khẩu"},
		{"utf-16", []byte{0xFF, 0xFE, 'L', 0}, "Tệp văn bản này dùng mã UTF-16; hãy lưu lại dưới dạng «CSV UTF-8 (phân cách bằng dấu phẩy)»"},
		{"windows-1258", []byte(hdr + "Lo\xE1i,x\n"), "Tệp CSV không dùng mã UTF-8 (từ dòng 2); trong Excel hãy chọn Lưu thành «CSV UTF-8 (phân cách bằng dấu phẩy)»"},
		{"no header", []byte("a,b,c\n1,2,3\n"), "Không tìm thấy dòng tiêu đề cột (Loại, Tiêu đề, Nội dung, Kênh, Ngày, Giờ, …) trong 20 dòng đầu; hãy dùng tệp mẫu"},
		{"too many rows", []byte(many), "Tệp có hơn 2.000 dòng dữ liệu; mỗi lần nhập tối đa 2.000 dòng, hãy chia thành nhiều tệp"},
		{"broken zip", []byte("PK\x03\x04garbage"), "Không đọc được tệp: không phải sổ làm việc Excel (.xlsx) hay tệp CSV hợp lệ"},
		{"zip bomb", zipBomb(t), "Tệp Excel khi giải nén quá lớn (hơn 40 MB); hãy xoá các trang tính và hình ảnh không cần"},
		{"merges", planstest.XLSX(t, [][]any{headerRow()}, func(f *excelize.File) {
			for i := range maxMergeRanges + 1 {
				_ = f.MergeCell("Sheet1", fmt.Sprintf("A%d", i+2), fmt.Sprintf("B%d", i+2))
			}
		}), "Tệp có quá nhiều ô gộp (hơn 2000)"},
	}
	for _, c := range cases {
		r := check(t, e, e.campID, c.file, "vi")
		if len(r.Errors) != 1 || r.Errors[0].Row != 0 || r.Errors[0].Message != c.want {
			t.Errorf("%s: errors %+v, want %q", c.name, r.Errors, c.want)
		}
	}
	// Missing and repeated columns are errors on the header row.
	r := check(t, e, e.campID, []byte("Loại,Tiêu đề,Nội dung,Ngày,Kênh,Kênh\n"), "vi")
	hasError(t, r, "Dòng 1, cột Giờ: thiếu cột này trong dòng tiêu đề")
	hasError(t, r, "Dòng 1, cột Kênh: cột này có hai lần (cột E và cột F); hãy giữ một")
}

// zipBomb is a workbook-shaped zip whose sheet unpacks to 50 MB of spaces.
func zipBomb(t *testing.T) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for range 50 {
		_, _ = w.Write(chunk)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
