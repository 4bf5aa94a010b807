package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/config"
)

func TestMetrics(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed, mgr := e.User(accounts.RoleEditor, "lien-minh"), e.User(accounts.RoleManager, "lien-minh")
	var it struct{ ID string }
	e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": "lien-minh-gbv-month-2026", "kind": "post", "title": "Đo lường",
		"body": "Nội dung", "channels": []string{"facebook"}, "schedule": map[string]any{"at": e.Clock.Now().Add(time.Minute).Format(time.RFC3339)}}).Want(201).JSON(&it)
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(200)
	e.Clock.Advance(3 * time.Minute)
	body := string(e.Do("GET", "/metrics", "", nil).Want(200).Body)
	for _, want := range []string{
		`lantoa_deliveries{channel="facebook",state="queued"} 1`,
		`lantoa_scheduler_lag_seconds 120`,
		`lantoa_store_up 1`,
		`lantoa_http_request_duration_seconds_count{method="POST",route="/api/v1/items/:id/approve",status="2xx"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if err := e.App.Dispatch.Dispatch(apptest.Scoped("lien-minh")); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait()
	body = string(e.Do("GET", "/metrics", "", nil).Want(200).Body)
	for _, want := range []string{`lantoa_publish_duration_seconds_count{channel="facebook",outcome="ok"} 1`, `lantoa_scheduler_lag_seconds 0`} {
		if !strings.Contains(body, want) {
			t.Errorf("after dispatch /metrics lacks %s", want)
		}
	}
}

func TestMetricsToken(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, func(c *config.Config) { c.MetricsToken = "scrape-secret" })
	e.Do("GET", "/metrics", "", nil).Want(401)
	e.Do("GET", "/metrics", "wrong", nil).Want(401)
	req, _ := http.NewRequest("GET", e.Server.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer scrape-secret")
	e.Send(req).Want(200)
}
