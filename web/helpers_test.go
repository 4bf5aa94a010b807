package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/edge"
)

// browser is a cookie-keeping HTTP client that does not follow redirects, so
// that tests see each 303.
type browser struct {
	t      *testing.T
	e      *apptest.Env
	c      *http.Client
	origin string
}

func newBrowser(t *testing.T, e *apptest.Env) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, e: e, origin: e.Server.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// as returns a browser signed in as a user of role in commune: the session
// cookie holds the same token as the API's bearer token.
func as(t *testing.T, e *apptest.Env, role accounts.Role, commune string) *browser {
	t.Helper()
	b := newBrowser(t, e)
	b.setSession(e.User(role, commune))
	return b
}

func (b *browser) setSession(token string) {
	u, _ := url.Parse(b.e.Server.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: edge.SessionCookie, Value: token, Path: "/"}})
}

func (b *browser) setCookie(name, value string) {
	u, _ := url.Parse(b.e.Server.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// page is a response with its body.
type page struct {
	*http.Response
	Body string
	t    *testing.T
}

func (b *browser) do(req *http.Request) *page {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return &page{Response: res, Body: string(raw), t: b.t}
}

func (b *browser) get(path string) *page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.e.Server.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form as our own pages do: same Origin, and the session's
// CSRF token unless the form has a csrf field already.
func (b *browser) post(path string, form url.Values) *page {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf())
	}
	return b.postRaw(path, form, b.origin)
}

// postRaw sends a form as is, with the given Origin ("" for none).
func (b *browser) postRaw(path string, form url.Values, origin string) *page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.e.Server.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return b.do(req)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token from a page, as a browser's form would carry it:
// the sign-in form's before a session, the session's after.
func (b *browser) csrf() string {
	b.t.Helper()
	p := b.get("/calendar/subscribe")
	if p.StatusCode == http.StatusSeeOther {
		p = b.get("/login")
	}
	m := csrfInput.FindStringSubmatch(p.Body)
	if m == nil {
		b.t.Fatalf("no csrf field on the page: %.300s", p.Body)
	}
	return m[1]
}

// want fails unless the status is want.
func (p *page) want(status int) *page {
	p.t.Helper()
	if p.StatusCode != status {
		p.t.Fatalf("%s %s: status %d, want %d; body %.2000s", p.Request.Method, p.Request.URL, p.StatusCode, status, p.Body)
	}
	return p
}

// has fails unless the body contains every text.
func (p *page) has(texts ...string) *page {
	p.t.Helper()
	for _, s := range texts {
		if !strings.Contains(p.Body, s) {
			p.t.Errorf("%s %s: body lacks %q", p.Request.Method, p.Request.URL, s)
		}
	}
	return p
}

// lacks fails if the body contains any text.
func (p *page) lacks(texts ...string) *page {
	p.t.Helper()
	for _, s := range texts {
		if strings.Contains(p.Body, s) {
			p.t.Errorf("%s %s: body has %q", p.Request.Method, p.Request.URL, s)
		}
	}
	return p
}

// redirects fails unless the response is a 303 to a location starting with
// prefix.
func (p *page) redirects(prefix string) *page {
	p.t.Helper()
	if p.StatusCode != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), prefix) {
		p.t.Fatalf("%s %s: %d to %q, want 303 to %s…", p.Request.Method, p.Request.URL, p.StatusCode, p.Header.Get("Location"), prefix)
	}
	return p
}

// sound checks what every HTML page must be: Vietnamese by default, no
// template or format errors, the security headers set.
func (p *page) sound() *page {
	p.t.Helper()
	if ct := p.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		p.t.Errorf("%s: content type %q", p.Request.URL, ct)
	}
	p.has(`<html lang="vi">`).lacks("ZgotmplZ", "%!", "{{", "<no value>")
	checkSecurityHeaders(p.t, p.Response)
	return p
}

func checkSecurityHeaders(t *testing.T, res *http.Response) {
	t.Helper()
	for h, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'",
		"X-Frame-Options":         "DENY",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
	} {
		if got := res.Header.Get(h); !strings.Contains(got, want) {
			t.Errorf("%s %s: %s = %q, want %q", res.Request.Method, res.Request.URL.Path, h, got, want)
		}
	}
}
