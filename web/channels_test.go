package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/dispatch"
)

func TestChannelsPage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	const secret = "EAAGm0PX4ZCpsBAKZC0123456789abcdefXYZ"
	if _, err := e.DB.Collection("channel_state").InsertOne(t.Context(), map[string]any{"_id": "lien-minh|facebook",
		"commune_id": "lien-minh", "channel": "facebook", "status": "reconnect",
		"reason":       "auth_invalid 190: token expired (access_token=" + secret + ")",
		"paused_until": e.Clock.Now().Add(24 * time.Hour).UTC(), "updated_at": e.Clock.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	adm := as(t, e, accounts.RoleAdmin, "lien-minh")
	p := adm.get("/admin/channels").want(200).sound()
	p.has("Tình trạng các kênh đăng tải", "Trang Facebook", "Cần kết nối lại", "Việc cần làm: kết nối lại", "Zalo OA",
		"Truyền thanh cơ sở", "Tiếp tục", `action="/admin/channels/facebook/resume"`, "auth_invalid 190: token expired", "access_token=…")
	p.lacks(secret)
	adm.get("/deliveries").want(200).has(`href="/admin/channels?channel=facebook"`)

	mgr := as(t, e, accounts.RoleManager, "lien-minh")
	mgr.get("/admin/channels").want(200).sound().has("Cần kết nối lại", "Việc cần làm: kết nối lại").lacks("/resume", secret)
	mgr.post("/admin/channels/facebook/resume", nil).want(http.StatusForbidden)
	as(t, e, accounts.RoleEditor, "lien-minh").get("/admin/channels").want(http.StatusForbidden)
	as(t, e, accounts.RoleOperator, "lien-minh").get("/admin/channels").want(http.StatusForbidden)

	adm.post("/admin/channels/facebook/resume", nil).redirects("/admin/channels?resumed=facebook")
	adm.get("/admin/channels?resumed=facebook").want(200).has("Đã mở lại kênh.").lacks("Cần kết nối lại", `action="/admin/channels/facebook/resume"`)
	adm.post("/admin/channels/myspace/resume", nil).want(http.StatusNotFound)
}

// TestChannelsPageNeverCallsAnUnsetChannelHealthy: with no credentials
// every channel writes to the outbox, and the page says so plainly instead
// of "reaches the platform: yes" (the loudspeaker is pulled: nothing to
// connect).
func TestChannelsPageNeverCallsAnUnsetChannelHealthy(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	p := as(t, e, accounts.RoleAdmin, "lien-minh").get("/admin/channels").want(200).sound()
	p.has("Gửi tới nền tảng</dt><dd>Không: chưa nối với nền tảng</dd>",
		"Gửi tới nền tảng</dt><dd>Không cần: người vận hành tự lấy lịch phát</dd>", "Ghi vào thư mục chờ").
		lacks("Gửi tới nền tảng</dt><dd>Có</dd>", "Hoạt động tốt")
	var list []dispatch.ChannelStatus
	e.Do("GET", "/api/v1/channels", e.Admin(), nil).Want(200).JSON(&list)
	for _, st := range list {
		if st.Channel != "loudspeaker" && (st.Healthy || st.Status != dispatch.ChannelOutbox) {
			t.Errorf("%s without credentials: %+v", st.Channel, st)
		}
	}
}

// TestChannelsPageSaysWhoPostsByHand: without credentials and without the
// outbox, Facebook, Zalo and the portal are posted by editors. The page
// says so and leads to the queue; it does not call them failing.
func TestChannelsPageSaysWhoPostsByHand(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, func(c *config.Config) { c.Outbox = false })
	mgr := as(t, e, accounts.RoleManager, "lien-minh")
	p := mgr.get("/admin/channels").want(200).sound()
	p.has(`<section class="card ch ch-info" id="ch-facebook">`, `<section class="card ch ch-info" id="ch-zalo">`,
		"Trang Facebook <span class=\"badge\">Đăng tay</span>", "Gửi tới nền tảng</dt><dd>Không: cán bộ đăng tay</dd>",
		"biên tập viên đăng từng bài bằng tay", `href="/manual"`, "Mở danh sách cần đăng tay").
		lacks("Đang lỗi", "ch-bad", "Không rõ bài đã lên chưa")
	// An admin does not work the queue: no link to a page they cannot open.
	as(t, e, accounts.RoleAdmin, "lien-minh").get("/admin/channels").want(200).has("Đăng tay").lacks(`href="/manual"`, "Đang lỗi")
	var list []dispatch.ChannelStatus
	e.Do("GET", "/api/v1/channels", e.Admin(), nil).Want(200).JSON(&list)
	for _, st := range list {
		if (st.Channel == "facebook" || st.Channel == "zalo") && st.Status != dispatch.ChannelByHand {
			t.Errorf("%s without credentials or outbox: %+v, want by_hand", st.Channel, st)
		}
	}
}
