package web_test

import (
	"net/http"
	"net/url"
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

// TestRouteMatrix walks every page route of the running engine with an
// anonymous visitor and with every role, and checks each answer against the
// route table: a signed-out visit to a page that is not public is a 303 to
// /login, a role outside the rule gets 403, and an allowed role gets neither.
// Unsafe requests carry the session's CSRF token and our Origin, so that only
// the role decides. A page without a rule fails, and so does a rule without
// a registered page.
func TestRouteMatrix(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	engine, ok := e.App.Handler.(*gin.Engine)
	if !ok {
		t.Fatalf("handler is %T, not the gin engine", e.App.Handler)
	}
	rules := map[string]edge.Access{}
	for _, r := range (&web.Server{}).Routes() {
		rules[r.Method+" "+r.Path] = r.Access
	}
	apiRules := map[string]bool{}
	for _, r := range (&api.Server{}).Routes() {
		apiRules[r.Method+" "+r.Path] = true
	}
	seen := 0
	for _, rt := range engine.Routes() {
		key := rt.Method + " " + rt.Path
		access, ok := rules[key]
		if !ok {
			if !apiRules[key] {
				t.Errorf("%s has no rule in either route table", key)
			}
			continue
		}
		seen++
		path := strings.NewReplacer(":id", "x-unknown", ":name", "x").Replace(rt.Path)
		anon := request(t, newBrowser(t, e), rt.Method, path)
		toLogin := anon.StatusCode == http.StatusSeeOther && strings.HasPrefix(anon.Header.Get("Location"), "/login")
		switch {
		case !access.Public && !toLogin:
			t.Errorf("anonymous %s: %d to %q, want 303 to /login", key, anon.StatusCode, anon.Header.Get("Location"))
		case access.Public && (toLogin || anon.StatusCode == http.StatusForbidden):
			t.Errorf("anonymous %s: %d on a public page", key, anon.StatusCode)
		}
		for _, role := range accounts.Roles {
			b := newBrowser(t, e)
			name := "matrix-" + string(role)
			if path == "/logout" {
				name = "matrix-out-" + string(role) // signing out revokes the session
			}
			b.setSession(e.UserNamed(name, role, "lien-minh"))
			got := request(t, b, rt.Method, path)
			allowed := access.Public || len(access.Roles) == 0 || slices.Contains(access.Roles, role)
			denied := got.StatusCode == http.StatusForbidden ||
				got.StatusCode == http.StatusSeeOther && strings.HasPrefix(got.Header.Get("Location"), "/login") && path != "/logout"
			switch {
			case allowed && denied:
				t.Errorf("%s as %s: %d, want allowed", key, role, got.StatusCode)
			case !allowed && got.StatusCode != http.StatusForbidden:
				t.Errorf("%s as %s: %d, want 403", key, role, got.StatusCode)
			}
		}
	}
	if seen != len(rules) {
		t.Errorf("%d page routes registered, %d rules", seen, len(rules))
	}
}

// request sends one request as a page would: a POST carries our Origin and
// the token of the form it comes from — the sign-in form's (with its cookie)
// for /login, the session's for every other.
func request(t *testing.T, b *browser, method, path string) *page {
	t.Helper()
	if method == http.MethodGet {
		return b.get(path)
	}
	form := url.Values{}
	if path == "/login" || !hasSession(b) {
		signedOut := newBrowser(t, b.e)
		p := signedOut.get("/login").want(http.StatusOK)
		form.Set("csrf", csrfInput.FindStringSubmatch(p.Body)[1])
		u, _ := url.Parse(b.e.Server.URL + "/login")
		b.c.Jar.SetCookies(u, signedOut.c.Jar.Cookies(u))
	} else {
		form.Set("csrf", b.csrf())
	}
	return b.postRaw(path, form, b.origin)
}

func hasSession(b *browser) bool {
	u, _ := url.Parse(b.e.Server.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == edge.SessionCookie {
			return true
		}
	}
	return false
}

// TestReportPagesMirrorTheAPI: the report and province pages are open to
// exactly the roles of the API routes whose figures and files they show.
func TestReportPagesMirrorTheAPI(t *testing.T) {
	t.Parallel()
	apiRules := map[string]edge.Access{}
	for _, r := range (&api.Server{}).Routes() {
		apiRules[r.Method+" "+r.Path] = r.Access
	}
	webRules := map[string]edge.Access{}
	for _, r := range (&web.Server{}).Routes() {
		webRules[r.Method+" "+r.Path] = r.Access
	}
	for page, apis := range map[string][]string{
		"GET /reports":  {"GET /api/v1/reports/annual"},
		"GET /province": {"GET /api/v1/province/reach/summary", "GET /api/v1/province/reports/annual"},
	} {
		w, ok := webRules[page]
		if !ok {
			t.Errorf("no page %s", page)
			continue
		}
		for _, a := range apis {
			r, ok := apiRules[a]
			if !ok {
				t.Errorf("no API route %s", a)
				continue
			}
			if w.Public || r.Public || !slices.Equal(w.Roles, r.Roles) {
				t.Errorf("%s is open to %v, %s to %v", page, w.Roles, a, r.Roles)
			}
		}
	}
}
