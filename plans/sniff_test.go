package plans

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/lantoa/lantoa/plans/planstest"
)

// TestSpreadsheet: workbooks, old Excel files and text of any encoding are
// plan files for Check to read or explain; images, PDFs and other zips are
// not.
func TestSpreadsheet(t *testing.T) {
	t.Parallel()
	docx := func(part string) []byte {
		var b bytes.Buffer
		z := zip.NewWriter(&b)
		w, err := z.Create(part)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte("<x/>")); err != nil {
			t.Fatal(err)
		}
		if err := z.Close(); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	cases := []struct {
		name string
		data []byte
		want bool
	}{
		{"xlsx", planstest.XLSX(t, [][]any{headerRow()}, nil), true},
		{"csv", []byte("Loại,Tiêu đề\r\nLoa,Tin\r\n"), true},
		{"csv with a BOM and semicolons", []byte("\xEF\xBB\xBFLoại;Tiêu đề\r\n"), true},
		{"csv in Windows-1258", []byte("Lo\xE0i,Ti\xEAu \xF0\xEA\r\n"), true},
		{"csv in UTF-16", []byte("\xFF\xFEL\x00o\x00"), true},
		{"old Excel", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...), true},
		{"empty", nil, true},
		{"damaged zip", []byte("PK\x03\x04garbage"), true},
		{"word document", docx("word/document.xml"), false},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), false},
		{"pdf", []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"), false},
		{"jpeg", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), false},
	}
	for _, c := range cases {
		if got := Spreadsheet(c.data); got != c.want {
			t.Errorf("%s: Spreadsheet = %v, want %v", c.name, got, c.want)
		}
	}
}
