package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

//go:embed i18n/*.json
var i18nFS embed.FS

// Languages are the catalogues, the default first.
var Languages = []string{"vi", "en"}

// langCookie remembers the chosen language.
const langCookie = "lang"

// catalog is one language's messages by key. Messages may hold fmt verbs.
type catalog map[string]string

// T returns the message for key, formatted with args, or the key itself when
// it is missing (TestCatalogues makes sure none is).
func (c catalog) T(key string, args ...any) string {
	msg, ok := c[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// mustLoadCatalogs reads every language's catalogue.
func mustLoadCatalogs() map[string]catalog {
	out := map[string]catalog{}
	for _, lang := range Languages {
		raw, err := i18nFS.ReadFile("i18n/" + lang + ".json")
		if err != nil {
			panic("web: catalogue " + lang + ": " + err.Error())
		}
		var c catalog
		if err := json.Unmarshal(raw, &c); err != nil {
			panic("web: catalogue " + lang + ": " + err.Error())
		}
		out[lang] = c
	}
	return out
}

// language is the request's language: English only when chosen.
func language(c *gin.Context) string {
	if v, err := c.Cookie(langCookie); err == nil && v == "en" {
		return "en"
	}
	return "vi"
}

// switchLanguage sets the language cookie and goes back to the page.
func (s *Server) switchLanguage(c *gin.Context) {
	to := c.Query("to")
	if to != "en" {
		to = "vi"
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: to, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.secureCookie, SameSite: http.SameSiteLaxMode})
	c.Redirect(http.StatusSeeOther, localPath(c.Query("next"), "/"))
}

// thousands writes n with a thousands separator: 1.500.000 in Vietnamese,
// 1,500,000 in English.
func thousands(n int64, lang string) string {
	sep := "."
	if lang == "en" {
		sep = ","
	}
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
