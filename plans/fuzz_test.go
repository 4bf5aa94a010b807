package plans

import (
	"archive/zip"
	"bytes"
	"slices"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/usertext"
)

// fuzzCtx is a campaign and stations to read fuzzed rows against, without
// a store.
func fuzzCtx() *sheetCtx {
	camp := campaigns.Campaign{ID: "c", Start: "2026-11-15", End: "2026-12-15"}
	list := []stations.Station{{ID: "s1", Name: "Cụm loa Thôn Đông", Village: "Thôn Đông"},
		{ID: "s2", Name: "Cụm 1", Village: "Thôn Bắc"}, {ID: "s3", Name: "Cụm 1", Village: "Thôn Nam"},
		{ID: "s4", Name: "Chợ, bến xe", Village: "Thôn Tây"}}
	return newSheetCtx(camp, testNow, hcm, newStationIndex(list))
}

// checkPlanFile reads data as Import does, up to what the campaign checks,
// and fails on what must hold for any file: no panic, limits kept, every
// problem said in both languages, and every row read without problems
// an item that campaigns' own rules accept.
func checkPlanFile(t *testing.T, data []byte) {
	sheets, f := readFile(data)
	if f != nil {
		said(t, problem{0, noCol, f.m, f.args})
		return
	}
	for _, g := range sheets {
		if len(g.rows) > maxReadRows {
			t.Fatalf("%d rows read", len(g.rows))
		}
		for i, r := range g.rows {
			if r.num < 1 || r.num > maxSheetRows || (i > 0 && r.num <= g.rows[i-1].num) || len(r.cells) > maxCols {
				t.Fatalf("row %d (number %d, %d cells) out of order or bounds", i, r.num, len(r.cells))
			}
		}
	}
	g, h, probs, f := findTable(sheets)
	if f != nil {
		said(t, problem{0, noCol, f.m, f.args})
		return
	}
	for _, p := range probs {
		said(t, p)
	}
	x := fuzzCtx()
	for i, rec := range records(g, h) {
		if i == 200 {
			break
		}
		p, rp := x.read(rec)
		for _, q := range rp {
			if q.row != rec.row {
				t.Fatalf("problem of row %d reported on row %d", rec.row, q.row)
			}
			said(t, q)
		}
		if len(rp) == 0 {
			accepted(t, x, p)
		}
	}
}

func said(t *testing.T, p problem) {
	for _, lang := range []string{"vi", "en"} {
		e := p.render(lang)
		if e.Message == "" || !utf8.ValidString(e.Message) || e.Row != p.row {
			t.Fatalf("problem %+v said as %+v", p, e)
		}
	}
}

// accepted checks a row read without problems against the rules
// campaigns applies on import.
func accepted(t *testing.T, x *sheetCtx, p planned) {
	in := p.in
	for _, s := range []string{*in.Title, *in.Body, *in.Place, *in.Link} {
		if !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) || slices.ContainsFunc([]rune(s), usertext.Forbidden) {
			t.Fatalf("text %q breaks the text rule", s)
		}
	}
	if *in.Title == "" || utf8.RuneCountInString(*in.Title) > usertext.TitleMax || *in.Body == "" {
		t.Fatalf("title %q, body %q", *in.Title, *in.Body)
	}
	allowed := campaigns.AllowedChannels(*in.Kind)
	if len(*in.Channels) == 0 || slices.ContainsFunc(*in.Channels, func(c string) bool { return !slices.Contains(allowed, c) }) {
		t.Fatalf("kind %q channels %v", *in.Kind, *in.Channels)
	}
	if (*in.Kind == campaigns.KindScript) != (len(*in.StationIDs) > 0) || (*in.Kind == campaigns.KindEvent && *in.Place == "") {
		t.Fatalf("kind %q, stations %v, place %q", *in.Kind, *in.StationIDs, *in.Place)
	}
	if *in.Link != "" && !validLink(*in.Link) {
		t.Fatalf("link %q", *in.Link)
	}
	if err := in.Schedule.Validate(x.now, x.loc, x.camp); err != nil || p.occurrences < 1 {
		t.Fatalf("schedule %+v (%d occurrences): %v", *in.Schedule, p.occurrences, err)
	}
}

// FuzzReadCSV feeds text files: any bytes, read as a plan file.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("Loại;Tiêu đề;Nội dung;Kênh;Ngày;Giờ\nBài đăng;A;B;Zalo;20/11/2026;08:00\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkPlanFile(t, data) })
}

// FuzzReadXLSX feeds workbooks: a sheet's XML and the shared strings' XML,
// packed into an otherwise valid XLSX so that the mutations reach the
// readers of the sheet rather than the zip checksum.
func FuzzReadXLSX(f *testing.F) {
	f.Add([]byte(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`),
		[]byte(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Loại</t></si></sst>`))
	f.Fuzz(func(t *testing.T, sheet, shared []byte) {
		if len(sheet)+len(shared) > 1<<20 {
			return
		}
		checkPlanFile(t, packXLSX(sheet, shared))
	})
}

// packXLSX makes a one-sheet workbook around the given parts.
func packXLSX(sheet, shared []byte) []byte {
	const ns = `xmlns="http://schemas.openxmlformats.org/package/2006/`
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types ` + ns + `content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships ` + ns + `relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Kế hoạch" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships ` + ns + `relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", string(sheet)},
		{"xl/sharedStrings.xml", string(shared)},
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, p := range parts {
		w, _ := z.Create(p.name)
		_, _ = w.Write([]byte(p.body))
	}
	_ = z.Close()
	return buf.Bytes()
}
