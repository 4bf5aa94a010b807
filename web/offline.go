package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
)

// Operators offline (docs/architecture.md, "Operators offline"): an
// operator's pages link the web app manifest and static/offline.js, which
// registers the service worker static/sw.js, served at /sw.js. The worker
// keeps the operator's rundown pages of today and tomorrow, and the taps on
// "Đã phát" made without signal, and sends those when the signal returns.

// offlineHeader tells the service worker whose page a response is and what
// it may keep, as a query string: u, the user's key (offlineKey); now, the
// server's clock in Unix milliseconds (a phone's clock may be wrong); tz, the
// commune's time zone; start, where the app opens (landing); and on a
// rundown page day, the date it shows. A page without it (signed out, or not
// an operator's) makes the worker drop every rundown it kept.
const offlineHeader = "Lantoa-Offline"

// offlineKey names an operator's copies on a phone (the caches
// lantoa-rd-<key> and lantoa-q-<key>): one per user, so that another
// operator signing in on a shared phone never sees the first one's.
func offlineKey(userID string) string {
	sum := sha256.Sum256([]byte("lantoa offline v1|" + userID))
	return hex.EncodeToString(sum[:8])
}

// Installable reports whether the page is an operator's: it links the web
// app manifest and the offline script.
func (v *view) Installable() bool {
	return v.User != nil && v.User.Role == accounts.RoleOperator
}

// OfflineKey is the signed-in operator's offlineKey.
func (v *view) OfflineKey() string {
	if !v.Installable() {
		return ""
	}
	return offlineKey(v.User.UserID)
}

// setOfflineHeader sets offlineHeader on an operator's page.
func (s *Server) setOfflineHeader(c *gin.Context, v *view) {
	if !v.Installable() {
		return
	}
	q := url.Values{"u": {v.OfflineKey()}, "now": {strconv.FormatInt(s.Now().UnixMilli(), 10)},
		"tz": {s.Location.String()}, "start": {landing("", v.User.Role, v.User.StationIDs, false)}}
	if v.offlineDay != "" {
		q.Set("day", v.offlineDay)
	}
	c.Header(offlineHeader, q.Encode())
}

// serviceWorker serves static/sw.js at /sw.js: a worker controls only the
// pages under its own path, and the rundowns and the app's start URL (/) are
// outside /static/. Browsers compare its bytes to update it, so it is
// revalidated (no-cache, ETag) rather than kept for a year.
func (s *Server) serviceWorker(c *gin.Context) {
	c.Header("Cache-Control", "no-cache")
	serveAsset(c, s.assets.byName["sw.js"]) // its codings and their ETags, as every static file
}

// resolveManifest writes the icons of a web app manifest, named by their
// static file names, as their checksummed URLs.
func resolveManifest(data []byte, a *assets) ([]byte, error) {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	icons, _ := m["icons"].([]any)
	for _, ic := range icons {
		icon, ok := ic.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("an icon is not an object")
		}
		src, _ := icon["src"].(string)
		u, err := a.url(src)
		if err != nil {
			return nil, err
		}
		icon["src"] = u
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
