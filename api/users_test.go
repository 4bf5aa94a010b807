package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/stations"
)

type apiUser struct {
	ID                 string   `json:"id"`
	Username           string   `json:"username"`
	DisplayName        string   `json:"display_name"`
	Role               string   `json:"role"`
	CommuneID          string   `json:"commune_id"`
	StationIDs         []string `json:"station_ids"`
	Disabled           bool     `json:"disabled"`
	MustChangePassword bool     `json:"must_change_password"`
	LastSignInAt       *string  `json:"last_sign_in_at"`
}

func listUsers(t *testing.T, e *apptest.Env, query string) map[string]apiUser {
	t.Helper()
	var raw []map[string]any
	res := e.Do("GET", "/api/v1/users"+query, e.Admin(), nil).Want(200)
	res.JSON(&raw)
	for _, u := range raw {
		for _, f := range []string{"id", "username", "display_name", "role", "commune_id", "station_ids", "disabled", "must_change_password", "last_sign_in_at"} {
			if _, ok := u[f]; !ok {
				t.Errorf("GET /api/v1/users: %v lacks %s", u, f)
			}
		}
	}
	var list []apiUser
	res.JSON(&list)
	out := map[string]apiUser{}
	for _, u := range list {
		out[u.Username] = u
	}
	return out
}

func login(t *testing.T, e *apptest.Env, username, password string) string {
	t.Helper()
	var out struct {
		Token string `json:"token"`
		User  struct {
			MustChangePassword bool `json:"must_change_password"`
		} `json:"user"`
	}
	e.Do("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": password}).Want(200).JSON(&out)
	return out.Token
}

func me(t *testing.T, e *apptest.Env, token string) map[string]any {
	t.Helper()
	var out map[string]any
	e.Do("GET", "/api/v1/me", token, nil).Want(200).JSON(&out)
	return out
}

// TestOperatorMadeThenGivenAStation: SPEC §6.1 — an operator created
// without a station is given one with PATCH, and their open session has it
// at the next request; the list says who is what.
func TestOperatorMadeThenGivenAStation(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin := e.Admin()
	var st stations.Station
	e.Do("POST", "/api/v1/stations", admin, map[string]any{"name": "Cụm loa số 1", "village": "Thôn Đông", "households": 120}).Want(201).JSON(&st)
	var op apiUser
	e.Do("POST", "/api/v1/users", admin, map[string]any{"username": "van-hanh", "password": "song-nuoc-que-huong", "role": "operator",
		"display_name": "Lê Văn Tuấn"}).Want(201).JSON(&op)
	u := listUsers(t, e, "")["van-hanh"]
	if u.Disabled || u.MustChangePassword || u.LastSignInAt != nil || len(u.StationIDs) != 0 || u.StationIDs == nil {
		t.Errorf("new operator listed as %+v", u)
	}
	tok := login(t, e, "van-hanh", "song-nuoc-que-huong")
	if u := listUsers(t, e, "")["van-hanh"]; u.LastSignInAt == nil || !strings.HasPrefix(*u.LastSignInAt, "2026-11-20T02:00:00") {
		t.Errorf("last sign-in %v", u.LastSignInAt)
	}
	e.Do("GET", "/api/v1/stations/"+st.ID+"/rundown", tok, nil).Want(403)
	if r := e.Do("PATCH", "/api/v1/users/"+op.ID, admin, map[string]any{"station_ids": []string{st.ID, "nope"}}).Want(400); !strings.Contains(string(r.Body), `"field":"station_ids"`) {
		t.Errorf("unknown station: %s", r.Body)
	}
	e.Do("PATCH", "/api/v1/users/"+op.ID, admin, `{"display_name":"A\u0000"}`).Want(400)
	e.Do("PATCH", "/api/v1/users/"+op.ID, admin, `{"role":"pilot"}`).Want(400)
	e.Do("PATCH", "/api/v1/users/x-unknown", admin, `{}`).Want(404)
	var got apiUser
	e.Do("PATCH", "/api/v1/users/"+op.ID, admin, map[string]any{"station_ids": []string{st.ID}}).Want(200).JSON(&got)
	if len(got.StationIDs) != 1 || got.StationIDs[0] != st.ID || got.DisplayName != "Lê Văn Tuấn" {
		t.Errorf("after PATCH %+v", got)
	}
	if ids, _ := me(t, e, tok)["station_ids"].([]any); len(ids) != 1 || ids[0] != st.ID {
		t.Errorf("/me station_ids %v", ids)
	}
	e.Do("GET", "/api/v1/stations/"+st.ID+"/rundown", tok, nil).Want(200)
	// An editor given a station is refused; made an operator in the same call, it is given.
	var ed apiUser
	e.Do("POST", "/api/v1/users", admin, map[string]any{"username": "bien-tap", "password": "song-nuoc-que-huong", "role": "editor"}).Want(201).JSON(&ed)
	e.Do("PATCH", "/api/v1/users/"+ed.ID, admin, map[string]any{"station_ids": []string{st.ID}}).Want(400)
	e.Do("PATCH", "/api/v1/users/"+ed.ID, admin, map[string]any{"role": "operator", "station_ids": []string{st.ID}}).Want(200).JSON(&got)
	if got.Role != "operator" || len(got.StationIDs) != 1 {
		t.Errorf("editor made operator %+v", got)
	}
	var audit []struct{ Action, Actor string }
	e.Do("GET", "/api/v1/audit", admin, nil).Want(200).JSON(&audit)
	var actions []string
	for _, a := range audit {
		actions = append(actions, a.Action+" by "+a.Actor)
	}
	if got := strings.Join(actions, ","); !strings.Contains(got, "user.update by admin,user.create by admin,user.update by admin") {
		t.Errorf("audit %s", got)
	}
}

