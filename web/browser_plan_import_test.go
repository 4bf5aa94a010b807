package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/plans"
	"github.com/lantoa/lantoa/plans/planstest"
)

// TestBrowserPlanImport: on a 390×844 phone an editor opens the import from
// the campaign, downloads the template, picks a plan with a bad time, reads
// which cell is wrong and why, picks the fixed file, confirms, finds the
// drafts listed and on the calendar, and submits them all (the leaflet
// waits for its leaflet). The preview with errors is checked at 360 and
// 1280 px too.
func TestBrowserPlanImport(t *testing.T) {
	t.Parallel()
	ctx := chromeFor(t, 150*time.Second)
	e := apptest.New(t)
	e.User(accounts.RoleEditor, "lien-minh")
	planStation(t, e)
	base := e.Server.URL
	dir, dl := t.TempDir(), t.TempDir()
	badFile, goodFile := filepath.Join(dir, "ke-hoach-thang-11.xlsx"), filepath.Join(dir, "ke-hoach-thang-11-da-sua.xlsx")
	for path, rows := range map[string][][]any{badFile: planSheetRows("8h"), goodFile: planSheetRows("")} {
		if err := os.WriteFile(path, planstest.XLSX(t, rows, nil), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(what string, acts ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, acts...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	run("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	allowDownloads(t, ctx, dl)
	signIn(t, ctx, base, "editor-lien-minh")
	run("campaign", chromedp.Navigate(base+"/campaigns/"+gbv2026), chromedp.WaitVisible(chromedp.CSS(`.plan-links a.button`)))
	shoot(t, ctx, "import-campaign-390")
	run("open the import", chromedp.Click(chromedp.CSS(`.plan-links a.button`)), chromedp.WaitVisible(chromedp.ID("template")))
	checkLayout(t, ctx, "import")
	shoot(t, ctx, "import-start-390")

	run("download the template", chromedp.Click(chromedp.ID("template")))
	waitDownload(t, dl)
	got, _ := os.ReadDir(dl)
	if len(got) != 1 || got[0].Name() != "ke-hoach-mau.xlsx" {
		t.Fatalf("downloaded %v", got)
	}
	tpl, err := excelize.OpenFile(filepath.Join(dl, got[0].Name()))
	if err != nil {
		t.Fatalf("the template does not open: %v", err)
	}
	if h, _ := tpl.GetCellValue(plans.SheetName, "A1"); h != "Loại" {
		t.Errorf("the template's A1 is %q", h)
	}
	tpl.Close()

	run("pick the file with a bad cell", chromedp.SetUploadFiles(chromedp.ID("file"), []string{badFile}),
		chromedp.Click(chromedp.ID("check")), chromedp.WaitVisible(chromedp.CSS(`table.plan`)))
	if m := text(t, ctx, `#row-3 mark.bad`); m != "8h" {
		t.Errorf("the marked cell of row 3 reads %q", m)
	}
	if msg := text(t, ctx, `#row-3 + tr.errs li`); msg != "Dòng 3, cột Giờ: '8h' không phải giờ hợp lệ, hãy viết 08:00" {
		t.Errorf("the error beside row 3 reads %q", msg)
	}
	if shown(t, ctx, `#confirm`) {
		t.Error("a file with an error can be confirmed")
	}
	checkLayout(t, ctx, "import errors")
	shoot(t, ctx, "import-errors-390")
	errorsURL := eval[string](t, ctx, `location.href`)

	run("pick the fixed file", chromedp.SetUploadFiles(chromedp.ID("file"), []string{goodFile}),
		chromedp.Click(chromedp.ID("check")), chromedp.WaitVisible(chromedp.ID("confirm")))
	if s := text(t, ctx, `.summary`); s != "Số dòng: 4 · mục mới: 4 · đã có: 0 · lỗi: 0" {
		t.Errorf("summary %q", s)
	}
	if n := len(campaignItemsOf(t, e, gbv2026)); n != 0 {
		t.Fatalf("the previews created %d items", n)
	}
	checkLayout(t, ctx, "import ready")
	shoot(t, ctx, "import-ready-390")

	run("confirm", chromedp.Click(chromedp.ID("confirm")), chromedp.WaitVisible(chromedp.ID("submit-all")))
	listed := text(t, ctx, `ul.items`)
	items := campaignItemsOf(t, e, gbv2026)
	if len(items) != 4 {
		t.Fatalf("%d items after confirming", len(items))
	}
	for _, it := range items {
		if it.Status != campaigns.StatusDraft || !strings.Contains(listed, it.Title) {
			t.Errorf("%s is %s; listed: %v", it.Title, it.Status, strings.Contains(listed, it.Title))
		}
	}
	checkLayout(t, ctx, "import done")
	shoot(t, ctx, "import-done-390")
	doneURL := eval[string](t, ctx, `location.href`)

	run("on the calendar", chromedp.Click(chromedp.ID("on-calendar")), chromedp.WaitVisible(chromedp.CSS(`.bands`)))
	cal := text(t, ctx, `main`)
	for _, title := range []string{"Thông điệp tuần lễ", "Ngày Quốc tế 25/11", "Tọa đàm gia đình không bạo lực", "Đường dây nóng 111"} {
		if !strings.Contains(cal, title) {
			t.Errorf("the calendar lacks %q", title)
		}
	}
	shoot(t, ctx, "import-calendar-390")

	run("back to the result", chromedp.Navigate(doneURL), chromedp.WaitVisible(chromedp.ID("submit-all")))
	run("submit all", chromedp.Click(chromedp.ID("submit-all")), chromedp.WaitVisible(chromedp.CSS(`.item-note`)))
	if ok := text(t, ctx, `p.ok`); ok != "Đã gửi duyệt 3 mục." {
		t.Errorf("after submitting all: %q", ok)
	}
	if !strings.Contains(text(t, ctx, `ul.items`), "Chưa gửi duyệt: hãy tạo tờ rơi trước.") {
		t.Error("the leaflet's note is missing")
	}
	for _, it := range campaignItemsOf(t, e, gbv2026) {
		if want := campaigns.StatusSubmitted; it.Kind != campaigns.KindLeaflet && it.Status != want {
			t.Errorf("%s is %s, want %s", it.Title, it.Status, want)
		}
	}
	checkLayout(t, ctx, "import submitted")
	shoot(t, ctx, "import-submitted-390")

	run("narrowest phone", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(errorsURL), chromedp.WaitVisible(chromedp.CSS(`table.plan`)))
	checkLayout(t, ctx, "import errors@360")
	shoot(t, ctx, "import-errors-360")
	run("desktop", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(errorsURL), chromedp.WaitVisible(chromedp.CSS(`table.plan`)))
	checkLayout(t, ctx, "import errors@1280")
	shoot(t, ctx, "import-errors-1280")
}
