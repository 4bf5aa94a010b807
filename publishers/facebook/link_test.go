package facebook_test

import (
	"testing"

	"github.com/lantoa/lantoa/publishers/facebook"
)

func TestPostLink(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, id string }{
		{"https://www.facebook.com/xalienminh/posts/pfbid02abcDEFghijKLMnopq", "pfbid02abcDEFghijKLMnopq"},
		{"https://www.facebook.com/123456789/posts/987654321", "123456789_987654321"},
		{"https://m.facebook.com/story.php?story_fbid=987654321&id=123456789", "123456789_987654321"},
		{"https://www.facebook.com/permalink.php?story_fbid=pfbid0xyzXYZ1234567&id=123456789", "pfbid0xyzXYZ1234567"},
		{"https://www.facebook.com/photo/?fbid=555666777&set=a.1", "555666777"},
		{"https://www.facebook.com/xalienminh/photos/a.111/222333444/", "222333444"},
		{"https://www.facebook.com/share/p/1AbCdEfGh/", "share:1AbCdEfGh"},
		{"https://fb.com/reel/123123123", "123123123"},
		{"http://web.facebook.com/xalienminh/videos/4455667788#c", "4455667788"},
	} {
		id, link, err := facebook.PostLink("url", c.in)
		if err != nil || id != c.id || link[:8] != "https://" {
			t.Errorf("PostLink(%q) = %q, %q, %v; want id %q", c.in, id, link, err, c.id)
		}
	}
	for _, bad := range []string{"", "facebook.com/x/posts/1", "https://www.facebook.com/xalienminh",
		"https://www.facebook.com/profile.php?id=100012345", "https://evil.example/xalienminh/posts/123",
		"https://facebook.com.evil.example/x/posts/1", "https://www.facebook.com/x/posts/<script>", "javascript:alert(1)",
		"https://zalo.me/123456"} {
		if _, _, err := facebook.PostLink("url", bad); err == nil {
			t.Errorf("PostLink(%q) accepted", bad)
		}
	}
}
