package zalo

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/lantoa/lantoa/apperr"
)

// ArticleLink checks that raw is the link of a post of the commune's Zalo
// Official Account, as an editor copies it from the OA (an article or a
// broadcast shared with "Chia sẻ" → "Sao chép liên kết"), and returns an id
// for it and the link as stored. Zalo does not document these links; what
// is accepted is an https link on Zalo's own hosts (zalo.me and its
// subdomains) whose path names something: the last path segment (or an
// id= query parameter) is the id. A personal profile or group link
// (zalo.me/<phone>, zalo.me/g/…) and other sites are refused with an
// *apperr.ValidationError naming field.
func ArticleLink(field, raw string) (id, link string, err error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	host := ""
	if err == nil {
		host = strings.ToLower(u.Hostname())
	}
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || (host != "zalo.me" && !strings.HasSuffix(host, ".zalo.me")) {
		return "", "", apperr.Invalid(field, "must be the link of a post of the Zalo OA (https://…zalo.me/…)")
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	last := parts[len(parts)-1]
	if v := u.Query().Get("id"); segment.MatchString(v) {
		last = v
	}
	switch {
	case !segment.MatchString(last):
		return "", "", apperr.Invalid(field, "is not the link of a Zalo OA post: open the post in the OA, share it, choose “Sao chép liên kết” and paste it here")
	case host == "zalo.me" && (len(parts) == 1 && phone.MatchString(parts[0]) || parts[0] == "g" || parts[0] == "p"):
		return "", "", apperr.Invalid(field, "is a link to a person or a group, not to a post of the Zalo OA")
	}
	u.Scheme, u.Fragment = "https", ""
	return "link:" + last, u.String(), nil
}

var (
	segment = regexp.MustCompile(`^[0-9A-Za-z_.-]{3,80}$`)
	phone   = regexp.MustCompile(`^\+?[0-9]{9,12}$`)
)
