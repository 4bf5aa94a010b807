package zalotest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"
)

// createBody is the article/create body the fake reads.
type createBody struct {
	Type        string `json:"type"`
	Title       string `json:"title"`
	Author      string `json:"author"`
	Description string `json:"description"`
	Cover       *struct {
		CoverType string `json:"cover_type"`
		PhotoURL  string `json:"photo_url"`
		Status    string `json:"status"`
	} `json:"cover"`
	Body    []map[string]any `json:"body"`
	Status  string           `json:"status"`
	Comment string           `json:"comment"`
}

// create is POST /v2.0/article/create: it checks the body like Zalo
// (reference §B.2) and answers a processing token, not the id.
func (s *Server) create(w http.ResponseWriter, r *http.Request, c Call) {
	var b createBody
	if c.ContentType != "application/json" || json.Unmarshal(c.Body, &b) != nil {
		reply(w, -201, "Body must be JSON", nil)
		return
	}
	if msg := checkArticle(b); msg != "" {
		reply(w, -201, msg, nil)
		return
	}
	s.mu.Lock()
	a := &Article{ID: s.nextID("art"), Title: b.Title, Author: b.Author, Description: b.Description,
		CoverURL: b.Cover.PhotoURL, Body: b.Body, Status: b.Status, Comment: b.Comment, Created: s.now()}
	a.token = s.nextID("tok")
	s.articles = append(s.articles, a)
	s.mu.Unlock()
	if s.Hung(r) {
		return
	}
	reply(w, 0, "Success", map[string]string{"token": a.token})
}

// checkArticle returns Zalo's -201 message for a bad article, or "".
func checkArticle(b createBody) string {
	between := func(s string, lo, hi int) bool { n := utf8.RuneCountInString(s); return n >= lo && n <= hi }
	switch {
	case b.Type != "normal":
		return "type is invalid"
	case !between(b.Title, 1, 149): // 150 was refused in a live log
		return "title allow 1 to 150 characters"
	case !between(b.Author, 1, 50):
		return "author allow 1 to 50 characters"
	case !between(b.Description, 1, 299):
		return "description allow 1 to 300 characters"
	case b.Cover == nil || b.Cover.CoverType != "photo" || (b.Cover.Status != "show" && b.Cover.Status != "hide"):
		return "cover value is invalid"
	case !validURL(b.Cover.PhotoURL):
		return "photo_url " + b.Cover.PhotoURL + " is invalid"
	case b.Status != "show" && b.Status != "hide":
		return "status is invalid"
	case b.Comment != "show" && b.Comment != "hide":
		return "comment is invalid"
	case len(b.Body) == 0:
		return "body is invalid"
	}
	for _, item := range b.Body {
		switch item["type"] {
		case "text":
			if c, _ := item["content"].(string); c == "" {
				return "body text content is invalid"
			}
		case "image":
			if u, _ := item["url"].(string); !validURL(u) {
				return "body image url is invalid"
			}
		case "video", "product":
		default:
			return "body type is invalid"
		}
	}
	return ""
}

