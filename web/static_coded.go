package web

import (
	"net/http"
	"slices"
	"strconv"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/edge"
)

// codedForms are a static file's compressed forms (brotli, zstd, gzip, at
// edge's static levels), made at its first request and kept: the bytes behind
// a checksummed URL never change, so they are compressed once per process
// (and not at start: every test builds a server, few fetch its files).
type codedForms struct {
	once   sync.Once
	offers []string          // codings with a form, best first, then identity
	forms  map[string][]byte // by coding
}

// get returns the forms, making them on the first call. A file that is
// not compressible, too small or not made smaller has none.
func (f *codedForms) get(as *asset) *codedForms {
	f.once.Do(func() {
		f.forms = map[string][]byte{}
		if edge.Compressible(as.ctype) && len(as.data) >= edge.MinCompressSize {
			for _, coding := range edge.Codings() {
				if z := edge.CompressStatic(coding, as.data); len(z) < len(as.data) {
					f.offers, f.forms[coding] = append(f.offers, coding), z
				}
			}
		}
		// Smallest first: a client that weighs codings equally gets the
		// fewest bytes (zstd's form is not always below gzip's on CSS).
		slices.SortStableFunc(f.offers, func(a, b string) int { return len(f.forms[a]) - len(f.forms[b]) })
		f.offers = append(f.offers, edge.Identity)
	})
	return f
}

// serveAsset answers with the form of a static file the client prefers,
// its length declared, its ETag that of the form (edge.CodedETag), and 304
// when the client holds any form of it. A Range request gets the plain
// bytes (edge.Compress leaves it alone too).
func serveAsset(c *gin.Context, as *asset) {
	f := as.coded.get(as)
	h := c.Writer.Header()
	if edge.Compressible(as.ctype) {
		h.Add("Vary", "Accept-Encoding")
	}
	if held, ok := edge.NoneMatch(c.GetHeader("If-None-Match"), as.etag); ok {
		h.Set("ETag", held)
		c.Status(http.StatusNotModified)
		return
	}
	coding, body := edge.Identity, as.data
	if c.GetHeader("Range") == "" && len(f.offers) > 1 {
		if coding = edge.ParseAcceptEncoding(c.GetHeader("Accept-Encoding")).Negotiate(f.offers...); coding == "" {
			coding = edge.Identity
		}
		if coding != edge.Identity {
			body = f.forms[coding]
			h.Set("Content-Encoding", coding)
		}
	}
	h.Set("ETag", edge.CodedETag(as.etag, coding))
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.Data(http.StatusOK, as.ctype, body)
}
