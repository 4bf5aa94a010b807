package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
	"github.com/xuri/excelize/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/usertext"
)

// formulaTexts pass the text rule, so a user can store them through the
// API; a spreadsheet would run each as a formula.
var formulaTexts = []string{`=HYPERLINK("http://x")`, `+1`, `-2`, `@SUM(A1)`}

// Text stored before the text rule: leading tab and CR (also formula
// triggers), control characters, noncharacters, and a CR LF that would
// forge an iCalendar property.
const (
	legacyTab     = "\tx"
	legacyCR      = "\rcmd"
	legacyControl = "Điều\x01\x1b\x7f\u0085\ufffe\uffff khiển"
	legacyForge   = "Dòng 1\r\nSUMMARY:giả mạo"
)

// hostileExports is a commune whose stations, villages, campaigns and
// activities carry hostile text, some written through the API and some
// straight into the store as text of an older version would be.
type hostileExports struct {
	e        *apptest.Env
	mgr      string
	campIDs  []string
	legacyID string // the campaign given legacy text in the store
}

func newHostileExports(t *testing.T) *hostileExports {
	t.Helper()
	e := apptest.New(t)
	h := &hostileExports{e: e, mgr: e.User(accounts.RoleManager, "lien-minh")}
	admin, ed := e.Admin(), e.User(accounts.RoleEditor, "lien-minh")
	ctx := apptest.Scoped("lien-minh")
	var outs []reach.DeliveryOutcome
	for i, text := range formulaTexts {
		var st stations.Station
		e.Do("POST", "/api/v1/stations", admin, map[string]any{"name": text, "village": text, "households": 10 + i}).Want(201).JSON(&st)
		var c campaigns.Campaign
		e.Do("POST", "/api/v1/campaigns", ed, map[string]any{"title": text, "lead_unit": text,
			"start": fmt.Sprintf("2026-11-%02d", 10+i), "end": "2026-12-10", "targets": map[string]int{"loudspeaker": 100}}).Want(201).JSON(&c)
		h.campIDs = append(h.campIDs, c.ID)
		outs = append(outs, reach.DeliveryOutcome{ID: fmt.Sprintf("d-%d", i), ItemID: fmt.Sprintf("it-%d", i), CampaignID: c.ID,
			Kind: "script", Title: text, Channel: "loudspeaker", StationID: st.ID, Day: "2026-11-18", State: "sent"})
		if _, err := e.App.Reach.Record(ctx, reach.Event{ID: fmt.Sprintf("ev-%d", i), CommuneID: "lien-minh", CampaignID: c.ID,
			ItemID: fmt.Sprintf("it-%d", i), Channel: "loudspeaker", Metric: "airings", Value: 1, Village: text, Day: "2026-11-18",
			Source: reach.SourceAiring}); err != nil {
			t.Fatal(err)
		}
	}
	for i, text := range []string{legacyTab, legacyCR, legacyControl} {
		outs = append(outs, reach.DeliveryOutcome{ID: fmt.Sprintf("l-%d", i), ItemID: fmt.Sprintf("li-%d", i), CampaignID: h.campIDs[0],
			Kind: "post", Title: text, Channel: "facebook", Day: "2026-11-18", State: "sent"})
	}
	if err := e.App.Reach.RecordOutcomes(ctx, outs); err != nil {
		t.Fatal(err)
	}
	// Legacy text, written past the API as an older version could have.
	h.legacyID = h.campIDs[1]
	h.set(t, "campaigns", h.legacyID, bson.M{"title": legacyForge, "lead_unit": legacyCR})
	h.set(t, "campaigns", h.campIDs[2], bson.M{"title": legacyControl})
	h.set(t, "campaigns", h.campIDs[3], bson.M{"title": legacyTab})
	for i, text := range []string{legacyTab, legacyControl} {
		var st stations.Station
		e.Do("POST", "/api/v1/stations", admin, map[string]any{"name": fmt.Sprintf("Cụm loa %d", i), "village": "Thôn Tạm", "households": 5}).Want(201).JSON(&st)
		h.set(t, "stations", st.ID, bson.M{"name": text, "village": text})
	}
	return h
}

