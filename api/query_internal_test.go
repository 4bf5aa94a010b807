package api

import (
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// FuzzQueryAnswersAsGin: query and gin's c.Query find the same value for
// any raw query and key.
func FuzzQueryAnswersAsGin(f *testing.F) {
	for _, s := range [][2]string{
		{"date=2026-12-04", "date"}, {"date=2026-12-04&format=txt", "format"}, {"format=txt&format=json", "format"},
		{"format", "format"}, {"format=", "format"}, {"=x&format=a=b", "format"}, {"a=1&&b=2", "b"},
		{"date=2026%2D12%2D04", "date"}, {"date=a+b", "date"}, {"x;y=1&date=1", "date"}, {"date=%zz&date=2", "date"},
		{"commune=lien-minh&commune=", "commune"}, {"", "date"}, {"&", ""}, {"=", ""}, {"a", ""},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, raw, key string) {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest("GET", "/x", nil)
		c.Request.URL.RawQuery = raw
		got := query(c, key)
		c2, _ := gin.CreateTestContext(httptest.NewRecorder())
		c2.Request = c.Request
		if want := c2.Query(key); got != want {
			t.Fatalf("query(%q, %q) = %q, gin's c.Query %q", raw, key, got, want)
		}
	})
}
