package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

//go:embed static
var staticFS embed.FS

// asset is one static file and its checksummed URL.
type asset struct {
	url   string
	etag  string
	ctype string
	data  []byte
	coded codedForms // its compressed forms (static_coded.go)
}

// assets are the static files by name ("app.css") and by URL file name
// ("app.1a2b3c4d5e.css").
type assets struct {
	byName map[string]*asset
	byFile map[string]*asset
}

// mustLoadAssets fingerprints every embedded static file.
func mustLoadAssets() *assets {
	a := &assets{byName: map[string]*asset{}, byFile: map[string]*asset{}}
	entries, err := staticFS.ReadDir("static")
	if err != nil {
		panic("web: static files: " + err.Error())
	}
	for _, e := range entries {
		data, err := staticFS.ReadFile("static/" + e.Name())
		if err != nil {
			panic("web: static file " + e.Name() + ": " + err.Error())
		}
		sum := sha256.Sum256(data)
		short := hex.EncodeToString(sum[:5])
		ext := path.Ext(e.Name())
		file := strings.TrimSuffix(e.Name(), ext) + "." + short + ext
		ctype := mime.TypeByExtension(ext)
		if strings.HasPrefix(ctype, "text/") && !strings.Contains(ctype, "charset") {
			ctype += "; charset=utf-8"
		}
		as := &asset{url: "/static/" + file, etag: `"` + short + `"`, ctype: ctype, data: data}
		a.byName[e.Name()] = as
		a.byFile[file] = as
	}
	return a
}

// url returns the checksummed URL of a static file.
func (a *assets) url(name string) (string, error) {
	as, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return as.url, nil
}

// static serves a static file by its checksummed name: the content behind a
// URL never changes, so browsers may keep it for a year without asking.
func (s *Server) static(c *gin.Context) {
	as, ok := s.assets.byFile[c.Param("name")]
	if !ok {
		c.Data(http.StatusNotFound, "text/plain; charset=utf-8", []byte("404: no such file"))
		return
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	serveAsset(c, as)
}
