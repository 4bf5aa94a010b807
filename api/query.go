package api

import (
	"os"
	"strings"

	"github.com/gin-gonic/gin"
)

// query is c.Query(key) for the routes every station device pulls: it
// finds the first value of key in the raw query without building gin's map
// of every parameter (a third of a kilobyte per pull). It answers exactly
// as c.Query (net/url's ParseQuery, the first value) and hands anything
// that needs decoding, has semicolons or many parameters to it.
func query(c *gin.Context, key string) string {
	raw := c.Request.URL.RawQuery
	if len(raw) > maxScannedQuery || queryLimitSet || strings.ContainsAny(raw, "%+;") {
		return c.Query(key)
	}
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if k, v, _ := strings.Cut(pair, "="); k == key && pair != "" {
			return v
		}
	}
	return ""
}

// maxScannedQuery keeps query's scan short and well within net/url's
// default limit of parameters (10,000), which decides what ParseQuery
// keeps.
const maxScannedQuery = 512

// queryLimitSet: GODEBUG=urlmaxqueryparams=N changes that limit; then
// every query goes through net/url.
var queryLimitSet = strings.Contains(os.Getenv("GODEBUG"), "urlmaxqueryparams")
