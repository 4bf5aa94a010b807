package zalo_test

import (
	"testing"

	"github.com/lantoa/lantoa/publishers/zalo"
)

func TestArticleLink(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, id string }{
		{"https://oa.zalo.me/article/detail?id=9f2a1b3c4d5e6f70", "link:9f2a1b3c4d5e6f70"},
		{"https://zalo.me/1234567890123456789/article/abc123def456", "link:abc123def456"},
		{"https://page.zalo.me/xalienminh/post/7788990011", "link:7788990011"},
	} {
		id, _, err := zalo.ArticleLink("url", c.in)
		if err != nil || id != c.id {
			t.Errorf("ArticleLink(%q) = %q, %v; want %q", c.in, id, err, c.id)
		}
	}
	for _, bad := range []string{"", "https://zalo.me/0912345678", "https://zalo.me/g/abcdef", "https://zalo.me/p/84912345678",
		"https://evilzalo.me/x/y", "https://www.facebook.com/x/posts/1", "https://zalo.me/", "ftp://zalo.me/a/b"} {
		if _, _, err := zalo.ArticleLink("url", bad); err == nil {
			t.Errorf("ArticleLink(%q) accepted", bad)
		}
	}
}