func (h *hostileExports) set(t *testing.T, coll, id string, fields bson.M) {
	t.Helper()
	res, err := h.e.DB.Collection(coll).UpdateOne(context.Background(), bson.M{"_id": id}, bson.M{"$set": fields})
	if err != nil || res.MatchedCount != 1 {
		t.Fatalf("setting %s/%s: %v %+v", coll, id, err, res)
	}
}

// formulaStart reports whether a spreadsheet would evaluate s.
func formulaStart(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

func controlIn(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return usertext.Forbidden(r) })
}

// TestCSVExportIsSafeToOpen: every text cell of the report's CSV that
// would start a formula starts with a single quote instead, every cell is
// quoted, and no cell carries a control character; figures stay numbers.
func TestCSVExportIsSafeToOpen(t *testing.T) {
	t.Parallel()
	h := newHostileExports(t)
	body := h.e.Do("GET", "/api/v1/reports/annual?year=2026&format=csv", h.mgr, nil).Want(200).Body
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte{0xEF, 0xBB, 0xBF}))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cells := map[string]bool{}
	for _, row := range rows {
		for _, c := range row {
			cells[c] = true
			if formulaStart(c) || controlIn(c) {
				t.Errorf("unsafe cell %q in %q", c, row)
			}
		}
	}
	for _, text := range append(formulaTexts, "'"+legacyTab, "'"+legacyCR, "Điều khiển") {
		want := text
		if formulaStart(text) {
			want = "'" + text
		}
		if !cells[want] {
			t.Errorf("no cell %q", want)
		}
	}
	if !cells["'=HYPERLINK(\"http://x\") (=HYPERLINK(\"http://x\"))"] {
		t.Error("the station with its village is not one neutralised cell")
	}
	// Every cell quoted, quotes doubled (OWASP: quote the neutralised cell).
	for _, raw := range []string{`,"'=HYPERLINK(""http://x"")",`, `,"'+1",`, `,"'-2",`, `,"'@SUM(A1)",`, "\r\n\"Năm 2026\","} {
		if !bytes.Contains(body, []byte(raw)) {
			t.Errorf("the CSV has no %s", raw)
		}
	}
	wantRow(t, rows, "Truyền thanh", "", "'-2 (-2)", "Truyền thanh cơ sở", "Lượt phát", "1")
}

// TestXLSXExportsHoldNoFormula: in the annual report and the province
// workbook every cell of hostile text is a string cell with no formula.
func TestXLSXExportsHoldNoFormula(t *testing.T) {
	t.Parallel()
	h := newHostileExports(t)
	h.e.Do("POST", "/api/v1/communes", h.e.Admin(), map[string]any{"id": "xa-cong-thuc", "name": `=HYPERLINK("http://x")`}).Want(201)
	report := h.e.Do("GET", "/api/v1/reports/annual?year=2026&format=xlsx", h.mgr, nil).Want(200).Body
	province := h.e.Do("GET", "/api/v1/province/reports/annual?year=2026&format=xlsx", h.e.User(accounts.RoleProvince, "lien-minh"), nil).Want(200).Body
	for name, body := range map[string][]byte{"report": report, "province": province} {
		x, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, sheet := range x.GetSheetList() {
			rows, err := x.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			for r, row := range rows {
				for c, v := range row {
					cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
					if f, err := x.GetCellFormula(sheet, cell); err != nil || f != "" {
						t.Errorf("%s %s!%s: formula %q (%v)", name, sheet, cell, f, err)
					}
					if controlIn(v) {
						t.Errorf("%s %s!%s: control character in %q", name, sheet, cell, v)
					}
					if !formulaStart(v) && v != "Điều khiển" {
						continue
					}
					seen[v] = true
					if typ, err := x.GetCellType(sheet, cell); err != nil || (typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString) {
						t.Errorf("%s %s!%s %q: cell type %v (%v), want a string", name, sheet, cell, v, typ, err)
					}
				}
			}
		}
		if !seen[`=HYPERLINK("http://x")`] {
			t.Errorf("%s: the hostile text is missing", name)
		}
		if name == "report" {
			for _, v := range append(formulaTexts, legacyTab, "Điều khiển") {
				if !seen[v] {
					t.Errorf("report: no string cell %q", v)
				}
			}
		}
	}
}

