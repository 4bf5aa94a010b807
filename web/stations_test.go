package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
)

func TestStationsAdmin(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	ed.get("/admin/stations").want(200).sound().has("Các cụm loa truyền thanh của xã", "Xã chưa có cụm loa nào.", "Thêm cụm loa",
		`name="households"`)
	ed.post("/admin/stations", url.Values{"name": {" "}, "village": {""}, "households": {"nhiều"}}).
		want(http.StatusUnprocessableEntity).sound().has("Vui lòng nhập ô này.", "Số hộ là số nguyên từ 0 đến 100.000.", `value="nhiều"`)
	ed.post("/admin/stations", url.Values{"name": {"Cụm loa"}, "village": {"Thôn Đông"}, "households": {"200000"}}).
		want(http.StatusUnprocessableEntity).has("Số hộ là số nguyên từ 0 đến 100.000.")
	ed.post("/admin/stations", url.Values{"name": {"Cụm loa Thôn Đông"}, "village": {"Thôn Đông"}, "households": {"1.250"},
		"notes": {"Cột loa cạnh nhà văn hoá"}}).redirects("/admin/stations?saved=1")
	p := ed.get("/admin/stations?saved=1").want(200).sound()
	p.has("Đã lưu cụm loa.", "Cụm loa Thôn Đông", "Thôn Đông", "1.250", "Cột loa cạnh nhà văn hoá", "1 cụm loa, phủ 1.250 hộ.")
	m := regexp.MustCompile(`href="/admin/stations/([0-9a-f]+)"`).FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatal("no link to the station's form")
	}
	ed.get("/admin/stations/"+m[1]).want(200).sound().has("Sửa cụm loa", `value="Cụm loa Thôn Đông"`, `value="1250"`)
	ed.post("/admin/stations/"+m[1], url.Values{"name": {"Cụm loa số 1"}, "village": {"Thôn Đông"}, "households": {"300"}}).
		redirects("/admin/stations?saved=1")
	ed.post("/admin/stations/"+m[1], url.Values{"name": {strings.Repeat("a", 121)}, "village": {"Thôn Đông"}}).
		want(http.StatusUnprocessableEntity).has("Tên cụm loa phải có từ 1 đến 120 ký tự.")
	st, err := e.App.Stations.Get(apptest.Scoped("lien-minh"), m[1])
	if err != nil || st.Name != "Cụm loa số 1" || st.Households != 300 || st.Notes != "" {
		t.Fatalf("stored %+v %v", st, err)
	}
	as(t, e, accounts.RoleAdmin, "lien-minh").get("/admin/stations").want(200).has("Cụm loa số 1")
	as(t, e, accounts.RoleManager, "lien-minh").get("/admin/stations").want(403)
	ed.get("/admin/stations/x-unknown").want(404)
}

// TestNavigationByRole: each role's navigation offers the pages it may open,
// and nothing else.
func TestNavigationByRole(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	nav := regexp.MustCompile(`(?s)<nav class="nav".*?</nav>`)
	for role, want := range map[accounts.Role]string{
		accounts.RoleEditor:   "Việc của tôi|Lịch|Lượt phát|Tiếp cận|Cụm loa|Tài khoản|Hỗ trợ",
		accounts.RoleManager:  "Lịch|Lịch phát thanh|Duyệt nội dung|Lượt phát|Tiếp cận|Báo cáo|Kênh đăng tải|Tài khoản|Hỗ trợ",
		accounts.RoleOperator: "Lịch|Lịch phát thanh|Tài khoản|Hỗ trợ",
		accounts.RoleAdmin:    "Lịch|Lượt phát|Cụm loa|Các xã|Người dùng|Kênh đăng tải|Tài khoản|Hỗ trợ",
		accounts.RoleProvince: "Lịch|Toàn tỉnh|Báo cáo|Tài khoản|Hỗ trợ",
	} {
		body := as(t, e, role, "lien-minh").get("/calendar").want(200).Body
		var got []string
		for _, m := range regexp.MustCompile(`<a href="[^"]*"[^>]*>([^<]+)</a>`).FindAllStringSubmatch(nav.FindString(body), -1) {
			got = append(got, m[1])
		}
		if strings.Join(got, "|") != want {
			t.Errorf("%s sees %q, want %q", role, strings.Join(got, "|"), want)
		}
	}
}
