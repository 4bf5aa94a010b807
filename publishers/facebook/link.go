package facebook

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/lantoa/lantoa/apperr"
)

// PostLink checks that raw is the link of a Facebook post, as an editor
// copies it from the post's menu ("Sao chép liên kết") or the address bar,
// and returns the post's id and the link as stored. Accepted, on
// facebook.com (www., m., mbasic., web.) and fb.com:
//
//	/<page>/posts/<id>                    <id> numeric or pfbid…
//	/permalink.php?story_fbid=<id>&id=<page id>
//	/story.php?story_fbid=<id>&id=<page id>
//	/photo/?fbid=<id>, /photo.php?fbid=<id>, /<page>/photos/…/<id>
//	/<page>/videos/<id>, /reel/<id>, /watch/?v=<id>
//	/share/p/<code>, /share/r/<code>, /share/v/<code> (share links)
//
// With a numeric page id and a numeric post id the id is the Graph API's
// "<page id>_<post id>", so that a post made by hand is polled like any
// other once the Page has credentials. Anything else (a profile, a Page
// itself, another site) is an *apperr.ValidationError naming field.
func PostLink(field, raw string) (id, link string, err error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || !facebookHost(u.Hostname()) {
		return "", "", apperr.Invalid(field, "must be the link of a post on the Facebook Page (https://www.facebook.com/…/posts/…)")
	}
	q := u.Query()
	path := strings.Trim(u.Path, "/")
	parts := strings.Split(path, "/")
	switch {
	case (path == "permalink.php" || path == "story.php") && postID.MatchString(q.Get("story_fbid")):
		id = q.Get("story_fbid")
		if page := q.Get("id"); numeric.MatchString(page) && numeric.MatchString(id) {
			id = page + "_" + id
		}
	case (path == "photo" || path == "photo.php") && numeric.MatchString(q.Get("fbid")):
		id = q.Get("fbid")
	case path == "watch" && numeric.MatchString(q.Get("v")):
		id = q.Get("v")
	case len(parts) == 3 && parts[0] == "share" && (parts[1] == "p" || parts[1] == "r" || parts[1] == "v") && shareCode.MatchString(parts[2]):
		id = "share:" + parts[2]
	case len(parts) == 2 && parts[0] == "reel" && numeric.MatchString(parts[1]):
		id = parts[1]
	case len(parts) == 3 && (parts[1] == "posts" || parts[1] == "videos") && postID.MatchString(parts[2]):
		id = parts[2]
		if numeric.MatchString(parts[0]) && numeric.MatchString(id) {
			id = parts[0] + "_" + id
		}
	case len(parts) >= 3 && parts[1] == "photos" && numeric.MatchString(parts[len(parts)-1]):
		id = parts[len(parts)-1]
	default:
		return "", "", apperr.Invalid(field, "is not the link of a Facebook post: open the post, choose “Sao chép liên kết” (Copy link) and paste it here")
	}
	u.Scheme, u.Fragment = "https", ""
	return id, u.String(), nil
}

var (
	numeric   = regexp.MustCompile(`^[0-9]{1,30}$`)
	postID    = regexp.MustCompile(`^([0-9]{1,30}|pfbid[0-9A-Za-z]{10,80})$`)
	shareCode = regexp.MustCompile(`^[0-9A-Za-z_-]{4,40}$`)
)

func facebookHost(h string) bool {
	switch strings.ToLower(h) {
	case "facebook.com", "www.facebook.com", "m.facebook.com", "mbasic.facebook.com", "web.facebook.com", "fb.com", "www.fb.com":
		return true
	}
	return false
}