// TestDisablingEndsTheOpenSession: the disabled user's next request is a
// 401, signing in answers exactly as a wrong password does, and the last
// enabled admin is kept.
func TestDisablingEndsTheOpenSession(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin := e.Admin()
	tok := e.User(accounts.RoleEditor, "lien-minh")
	id := me(t, e, tok)["id"].(string)
	e.Do("GET", "/api/v1/campaigns", tok, nil).Want(200)
	var got apiUser
	e.Do("PATCH", "/api/v1/users/"+id, admin, `{"disabled":true}`).Want(200).JSON(&got)
	if !got.Disabled || !listUsers(t, e, "")["editor-lien-minh"].Disabled {
		t.Errorf("not disabled: %+v", got)
	}
	e.Do("GET", "/api/v1/campaigns", tok, nil).Want(401)
	right := e.Do("POST", "/api/v1/auth/login", "", map[string]string{"username": "editor-lien-minh", "password": apptest.Password}).Want(401)
	wrong := e.Do("POST", "/api/v1/auth/login", "", map[string]string{"username": "editor-lien-minh", "password": "sai-mat-khau-roi"}).Want(401)
	if string(right.Body) != string(wrong.Body) {
		t.Errorf("a disabled user's sign-in says %s, a wrong password %s", right.Body, wrong.Body)
	}
	e.Do("PATCH", "/api/v1/users/"+id, admin, `{"disabled":false}`).Want(200)
	login(t, e, "editor-lien-minh", apptest.Password)

	self := me(t, e, admin)["id"].(string)
	if r := e.Do("PATCH", "/api/v1/users/"+self, admin, `{"disabled":true}`).Want(409); r.ErrorCode() != "conflict" {
		t.Errorf("disabling oneself: %s", r.Body)
	}
	if r := e.Do("PATCH", "/api/v1/users/"+self, admin, `{"role":"editor"}`).Want(409); !strings.Contains(string(r.Body), "last enabled admin") {
		t.Errorf("demoting the last admin: %s", r.Body)
	}
	second := e.User(accounts.RoleAdmin, "lien-minh")
	e.Do("PATCH", "/api/v1/users/"+self, second, `{"role":"manager"}`).Want(200)
	e.Do("GET", "/api/v1/users", admin, nil).Want(403) // a role change applies at the next request
}

// TestAdminsOfOneCommuneReachAnotherByNamingIt: users of another commune
// are not found unless the admin names the commune (SPEC §1: admins manage
// users across communes; nobody else may).
func TestAdminsOfOneCommuneReachAnotherByNamingIt(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin := e.Admin()
	e.Do("POST", "/api/v1/communes", admin, map[string]any{"id": "gia-vien", "name": "Xã Gia Viễn"}).Want(201)
	e.User(accounts.RoleEditor, "gia-vien")
	theirs := listUsers(t, e, "?commune=gia-vien")["editor-gia-vien"]
	if _, ok := listUsers(t, e, "")["editor-gia-vien"]; ok || theirs.ID == "" {
		t.Fatalf("lien-minh's list holds gia-vien's editor, or gia-vien's lacks it: %+v", theirs)
	}
	e.Do("PATCH", "/api/v1/users/"+theirs.ID, admin, `{"display_name":"Khác"}`).Want(404)
	e.Do("POST", "/api/v1/users/"+theirs.ID+"/password", admin, `{"password":"mua-ram-thang-gieng"}`).Want(404)
	e.Do("PATCH", "/api/v1/users/"+theirs.ID+"?commune=gia-vien", admin, `{"display_name":"Trần Thị Mai"}`).Want(200)
	e.Do("GET", "/api/v1/users?commune=gia-vien", e.User(accounts.RoleManager, "lien-minh"), nil).Want(403)
	e.Do("GET", "/api/v1/users?commune=lien-minh", e.User(accounts.RoleEditor, "gia-vien"), nil).Want(403)
}

