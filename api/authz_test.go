package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/api"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/edge"
	"github.com/lantoa/lantoa/web"
)

// TestAuthorizationMatrix walks every route the engine has registered, with
// an anonymous caller and with every role, and checks the outcome against the
// route table: anonymous → 401 unless public, a role not in the rule → 403,
// an allowed role → neither. A route registered without a rule fails.
func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	rules := map[string]edge.Access{}
	for _, r := range (&api.Server{}).Routes() {
		rules[r.Method+" "+r.Path] = r.Access
	}
	engine, ok := e.App.Handler.(*gin.Engine)
	if !ok {
		t.Fatalf("handler is %T, not the gin engine", e.App.Handler)
	}
	registered := engine.Routes()
	if len(registered) < len(rules) {
		t.Fatalf("%d routes registered, %d rules", len(registered), len(rules))
	}
	pages := map[string]bool{} // the web pages' own table, walked by web.TestRouteMatrix
	for _, r := range (&web.Server{}).Routes() {
		pages[r.Method+" "+r.Path] = true
	}
	for _, rt := range registered {
		access, ok := rules[rt.Method+" "+rt.Path]
		if !ok && pages[rt.Method+" "+rt.Path] {
			continue
		}
		if !ok {
			t.Errorf("%s %s has no rule in the route table", rt.Method, rt.Path)
			continue
		}
		path := strings.NewReplacer(":id", "x-unknown", ":code", "x-unknown", ":variant", "thumb").Replace(rt.Path)
		if strings.Contains(rt.Path, "logout") {
			continue // checked below: it revokes the token it is called with
		}
		anon := e.Do(rt.Method, path, "", nil)
		if !access.Public && anon.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous %s %s: %d, want 401", rt.Method, rt.Path, anon.StatusCode)
		}
		if access.Public && anon.StatusCode == http.StatusUnauthorized {
			t.Errorf("anonymous %s %s: 401 on a public route", rt.Method, rt.Path)
		}
		for _, role := range accounts.Roles {
			got := e.Do(rt.Method, path, e.User(role, "lien-minh"), nil).StatusCode
			allowed := access.Public || len(access.Roles) == 0 || slices.Contains(access.Roles, role)
			switch {
			case allowed && (got == 401 || got == 403):
				t.Errorf("%s %s as %s: %d, want allowed", rt.Method, rt.Path, role, got)
			case !allowed && got != 403:
				t.Errorf("%s %s as %s: %d, want 403", rt.Method, rt.Path, role, got)
			}
		}
	}
	e.Do("POST", "/api/v1/auth/logout", "", nil).Want(401)
	for _, role := range accounts.Roles {
		tok := e.UserNamed("logout-"+string(role), role, "lien-minh")
		e.Do("POST", "/api/v1/auth/logout", tok, nil).Want(204)
	}
	mustChangeMatrix(t, e, registered, rules)
}

// mustChangeMatrix: a user signed in with a password an admin reset gets
// 403 password_change_required on every route but those open
// DuringPasswordChange (GET /me, the password change, logout), whatever
// their role allows.
func mustChangeMatrix(t *testing.T, e *apptest.Env, registered gin.RoutesInfo, rules map[string]edge.Access) {
	t.Helper()
	open := 0
	for _, role := range []accounts.Role{accounts.RoleAdmin, accounts.RoleOperator} {
		name := "reset-" + string(role)
		e.UserNamed(name, role, "lien-minh")
		u := e.UserID(name)
		temp := accounts.TemporaryPassword(name)
		if err := e.App.Accounts.ResetPassword(apptest.Scoped("lien-minh"), accounts.Principal{Username: "admin"}, u, temp); err != nil {
			t.Fatal(err)
		}
		tok, _, err := e.App.Accounts.Login(t.Context(), name, temp, "test-reset")
		if err != nil {
			t.Fatal(err)
		}
		for _, rt := range registered {
			access, ok := rules[rt.Method+" "+rt.Path]
			if !ok || access.Public || strings.Contains(rt.Path, "logout") {
				continue
			}
			path := strings.NewReplacer(":id", "x-unknown", ":code", "x-unknown", ":variant", "thumb").Replace(rt.Path)
			res := e.Do(rt.Method, path, tok, nil)
			refused := res.StatusCode == http.StatusForbidden && res.ErrorCode() == "password_change_required"
			if access.DuringPasswordChange {
				open++
			}
			if refused == access.DuringPasswordChange {
				t.Errorf("%s %s as %s who must change the password: %d %s", rt.Method, rt.Path, role, res.StatusCode, res.ErrorCode())
			}
		}
		e.Do("POST", "/api/v1/auth/logout", tok, nil).Want(204)
	}
	if open != 4 { // GET /me and POST /me/password, for each of the two users
		t.Errorf("%d routes open while the password must change, want 2 for each user", open)
	}
}

func TestErrorShapeEverywhere(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, r := range []*apptest.Response{
		e.Do("GET", "/api/v1/nothing-here", "", nil).Want(404),
		e.Do("DELETE", "/api/v1/observances", e.Admin(), nil).Want(405),
		e.Do("GET", "/api/v1/me", "", nil).Want(401),
		e.Do("POST", "/api/v1/campaigns", e.Admin(), `{"title":`).Want(400),
		e.Do("POST", "/api/v1/campaigns", e.Admin(), `{"title":"x","start":"`+strings.Repeat("x", 2<<20)+`"}`).Want(413),
	} {
		if r.ErrorCode() == "" {
			t.Errorf("%s %s: body %s lacks the error shape", r.Request.Method, r.Request.URL.Path, r.Body)
		}
	}
	e.Do("GET", "/healthz", "", nil).Want(200)
	e.Do("GET", "/readyz", "", nil).Want(200)
}
