package zalo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"strings"

	"github.com/lantoa/lantoa/publishers"
)

// article is the create body of a normal article (reference §B.2).
type article struct {
	Type        string     `json:"type"`
	Title       string     `json:"title"`
	Author      string     `json:"author"`
	Description string     `json:"description"`
	Cover       cover      `json:"cover"`
	Body        []bodyItem `json:"body"`
	Status      string     `json:"status"`
	Comment     string     `json:"comment"`
}

type cover struct {
	CoverType string `json:"cover_type"` // "photo"; some clients send 0 [?]
	PhotoURL  string `json:"photo_url"`
	Status    string `json:"status"`
}

type bodyItem struct {
	Type    string `json:"type"`
	Content string `json:"content,omitempty"`
	URL     string `json:"url,omitempty"`
	Caption string `json:"caption,omitempty"`
}

// Publish creates an article on the OA (article/create), polls
// article/verify for its id and, when Config.Broadcast, sends it to all
// followers. A failed broadcast is logged and shown in Health but does not
// fail the delivery: the article exists, and a resend would duplicate it.
// Once create has answered, every failure is Unknown (the article may
// exist: Reconcile first), except -200 at verify (Zalo could not fetch the
// images; the article was not made).
func (c *Client) Publish(ctx context.Context, d publishers.Delivery, ct publishers.Content) (publishers.Receipt, error) {
	a, err := c.buildArticle(ct)
	if err != nil {
		return publishers.Receipt{}, err
	}
	id, err := c.createAndVerify(ctx, a)
	if err != nil {
		class, _ := publishers.Classify(err)
		c.log.Warn("zalo publish failed", "delivery", d.ID, "class", class.String(), "err", err)
		return publishers.Receipt{}, err
	}
	c.log.Info("zalo article published", "delivery", d.ID, "article_id", id)
	if c.cfg.Broadcast {
		if err := c.broadcast(ctx, id); err != nil {
			c.log.Warn("zalo broadcast failed; the article is published", "delivery", d.ID, "article_id", id, "err", err)
			c.standing.Note("article published, broadcast failed: " + err.Error())
		}
	}
	return publishers.Receipt{ExternalID: id}, nil
}

func (c *Client) createAndVerify(ctx context.Context, a article) (string, error) {
	body, err := marshal(a)
	if err != nil {
		return "", publishers.Errorf(publishers.Permanent, "", "encoding the article: %v", err)
	}
	var created struct {
		Token string `json:"token"`
	}
	err = c.call(ctx, request{method: "POST", path: "/v2.0/article/create", body: body,
		contentType: "application/json", mutation: true}, &created)
	if err != nil {
		return "", err
	}
	if created.Token == "" {
		return "", c.fail(publishers.Errorf(publishers.Unknown, "", "article/create answered without a token"))
	}
	return c.verify(ctx, created.Token)
}

// verify polls article/verify until it gives the article id, at most
// VerifyTries times VerifyInterval apart. "Media is being processed" (an
// answer without an id, or a code no source documents) means poll again.
func (c *Client) verify(ctx context.Context, token string) (string, error) {
	body, _ := marshal(map[string]string{"token": token})
	var last error
	for i := range c.cfg.VerifyTries {
		if i > 0 {
			if err := c.cfg.Sleep(ctx, c.cfg.VerifyInterval); err != nil {
				last = err
				break
			}
		}
		var data struct {
			ID        flexString `json:"id"`
			ArticleID flexString `json:"article_id"` // some clients read this name
		}
		err := c.call(ctx, request{method: "POST", path: "/v2.0/article/verify", body: body, contentType: "application/json"}, &data)
		if err == nil {
			if id := firstNonEmpty(string(data.ID), string(data.ArticleID)); id != "" {
				return id, nil
			}
			continue
		}
		last = err
		var pe *publishers.Error
		if isPublishErr(err, &pe) && pe.Code == "-200" {
			return "", err
		}
		if class, _ := publishers.Classify(err); class != publishers.Transient {
			break
		}
	}
	return "", c.fail(&publishers.Error{Class: publishers.Unknown, Err: last,
		Message: fmt.Sprintf("article created but its id is unknown after %d verify polls; reconcile before resending", c.cfg.VerifyTries)})
}

