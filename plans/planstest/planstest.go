// Package planstest writes plan spreadsheets for the tests of the plans
// import and of what calls it (the API, the page), as a spreadsheet program
// would save them.
package planstest

import (
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"
)

// XLSX writes rows (from row 1 of Sheet1) into a workbook; edit, when set,
// changes it before it is saved (merges, styles, a second sheet).
func XLSX(t testing.TB, rows [][]any, edit func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	if edit != nil {
		edit(f)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