// TestICSTextCarriesNoControlCharacters: the calendar feed's content lines
// carry no control character, a CR LF in a title cannot forge a property,
// and titles read back as stored minus the control characters.
func TestICSTextCarriesNoControlCharacters(t *testing.T) {
	t.Parallel()
	h := newHostileExports(t)
	var sub struct{ Token string }
	h.e.Do("POST", "/api/v1/me/calendar-token", h.e.User(accounts.RoleEditor, "lien-minh"), nil).Want(201).JSON(&sub)
	body := string(h.e.Do("GET", "/api/v1/calendar.ics?from=2026-11-01&to=2026-12-31&token="+sub.Token, "", nil).Want(200).Body)
	unfolded := strings.ReplaceAll(body, "\r\n ", "")
	for _, line := range strings.Split(strings.TrimSuffix(unfolded, "\r\n"), "\r\n") {
		if strings.ContainsAny(line, "\r\n") || controlIn(line) {
			t.Errorf("content line with a control character: %q", line)
		}
		if strings.HasPrefix(line, "SUMMARY:giả mạo") {
			t.Errorf("a title forged a property: %q", line)
		}
	}
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	summaries := map[string]string{}
	for _, ev := range cal.Events() {
		desc := ""
		if p := ev.GetProperty(ics.ComponentPropertyDescription); p != nil {
			desc = p.Value
		}
		if p := ev.GetProperty(ics.ComponentPropertySummary); p != nil {
			summaries[p.Value] = desc
		}
	}
	want := map[string]string{
		`=HYPERLINK("http://x")`:  `Đơn vị chủ trì: =HYPERLINK("http://x")`,
		"Dòng 1\nSUMMARY:giả mạo": "Đơn vị chủ trì: \ncmd",
		"Điều khiển":              "Đơn vị chủ trì: -2",
		legacyTab:                 "Đơn vị chủ trì: @SUM(A1)",
	}
	for title, desc := range want {
		if got, ok := summaries[title]; !ok || got != desc {
			t.Errorf("event %q: description %q (present %v), want %q; events %q", title, got, ok, desc, summaries)
		}
	}
}

// TestAtomFeedParsesWithLegacyControlCharacters: an approved portal item
// whose stored title and body hold characters XML 1.0 cannot carry still
// gives a feed that an XML parser reads, without them.
func TestAtomFeedParsesWithLegacyControlCharacters(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	it, list := publish(t, e, `=HYPERLINK("http://x")`, "portal")
	if len(list) != 1 || list[0].State != deliveries.StateSent {
		t.Fatalf("deliveries %+v", list)
	}
	res, err := e.DB.Collection("items").UpdateOne(context.Background(), bson.M{"_id": it.ID},
		bson.M{"$set": bson.M{"title": legacyControl + "\x00", "body": "Gọi\x0b 111\ufffe\r\n\x08ngay"}})
	if err != nil || res.MatchedCount != 1 {
		t.Fatalf("%v %+v", err, res)
	}
	body := e.Do("GET", "/feed.atom", "", nil).Want(200).Body
	var feed struct {
		Entries []struct {
			Title   string `xml:"title"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(body, &feed); err != nil {
		t.Fatalf("the feed is not XML: %v\n%q", err, body)
	}
	if len(feed.Entries) != 1 || feed.Entries[0].Title != "Điều khiển" || feed.Entries[0].Content != "<p>Gọi 111<br>ngay</p>" {
		t.Fatalf("entries %+v", feed.Entries)
	}
	if bytes.ContainsRune(body, '\ufffd') || controlIn(string(body)) {
		t.Fatalf("the feed carries replaced or control characters: %q", body)
	}
}