// TestResetPasswordThenChangeIt: SPEC §6.1 end to end over the API.
func TestResetPasswordThenChangeIt(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin := e.Admin()
	old := e.User(accounts.RoleManager, "lien-minh")
	id := me(t, e, old)["id"].(string)
	if r := e.Do("POST", "/api/v1/users/"+id+"/password", admin, `{"password":"123456789"}`).Want(400); !strings.Contains(string(r.Body), `"field":"password"`) {
		t.Errorf("short password: %s", r.Body)
	}
	e.Do("POST", "/api/v1/users/"+id+"/password", admin, `{"password":"mua-ram-thang-gieng"}`).Want(204)
	e.Do("GET", "/api/v1/me", old, nil).Want(401)
	if u := listUsers(t, e, "")["manager-lien-minh"]; !u.MustChangePassword {
		t.Errorf("listed as %+v", u)
	}

	laptop := login(t, e, "manager-lien-minh", "mua-ram-thang-gieng")
	phone := login(t, e, "manager-lien-minh", "mua-ram-thang-gieng")
	if m := me(t, e, phone); m["must_change_password"] != true {
		t.Errorf("/me %v", m)
	}
	for _, r := range []*apptest.Response{
		e.Do("GET", "/api/v1/campaigns", phone, nil),
		e.Do("POST", "/api/v1/me/sessions/revoke", phone, nil),
		e.Do("POST", "/api/v1/me/calendar-token", phone, nil),
	} {
		if r.StatusCode != http.StatusForbidden || r.ErrorCode() != "password_change_required" {
			t.Errorf("%s while the password must change: %d %s", r.Request.URL.Path, r.StatusCode, r.Body)
		}
	}
	if r := e.Do("POST", "/api/v1/me/password", phone, map[string]string{"current_password": "sai-mat-khau-roi", "new_password": "song-nuoc-que-huong"}).Want(400); !strings.Contains(string(r.Body), `"field":"current_password"`) {
		t.Errorf("wrong current password: %s", r.Body)
	}
	if r := e.Do("POST", "/api/v1/me/password", phone, map[string]string{"current_password": "mua-ram-thang-gieng", "new_password": "mua-ram-thang-gieng"}).Want(400); !strings.Contains(string(r.Body), `"field":"new_password"`) {
		t.Errorf("same password: %s", r.Body)
	}
	e.Do("POST", "/api/v1/me/password", phone, map[string]string{"current_password": "mua-ram-thang-gieng", "new_password": "song-nuoc-que-huong"}).Want(204)
	e.Do("GET", "/api/v1/me", laptop, nil).Want(401)
	if m := me(t, e, phone); m["must_change_password"] != false {
		t.Errorf("/me after the change %v", m)
	}
	e.Do("GET", "/api/v1/campaigns", phone, nil).Want(200)
	e.Do("POST", "/api/v1/auth/logout", phone, nil).Want(204)
	login(t, e, "manager-lien-minh", "song-nuoc-que-huong")
}

// TestSignOutEverywhereElse: POST /me/sessions/revoke ends the other
// sessions and keeps this one; logout works while the password must change.
func TestSignOutEverywhereElse(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.User(accounts.RoleOperator, "lien-minh")
	a := login(t, e, "operator-lien-minh", apptest.Password)
	b := login(t, e, "operator-lien-minh", apptest.Password)
	e.Do("POST", "/api/v1/me/sessions/revoke", b, nil).Want(204)
	e.Do("GET", "/api/v1/me", a, nil).Want(401)
	e.Do("GET", "/api/v1/me", b, nil).Want(200)

	id := me(t, e, b)["id"].(string)
	e.Do("POST", "/api/v1/users/"+id+"/password", e.Admin(), `{"password":"mua-ram-thang-gieng"}`).Want(204)
	c := login(t, e, "operator-lien-minh", "mua-ram-thang-gieng")
	e.Do("POST", "/api/v1/auth/logout", c, nil).Want(204)
	e.Do("GET", "/api/v1/me", c, nil).Want(401)
}
