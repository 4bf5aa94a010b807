package app_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/edge"
	"github.com/lantoa/lantoa/media"
)

// zget sends GET path with an Accept-Encoding set by hand (so that the
// client hands the body over as it came), signed in by bearer token or, for
// pages, by session cookie, and extra header pairs.
func zget(e *apptest.Env, path, token, accept string, header ...string) *apptest.Response {
	e.T.Helper()
	return zsend(e, http.MethodGet, path, token, accept, header...)
}

func zsend(e *apptest.Env, method, path, token, accept string, header ...string) *apptest.Response {
	e.T.Helper()
	req, err := http.NewRequest(method, e.Server.URL+path, nil)
	if err != nil {
		e.T.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept-Encoding", accept)
	}
	if token != "" && strings.HasPrefix(path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+token)
	} else if token != "" {
		req.AddCookie(&http.Cookie{Name: edge.SessionCookie, Value: token})
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return e.SendAsIs(req)
}

// decoded returns a body decoded from its Content-Encoding.
func decoded(t *testing.T, r *apptest.Response) []byte {
	t.Helper()
	var rd io.Reader
	var err error
	switch ce := r.Header.Get("Content-Encoding"); ce {
	case "":
		return r.Body
	case edge.Gzip:
		rd, err = gzip.NewReader(bytes.NewReader(r.Body))
	case edge.Brotli:
		rd = brotli.NewReader(bytes.NewReader(r.Body))
	case edge.Zstd:
		var zr *zstd.Decoder
		zr, err = zstd.NewReader(bytes.NewReader(r.Body))
		if err == nil {
			defer zr.Close()
		}
		rd = zr
	default:
		t.Fatalf("unexpected Content-Encoding %q", ce)
	}
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(rd)
	if err != nil {
		t.Fatalf("decoding %s: %v", r.Header.Get("Content-Encoding"), err)
	}
	return out
}

// varies reports whether the answer names Accept-Encoding in Vary.
func varies(r *apptest.Response) bool {
	return strings.Contains(strings.Join(r.Header.Values("Vary"), ","), "Accept-Encoding")
}

// TestCompressedPageAndList: an HTML page and a JSON list come back in the
// coding asked for, decode to the plain bytes, say Vary, carry an entity
// tag per coding and answer 304 to it.
func TestCompressedPageAndList(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	editor := e.User(accounts.RoleEditor, "lien-minh")
	for _, path := range []string{"/calendar?month=2026-11", "/api/v1/campaigns"} {
		plain := zget(e, path, editor, "identity").Want(200)
		tag := plain.Header.Get("ETag")
		if plain.Header.Get("Content-Encoding") != "" || !varies(plain) || len(plain.Body) < 4*edge.MinCompressSize ||
			!regexp.MustCompile(`^"[0-9a-f]{24}"$`).MatchString(tag) || plain.ContentLength != int64(len(plain.Body)) {
			t.Fatalf("%s plain: %d bytes, headers %v", path, len(plain.Body), plain.Header)
		}
		for _, c := range []struct{ accept, want string }{
			{"gzip", edge.Gzip}, {"br", edge.Brotli}, {"zstd", edge.Zstd},
			{"gzip, deflate, br, zstd", edge.Brotli}, // a browser's
			{"br;q=0, gzip", edge.Gzip}, {"gzip;q=0.5, zstd", edge.Zstd}, {"*", edge.Brotli},
			{"gzip;q=0", ""}, {"", ""},
		} {
			r := zget(e, path, editor, c.accept).Want(200)
			ce, got := r.Header.Get("Content-Encoding"), decoded(t, r)
			if ce != c.want || !bytes.Equal(got, plain.Body) || !varies(r) || r.ContentLength != int64(len(r.Body)) {
				t.Errorf("%s %q: Content-Encoding %q (want %q), %d bytes, equal %v, Vary %q", path, c.accept, ce, c.want,
					len(r.Body), bytes.Equal(got, plain.Body), r.Header.Values("Vary"))
				continue
			}
			if want := edge.CodedETag(tag, ce); r.Header.Get("ETag") != want {
				t.Errorf("%s %q: ETag %s, want %s", path, c.accept, r.Header.Get("ETag"), want)
			}
			if ce != "" && len(r.Body)*3 > len(plain.Body) {
				t.Errorf("%s %s: %d of %d bytes", path, ce, len(r.Body), len(plain.Body))
			}
			// The tag held answers 304, with that tag and nothing else.
			nm := zget(e, path, editor, c.accept, "If-None-Match", r.Header.Get("ETag")).Want(http.StatusNotModified)
			if nm.Header.Get("ETag") != r.Header.Get("ETag") || len(nm.Body) != 0 || !varies(nm) || nm.Header.Get("Content-Encoding") != "" {
				t.Errorf("%s %q: 304 headers %v, %d bytes", path, c.accept, nm.Header, len(nm.Body))
			}
		}
		// Another coding's tag names the same content; another tag does not.
		zget(e, path, editor, "br", "If-None-Match", `"x", `+edge.CodedETag(tag, edge.Gzip)).Want(http.StatusNotModified)
		zget(e, path, editor, "br", "If-None-Match", `"`+strings.Repeat("0", 24)+`-br"`).Want(200)
	}
}

