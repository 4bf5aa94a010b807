package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/edge"
)

// getRundown serves a station's rundown of ?date= (default today) as JSON,
// or with ?format=txt as printable text. It is rendered once per change
// and served from memory; an unchanged rundown answers If-None-Match with
// 304, which spares slow links.
func (s *Server) getRundown(c *gin.Context) {
	format := query(c, "format")
	if format != "" && format != "json" && format != "txt" {
		fail(c, s.Log, apperr.Invalid("format", `must be "json" or "txt"`))
		return
	}
	v, err := s.Rundowns.Get(c, c.Param("id"), query(c, "date"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	if err := s.Accounts.StationAllowed(c, principal(c), v.Rundown.Station.ID); err != nil {
		fail(c, s.Log, err)
		return
	}
	body, zipped, tag, ctype := v.JSON, v.JSONGzip, v.JSONETag, "application/json; charset=utf-8"
	if format == "txt" {
		body, zipped, tag, ctype = v.Text, v.TextGzip, v.TextETag, "text/plain; charset=utf-8"
		c.Header("Content-Disposition", `inline; filename="lich-phat-`+v.Rundown.Date+`.txt"`)
	}
	h := c.Writer.Header() // canonical keys set directly: this is the hottest route
	h["Vary"] = varyEncoding
	h["Cache-Control"] = cacheRevalidate
	// The gzip form is made once per change; a client that prefers another
	// coding (or refuses gzip) gets the plain bytes, which edge.Compress
	// then codes as it asks.
	plainTag := tag
	if ae := c.GetHeader("Accept-Encoding"); ae != "" && edge.ParseAcceptEncoding(ae).Negotiate(edge.Gzip, edge.Identity) == edge.Gzip {
		body, tag = zipped, edge.CodedETag(tag, edge.Gzip)
		h["Content-Encoding"] = gzipEncoding
	}
	h["Etag"] = []string{tag}
	if inm := c.GetHeader("If-None-Match"); inm != "" {
		if held, ok := edge.NoneMatch(inm, plainTag); ok {
			h["Etag"] = []string{held}
			delete(h, "Content-Encoding")
			c.Status(http.StatusNotModified)
			return
		}
	}
	// A declared length spares the chunked framing and its extra write(2):
	// the body goes out in two writes instead of three.
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	if conn := requestConn(c); conn != nil && len(body) > 2048 {
		whole(conn, func() { c.Data(http.StatusOK, ctype, body); c.Writer.Flush() }) // all written before the hold ends
		return
	}
	c.Data(http.StatusOK, ctype, body)
}

// cacheRevalidate lets a phone keep a rundown but ask again each time: an
// unchanged one costs a 304.
var (
	cacheRevalidate = []string{"private, no-cache"}
	varyEncoding    = []string{"Accept-Encoding"}
	gzipEncoding    = []string{"gzip"}
)
