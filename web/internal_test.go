package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/campaigns"
)

// TestCatalogues: every key has a value in every language, no language has a
// key the others lack, and Vietnamese is in NFC (precomposed letters, the form
// fonts, search and sorting expect).
func TestCatalogues(t *testing.T) {
	t.Parallel()
	cats := mustLoadCatalogs()
	vi := cats["vi"]
	for _, lang := range Languages {
		for key, msg := range cats[lang] {
			if strings.TrimSpace(msg) == "" {
				t.Errorf("%s: %q is empty", lang, key)
			}
			if !utf8.ValidString(msg) {
				t.Errorf("%s: %q is not UTF-8", lang, key)
			}
			if _, ok := vi[key]; !ok {
				t.Errorf("%s: %q is not in vi", lang, key)
			}
		}
		for key := range vi {
			if _, ok := cats[lang][key]; !ok {
				t.Errorf("%s: %q has no value", lang, key)
			}
		}
	}
	for key, msg := range vi {
		if !norm.NFC.IsNormalString(msg) {
			t.Errorf("vi: %q is not NFC: %q", key, msg)
		}
	}
	if strings.Count(vi["users.password_help"], "%d") != 1 || !strings.Contains(vi["err.user_password"], "10") {
		t.Error("the password rule is not stated")
	}
}

// TestCataloguesMatchTheDomain: the Vietnamese names of audiences, channels
// and observances are the plan's, as the domain spells them.
func TestCataloguesMatchTheDomain(t *testing.T) {
	t.Parallel()
	vi := mustLoadCatalogs()["vi"]
	for _, a := range campaigns.Audiences {
		if vi["audience."+a.Code] != a.Name {
			t.Errorf("audience %s: catalogue %q, domain %q", a.Code, vi["audience."+a.Code], a.Name)
		}
	}
	for _, c := range campaigns.Channels {
		if vi["channel."+c.Code] != c.Name {
			t.Errorf("channel %s: catalogue %q, domain %q", c.Code, vi["channel."+c.Code], c.Name)
		}
	}
	for _, o := range campaigns.Observances {
		if vi["obs."+o.Code] != o.Name {
			t.Errorf("observance %s: catalogue %q, domain %q", o.Code, vi["obs."+o.Code], o.Name)
		}
	}
	for _, r := range accounts.Roles {
		if vi["role."+string(r)] == "" {
			t.Errorf("role %s has no name", r)
		}
	}
}

// TestTemplatesUseKnownKeys: every literal key a template translates is in
// the catalogue, and no template holds user-facing text of its own.
func TestTemplatesUseKnownKeys(t *testing.T) {
	t.Parallel()
	vi := mustLoadCatalogs()["vi"]
	key := regexp.MustCompile(`\.T(?:Or)? "([^"]+)"`)
	prefix := regexp.MustCompile(`\(print "([a-z.]+)" `)
	tag := regexp.MustCompile(`(?s)<[^>]*>|\{\{.*?\}\}`)
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, _ := templateFS.ReadFile(path)
		src := string(raw)
		for _, m := range key.FindAllStringSubmatch(src, -1) {
			if _, ok := vi[m[1]]; !ok {
				t.Errorf("%s: key %q is not in the catalogue", path, m[1])
			}
		}
		for _, m := range prefix.FindAllStringSubmatch(src, -1) {
			found := false
			for k := range vi {
				found = found || strings.HasPrefix(k, m[1])
			}
			if !found {
				t.Errorf("%s: no catalogue key starts with %q", path, m[1])
			}
		}
		text := tag.ReplaceAllString(src, " ")
		for _, word := range strings.Fields(text) {
			if strings.IndexFunc(word, func(r rune) bool { return r >= 'A' && r <= 'z' || r > 0x7f }) >= 0 &&
				!strings.ContainsAny(word, "·–—‹›⚑()+:,") && word != "Lan" && word != "Tỏa" {
				t.Errorf("%s: literal text %q belongs in the catalogue", path, word)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestMissingPagePanics: a handler's page name without a template stops the
// service at start, not a user later.
func TestMissingPagePanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Fatal("parsing a missing page did not panic")
		}
	}()
	mustParsePages(append([]string{}, append(pageNames, "no-such-page")...))
}

func TestEveryPageNameHasATemplate(t *testing.T) {
	t.Parallel()
	p := mustParsePages(pageNames)
	if len(p.set) != len(pageNames) {
		t.Fatalf("%d templates for %d pages", len(p.set), len(pageNames))
	}
}

func TestThousands(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1.000", 1500000: "1.500.000", -12345: "-12.345"} {
		if got := thousands(n, "vi"); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
	if got := thousands(1234567, "en"); got != "1,234,567" {
		t.Errorf("en: %q", got)
	}
}

func TestLocalPath(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/calendar?month=2026-11": "/calendar?month=2026-11", "": "/d", "https://x.example/": "/d",
		"//x.example/": "/d", `/\x.example`: "/d", "javascript:alert(1)": "/d", "calendar": "/d", "/login?next=/": "/d",
	} {
		if got := localPath(in, "/d"); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNavLeadsToPages: every navigation entry is a page of the route table,
// so the navigation never offers a page that does not exist.
func TestNavLeadsToPages(t *testing.T) {
	t.Parallel()
	s := &Server{}
	for _, it := range navItems {
		if _, ok := s.access(it.path); !ok {
			t.Errorf("nav entry %s leads to %s, which is no page", it.key, it.path)
		}
	}
}