// TestCompressionLeftAlone: small answers, compressed formats, Range
// requests and HEAD bodies are not compressed; a client that refuses
// identity gets even a small answer coded.
func TestCompressionLeftAlone(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	editor, manager := e.User(accounts.RoleEditor, "lien-minh"), e.User(accounts.RoleManager, "lien-minh")

	small := zget(e, "/api/v1/me", editor, "gzip, br").Want(200)
	if small.Header.Get("Content-Encoding") != "" || !varies(small) || len(small.Body) >= edge.MinCompressSize {
		t.Errorf("small JSON: %d bytes, %v", len(small.Body), small.Header)
	}
	refused := zget(e, "/api/v1/me", editor, "identity;q=0, gzip").Want(200)
	if refused.Header.Get("Content-Encoding") != edge.Gzip || !bytes.Equal(decoded(t, refused), small.Body) {
		t.Errorf("identity refused: %v", refused.Header)
	}

	// A photo, and the annual report as PDF and XLSX: compressed already.
	var u media.Upload
	mediaUpload(e, editor, "IMG_0001.JPG", mediaPhoto(t, 3)).Want(201).JSON(&u)
	for _, path := range []string{"/media/" + u.ID + "/original", "/api/v1/reports/annual?year=2026&format=pdf",
		"/api/v1/reports/annual?year=2026&format=xlsx"} {
		token := manager
		if strings.HasPrefix(path, "/media/") {
			token = editor
		}
		r := zsendBearer(e, path, token, "gzip, br, zstd").Want(200)
		if r.Header.Get("Content-Encoding") != "" || varies(r) || len(r.Body) < edge.MinCompressSize {
			t.Errorf("%s: %s, %d bytes, headers %v", path, r.Header.Get("Content-Type"), len(r.Body), r.Header)
		}
	}

	page := zget(e, "/calendar", editor, "identity").Want(200)
	// A Range request gets the whole plain page (pages ignore ranges).
	ranged := zget(e, "/calendar", editor, "gzip, br", "Range", "bytes=0-99").Want(200)
	if ranged.Header.Get("Content-Encoding") != "" || !bytes.Equal(ranged.Body, page.Body) {
		t.Errorf("Range: %v, %d bytes", ranged.Header, len(ranged.Body))
	}
	// HEAD: the plain length, no coding.
	head := zsend(e, http.MethodHead, "/calendar", editor, "gzip, br").Want(200)
	if head.Header.Get("Content-Encoding") != "" || head.Header.Get("Content-Length") != strconv.Itoa(len(page.Body)) ||
		head.Header.Get("ETag") != page.Header.Get("ETag") || !varies(head) {
		t.Errorf("HEAD: %v", head.Header)
	}
	// A POST answer is coded when long, never tagged.
	if r := zsend(e, http.MethodPost, "/api/v1/me/password", editor, "gzip"); r.Header.Get("ETag") != "" {
		t.Errorf("POST answer tagged: %v", r.Header)
	}
}

