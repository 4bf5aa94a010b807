package facebooktest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// route dispatches a checked request.
func (s *Server) route(w http.ResponseWriter, r *http.Request, c Call) {
	parts := strings.Split(strings.Trim(c.Path, "/"), "/")
	switch {
	case len(parts) == 2 && parts[0] == s.pageID && parts[1] == "feed" && c.Method == http.MethodPost:
		s.postFeed(w, r, c)
	case len(parts) == 2 && parts[0] == s.pageID && parts[1] == "photos" && c.Method == http.MethodPost:
		s.postPhoto(w, r, c)
	case len(parts) == 2 && parts[0] == s.pageID && parts[1] == "feed" && c.Method == http.MethodGet:
		s.getFeed(w, c)
	case len(parts) == 2 && parts[1] == "insights" && c.Method == http.MethodGet:
		s.getInsights(w, parts[0], c)
	default:
		s.writeError(w, http.StatusBadRequest, apiError{Code: 100, Subcode: 33, Type: "GraphMethodException",
			Message: fmt.Sprintf("Unsupported %s request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", strings.ToLower(c.Method), parts[0])})
	}
}

func (s *Server) bad(w http.ResponseWriter, msg string) {
	s.writeError(w, http.StatusBadRequest, apiError{Code: 100, Type: "OAuthException", Message: "(#100) " + msg})
}

// postFeed is POST /{page-id}/feed.
func (s *Server) postFeed(w http.ResponseWriter, r *http.Request, c Call) {
	if c.ContentType != "application/x-www-form-urlencoded" && c.ContentType != "multipart/form-data" && len(r.URL.RawQuery) == 0 {
		s.bad(w, "Unsupported content type "+c.ContentType)
		return
	}
	msg, link := c.Form.Get("message"), c.Form.Get("link")
	if link != "" {
		if u, err := url.Parse(link); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			s.writeError(w, http.StatusBadRequest, apiError{Code: 1609005, Type: "OAuthException", Message: "Error posting link"})
			return
		}
	}
	photos, errMsg := s.attached(c.Form)
	if errMsg != "" {
		s.bad(w, errMsg)
		return
	}
	if msg == "" && link == "" && len(photos) == 0 {
		s.bad(w, "Missing message or attachment")
		return
	}
	id := s.create(Post{Message: msg, Link: link, PhotoIDs: photos, Published: true})
	if s.Hung(r) {
		return
	}
	writeJSON(w, map[string]string{"id": id})
}

// attached checks attached_media[0..n-1]: contiguous, JSON {"media_fbid"},
// each an unpublished photo of this Page.
func (s *Server) attached(f url.Values) ([]string, string) {
	n := 0
	for k := range f {
		if isAttachedKey(k) {
			n++
		}
	}
	ids := make([]string, 0, n)
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range n {
		key := fmt.Sprintf("attached_media[%d]", i)
		var ref struct {
			MediaFBID string `json:"media_fbid"`
		}
		if json.Unmarshal([]byte(f.Get(key)), &ref) != nil || ref.MediaFBID == "" {
			return nil, fmt.Sprintf("param %s must be a JSON object with media_fbid", key)
		}
		p := s.find(ref.MediaFBID)
		if p == nil || !p.Photo || p.Published {
			return nil, fmt.Sprintf("param %s has an invalid media_fbid %s", key, ref.MediaFBID)
		}
		ids = append(ids, ref.MediaFBID)
	}
	return ids, ""
}

// postPhoto is POST /{page-id}/photos with a multipart "source" or a url.
func (s *Server) postPhoto(w http.ResponseWriter, r *http.Request, c Call) {
	src, hasSource := c.Files["source"]
	switch {
	case hasSource && c.ContentType != "multipart/form-data":
		s.bad(w, "source must be sent as multipart/form-data")
		return
	case hasSource && !strings.HasPrefix(src.Sniffed, "image/"):
		s.writeError(w, http.StatusBadRequest, apiError{Code: 324, Type: "OAuthException", Message: "(#324) Missing or invalid image file"})
		return
	case !hasSource && c.Form.Get("url") == "":
		s.writeError(w, http.StatusBadRequest, apiError{Code: 324, Type: "OAuthException", Message: "(#324) Requires upload file"})
		return
	}
	published := c.Form.Get("published") != "false"
	text := c.Form.Get("caption")
	if text == "" {
		text = c.Form.Get("message") // some clients send message [?]
	}
	photoID := s.create(Post{Message: text, Photo: true, Published: false})
	if !published {
		writeJSON(w, map[string]string{"id": photoID})
		return
	}
	postID := s.create(Post{Message: text, PhotoIDs: []string{photoID}, Published: true})
	if s.Hung(r) {
		return
	}
	writeJSON(w, map[string]string{"id": photoID, "post_id": postID})
}

// create stores p with a new id ("{page}_{n}" for posts, "{n}" for
// unpublished photos) and returns the id.
func (s *Server) create(p Post) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	p.ID = strconv.FormatInt(s.seq, 10)
	if p.Published {
		p.ID = s.pageID + "_" + p.ID
	}
	p.Created = s.now()
	s.posts = append(s.posts, &p)
	return p.ID
}

// find returns the post or photo with id; s.mu must be held.
func (s *Server) find(id string) *Post {
	for _, p := range s.posts {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// isAttachedKey reports whether k is attached_media[N].
func isAttachedKey(k string) bool {
	n, ok := strings.CutPrefix(k, "attached_media[")
	n, ok2 := strings.CutSuffix(n, "]")
	if !ok || !ok2 || n == "" {
		return false
	}
	_, err := strconv.Atoi(n)
	return err == nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	_ = json.NewEncoder(w).Encode(v)
}

// files reads the multipart file parts of r.
func files(r *http.Request) map[string]File {
	out := map[string]File{}
	if r.MultipartForm == nil {
		return out
	}
	for field, hs := range r.MultipartForm.File {
		if len(hs) == 0 {
			continue
		}
		h := hs[0]
		f := File{Filename: h.Filename, ContentType: h.Header.Get("Content-Type"), Size: int(h.Size)}
		if rd, err := h.Open(); err == nil {
			head := make([]byte, 512)
			n, _ := io.ReadFull(rd, head)
			f.Sniffed = http.DetectContentType(head[:n])
			_ = rd.Close()
		}
		out[field] = f
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
