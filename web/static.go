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

// mustLoadAssets fingerprints every embedded static file. Web app manifests
// (.webmanifest) come last: the icons they name are written as checksummed
// URLs first (resolveManifest), so that a new icon makes a new manifest URL.
func mustLoadAssets() *assets {
	a := &assets{byName: map[string]*asset{}, byFile: map[string]*asset{}}
	entries, err := staticFS.ReadDir("static")
	if err != nil {
		panic("web: static files: " + err.Error())
	}
	var manifests []string
	for _, e := range entries {
		if path.Ext(e.Name()) == ".webmanifest" {
			manifests = append(manifests, e.Name())
			continue
		}
		a.add(e.Name(), mustRead(e.Name()))
	}
	for _, name := range manifests {
		data, err := resolveManifest(mustRead(name), a)
		if err != nil {
			panic("web: static file " + name + ": " + err.Error())
		}
		a.add(name, data)
	}
	return a
}

func mustRead(name string) []byte {
	data, err := staticFS.ReadFile("static/" + name)
	if err != nil {
		panic("web: static file " + name + ": " + err.Error())
	}
	return data
}

// add fingerprints one file under its name.
func (a *assets) add(name string, data []byte) {
	sum := sha256.Sum256(data)
	short := hex.EncodeToString(sum[:5])
	ext := path.Ext(name)
	file := strings.TrimSuffix(name, ext) + "." + short + ext
	ctype := mime.TypeByExtension(ext)
	switch {
	case ext == ".webmanifest": // not in Go's table
		ctype = "application/manifest+json"
	case strings.HasPrefix(ctype, "text/") && !strings.Contains(ctype, "charset"):
		ctype += "; charset=utf-8"
	}
	as := &asset{url: "/static/" + file, etag: `"` + short + `"`, ctype: ctype, data: data}
	a.byName[name] = as
	a.byFile[file] = as
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