// zsendBearer is zget with the token as a bearer token whatever the path.
func zsendBearer(e *apptest.Env, path, token, accept string) *apptest.Response {
	e.T.Helper()
	req, err := http.NewRequest(http.MethodGet, e.Server.URL+path, nil)
	if err != nil {
		e.T.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept-Encoding", accept)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return e.SendAsIs(req)
}

// TestStaticPrecompressed: the checksummed static files are served in the
// coding asked for, compressed once at edge's static levels, their length
// declared; an icon too small to gain is sent as it is.
func TestStaticPrecompressed(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	login := zget(e, "/login", "", "identity").Want(200)
	css := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{10}\.css)"`).FindSubmatch(login.Body)
	icon := regexp.MustCompile(`href="(/static/icon\.[0-9a-f]{10}\.svg)"`).FindSubmatch(login.Body)
	if css == nil || icon == nil {
		t.Fatalf("no stylesheet or icon in the sign-in page")
	}
	plain := zget(e, string(css[1]), "", "identity").Want(200)
	tag := plain.Header.Get("ETag")
	for _, coding := range []string{edge.Brotli, edge.Zstd, edge.Gzip} {
		r := zget(e, string(css[1]), "", coding+", identity;q=0.5").Want(200)
		if r.Header.Get("Content-Encoding") != coding || !bytes.Equal(decoded(t, r), plain.Body) || !varies(r) ||
			r.Header.Get("ETag") != edge.CodedETag(tag, coding) || r.ContentLength != int64(len(r.Body)) ||
			!bytes.Equal(r.Body, edge.CompressStatic(coding, plain.Body)) {
			t.Errorf("%s: %v, %d bytes", coding, r.Header, len(r.Body))
		}
		t.Logf("app.css %s: %d → %d bytes", coding, len(plain.Body), len(r.Body))
		zget(e, string(css[1]), "", coding, "If-None-Match", r.Header.Get("ETag")).Want(http.StatusNotModified)
	}
	ranged := zget(e, string(css[1]), "", "br", "Range", "bytes=0-10").Want(200)
	if ranged.Header.Get("Content-Encoding") != "" || !bytes.Equal(ranged.Body, plain.Body) {
		t.Errorf("Range: %v", ranged.Header)
	}
	small := zget(e, string(icon[1]), "", "br, gzip").Want(200)
	if small.Header.Get("Content-Encoding") != "" || !varies(small) || len(small.Body) >= edge.MinCompressSize {
		t.Errorf("icon: %v, %d bytes", small.Header, len(small.Body))
	}
}

// TestRundownCodings: the rundown pull keeps its gzip form made once per
// change for gzip clients and its plain bytes for clients that ask for
// nothing (bench/rundown's wrk); a brotli-only client gets brotli.
func TestRundownCodings(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	l := setupLoudspeakers(t, e)
	for i, at := range []string{"06:00", "06:00", "17:30"} {
		l.script(t, "Bài "+strconv.Itoa(i), words(180), map[string]any{"times": []string{at}, "from": "2026-11-21", "to": "2026-11-30"}, l.a.ID)
	}
	path := "/api/v1/stations/" + l.a.ID + "/rundown?date=2026-11-21"
	plain := zsendBearer(e, path, l.opA, "").Want(200)
	tag := plain.Header.Get("ETag")
	if plain.Header.Get("Content-Encoding") != "" || plain.ContentLength != int64(len(plain.Body)) || len(plain.Body) < 2048 {
		t.Fatalf("plain rundown: %v, %d bytes", plain.Header, len(plain.Body))
	}
	for _, c := range []struct{ accept, want string }{
		{"gzip", edge.Gzip}, {"gzip, br", edge.Gzip}, {"br", edge.Brotli}, {"gzip;q=0, zstd", edge.Zstd}, {"gzip;q=0", ""},
	} {
		r := zsendBearer(e, path, l.opA, c.accept).Want(200)
		if r.Header.Get("Content-Encoding") != c.want || !bytes.Equal(decoded(t, r), plain.Body) ||
			r.Header.Get("ETag") != edge.CodedETag(tag, c.want) || r.ContentLength != int64(len(r.Body)) || !varies(r) {
			t.Errorf("%q: %v, %d bytes", c.accept, r.Header, len(r.Body))
		}
		req, _ := http.NewRequest(http.MethodGet, e.Server.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+l.opA)
		req.Header.Set("Accept-Encoding", c.accept)
		req.Header.Set("If-None-Match", r.Header.Get("ETag"))
		if nm := e.SendAsIs(req); nm.StatusCode != http.StatusNotModified || nm.Header.Get("ETag") != r.Header.Get("ETag") {
			t.Errorf("%q If-None-Match: %d %v", c.accept, nm.StatusCode, nm.Header)
		}
	}
}