// validURL accepts absolute http(s) URLs that are fully percent-encoded:
// Zalo refuses spaces and Vietnamese letters in photo_url.
func validURL(raw string) bool {
	for i := 0; i < len(raw); i++ {
		if raw[i] <= ' ' || raw[i] >= 0x7f {
			return false
		}
	}
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// verify is POST /v2.0/article/verify {token}: "processing" for the first
// polls, then the article id.
func (s *Server) verify(w http.ResponseWriter, c Call) {
	var b struct {
		Token string `json:"token"`
	}
	if json.Unmarshal(c.Body, &b) != nil || b.Token == "" {
		reply(w, -201, "token is invalid", nil)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var a *Article
	for _, x := range s.articles {
		if x.token == b.Token {
			a = x
		}
	}
	switch {
	case a == nil:
		reply(w, -201, "token is invalid", nil)
	case s.failVerify:
		s.failVerify = false
		s.remove(a)
		reply(w, -200, "Upload media failed", nil)
	case a.polls < s.verifyPolls:
		a.polls++
		reply(w, s.processingErr, "Media is being processed", map[string]any{})
	default:
		reply(w, 0, "Success", map[string]string{"id": a.ID})
	}
}

// remove drops a; s.mu must be held.
func (s *Server) remove(a *Article) {
	for i, x := range s.articles {
		if x == a {
			s.articles = append(s.articles[:i], s.articles[i+1:]...)
			return
		}
	}
}

// getslice is GET /v2.0/article/getslice?offset&limit&type, newest first.
func (s *Server) getslice(w http.ResponseWriter, c Call) {
	offset, err1 := strconv.Atoi(c.Query.Get("offset"))
	limit, err2 := strconv.Atoi(c.Query.Get("limit"))
	switch {
	case err1 != nil || err2 != nil || offset < 0 || limit < 1:
		reply(w, -201, "offset and limit are invalid", nil)
		return
	case limit > 10:
		reply(w, -201, "maximum limit is 10", nil)
		return
	case c.Query.Get("type") != "normal" && c.Query.Get("type") != "video":
		reply(w, -201, "type accept only 2 value normal and video.", nil)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	medias := []map[string]any{}
	if c.Query.Get("type") == "normal" {
		for i := len(s.articles) - 1 - offset; i >= 0 && len(medias) < limit; i-- {
			a := s.articles[i]
			medias = append(medias, map[string]any{"id": a.ID, "title": a.Title, "status": a.Status,
				"total_view": a.Views, "total_share": a.Shares, "create_date": a.Created.UnixMilli(),
				"thumb": a.CoverURL, "type": "normal"})
		}
	}
	reply(w, 0, "Success", map[string]any{"medias": medias, "total": len(s.articles)})
}

// broadcast is POST /v2.0/oa/message with the article template.
func (s *Server) broadcast(w http.ResponseWriter, c Call) {
	var b struct {
		Recipient struct {
			Target map[string]any `json:"target"`
		} `json:"recipient"`
		Message struct {
			Attachment struct {
				Type    string `json:"type"`
				Payload struct {
					TemplateType string `json:"template_type"`
					Elements     []struct {
						MediaType    string `json:"media_type"`
						AttachmentID string `json:"attachment_id"`
					} `json:"elements"`
				} `json:"payload"`
			} `json:"attachment"`
		} `json:"message"`
	}
	if json.Unmarshal(c.Body, &b) != nil || b.Recipient.Target == nil || b.Message.Attachment.Type != "template" ||
		b.Message.Attachment.Payload.TemplateType != "media" {
		reply(w, -201, "message is invalid", nil)
		return
	}
	els := b.Message.Attachment.Payload.Elements
	if len(els) < 1 || len(els) > 5 {
		reply(w, -201, "elements must have 1 to 5 articles", nil)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	bc := Broadcast{Target: b.Recipient.Target}
	for _, e := range els {
		if e.MediaType != "article" || !s.hasArticle(e.AttachmentID) {
			reply(w, -201, "attachment_id is invalid", nil)
			return
		}
		bc.ArticleIDs = append(bc.ArticleIDs, e.AttachmentID)
	}
	bc.MessageID = s.nextID("msg")
	s.broadcasts = append(s.broadcasts, bc)
	reply(w, 0, "Success", map[string]string{"message_id": bc.MessageID})
}

func (s *Server) hasArticle(id string) bool {
	for _, a := range s.articles {
		if a.ID == id {
			return true
		}
	}
	return false
}

// upload is POST /v2.0/oa/upload/image with a multipart file of ≤ 1 MB JPG/PNG.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		reply(w, -201, "file is missing", nil)
		return
	}
	fh := r.MultipartForm.File["file"][0]
	f, err := fh.Open()
	if err != nil {
		reply(w, -201, "file is invalid", nil)
		return
	}
	defer f.Close()
	data, _ := io.ReadAll(f)
	if kind := http.DetectContentType(data); (kind != "image/jpeg" && kind != "image/png") || len(data) > 1<<20 {
		reply(w, -201, "file must be a JPG or PNG of at most 1MB", nil)
		return
	}
	s.mu.Lock()
	id := s.nextID("att")
	s.mu.Unlock()
	reply(w, 0, "Success", map[string]string{"attachment_id": id})
}