// broadcast sends article id to all followers (target {}).
func (c *Client) broadcast(ctx context.Context, id string) error {
	msg := map[string]any{
		"recipient": map[string]any{"target": map[string]any{}},
		"message": map[string]any{"attachment": map[string]any{
			"type": "template",
			"payload": map[string]any{"template_type": "media",
				"elements": []map[string]string{{"media_type": "article", "attachment_id": id}}},
		}},
	}
	body, _ := marshal(msg)
	var data struct {
		MessageID flexString `json:"message_id"`
	}
	return c.call(ctx, request{method: "POST", path: "/v2.0/oa/message", body: body, contentType: "application/json", mutation: true}, &data)
}

// buildArticle turns content into a normal article, or a Permanent error
// when it cannot become one (no cover image with a public URL).
func (c *Client) buildArticle(ct publishers.Content) (article, error) {
	title := c.title(ct)
	if title == "" {
		return article{}, publishers.Errorf(publishers.Permanent, "", "a Zalo article needs a title")
	}
	coverURL := c.cfg.DefaultCover
	if len(ct.Images) > 0 {
		if u := c.cfg.PublicURL(ct.Images[0]); u != "" {
			coverURL = u
		}
		if n := len(ct.Images[0].Data); n > 1<<20 {
			c.log.Warn("zalo cover image above 1 MB; verify may fail with Upload media failed", "bytes", n)
		}
	}
	cov, err := encodeURL(coverURL)
	if err != nil {
		return article{}, publishers.Errorf(publishers.Permanent, "", "a Zalo article needs a cover image with a public URL: %v", err)
	}
	a := article{
		Type: "normal", Title: title, Author: capRunes(c.author(), 50),
		Description: capRunes(firstNonEmpty(firstParagraph(ct.Body), title), c.cfg.DescriptionMax),
		Cover:       cover{CoverType: "photo", PhotoURL: cov, Status: "show"},
		Body:        c.body(ct),
		Status:      "show", Comment: c.cfg.CommentStatus,
	}
	return a, nil
}

// title is the article title: the content's title, or its first line,
// capped at TitleMax characters. Reconcile matches on it.
func (c *Client) title(ct publishers.Content) string {
	t := normText(ct.Title)
	if t == "" {
		t = normText(strings.SplitN(strings.TrimSpace(ct.Body), "\n", 2)[0])
	}
	return capRunes(t, c.cfg.TitleMax)
}

func (c *Client) author() string {
	if a := strings.TrimSpace(c.cfg.Author); a != "" {
		return a
	}
	return "Lan Tỏa"
}

// body is the article body: the text as escaped HTML paragraphs, the link,
// then the images after the cover by public URL.
func (c *Client) body(ct publishers.Content) []bodyItem {
	var b strings.Builder
	for _, p := range paragraphs(ct.Body) {
		b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(p), "\n", "<br>") + "</p>")
	}
	if ct.Link != "" {
		l := html.EscapeString(ct.Link)
		b.WriteString(`<p><a href="` + l + `">` + l + `</a></p>`)
	}
	items := []bodyItem{{Type: "text", Content: firstNonEmpty(b.String(), "<p>"+html.EscapeString(c.title(ct))+"</p>")}}
	for i, img := range ct.Images {
		if i == 0 {
			continue
		}
		if u, err := encodeURL(c.cfg.PublicURL(img)); err == nil {
			items = append(items, bodyItem{Type: "image", URL: u})
		}
	}
	return items
}

// marshal encodes v as JSON without escaping <, > and & (the body is HTML).
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
