package facebook

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/lantoa/lantoa/publishers"
)

// Publish posts c on the Page: a text or link post through /feed, one image
// through /photos (the text as its caption), several images as unpublished
// photos attached to one /feed post. It returns the post id
// "{page-id}_{post-id}". Errors are *publishers.Error; class Unknown means
// the post may exist (call Reconcile before any resend). While the credential
// is known bad or the channel paused it fails at once without calling.
func (c *Client) Publish(ctx context.Context, d publishers.Delivery, ct publishers.Content) (publishers.Receipt, error) {
	msg := c.cfg.Message(ct)
	var id string
	var err error
	switch n := len(ct.Images); {
	case n == 0 && msg == "" && ct.Link == "":
		err = publishers.Errorf(publishers.Permanent, "", "nothing to post: no text, link or image")
	case n == 0:
		id, err = c.postFeed(ctx, msg, ct.Link, nil)
	case n == 1:
		id, err = c.postPhoto(ctx, withLink(msg, ct.Link), ct.Images[0])
	case n <= c.cfg.MaxImages:
		id, err = c.postAlbum(ctx, msg, ct)
	default:
		err = publishers.Errorf(publishers.Permanent, "", "a Facebook post takes at most %d images, this one has %d", c.cfg.MaxImages, n)
	}
	if err != nil {
		class, _ := publishers.Classify(err)
		c.log.Warn("facebook publish failed", "delivery", d.ID, "class", class.String(), "err", err)
		return publishers.Receipt{}, err
	}
	c.log.Info("facebook post published", "delivery", d.ID, "post_id", id, "images", len(ct.Images))
	return publishers.Receipt{ExternalID: id, URL: PostURL(id)}, nil
}

// PostURL is the public address of a Page post id "{page-id}_{post-id}"
// (facebook.com resolves that form [?]).
func PostURL(id string) string {
	if id == "" {
		return ""
	}
	return "https://www.facebook.com/" + url.PathEscape(id)
}

// withLink appends link to msg when msg does not already contain it: photo
// posts have no link parameter.
func withLink(msg, link string) string {
	if link == "" || strings.Contains(msg, link) {
		return msg
	}
	if msg == "" {
		return link
	}
	return msg + "\n\n" + link
}

// postFeed creates a /feed post with the text, link and attached photo ids.
func (c *Client) postFeed(ctx context.Context, msg, link string, photoIDs []string) (string, error) {
	p := url.Values{}
	if msg != "" {
		p.Set("message", msg)
	}
	if link != "" {
		p.Set("link", link)
	}
	for i, id := range photoIDs {
		ref, _ := json.Marshal(map[string]string{"media_fbid": id})
		p.Set(fmt.Sprintf("attached_media[%d]", i), string(ref))
	}
	var out struct {
		ID string `json:"id"`
	}
	err := c.do(ctx, call{method: http.MethodPost, path: "/" + c.cfg.PageID + "/feed", params: p, mutation: true}, &out)
	if err != nil {
		return "", err
	}
	return c.requireID(out.ID)
}

// postPhoto creates a photo post and returns its post id.
func (c *Client) postPhoto(ctx context.Context, msg string, img publishers.Image) (string, error) {
	p := url.Values{}
	if msg != "" {
		p.Set(c.cfg.PhotoTextField, msg)
	}
	var out struct {
		ID     string `json:"id"`
		PostID string `json:"post_id"`
	}
	if err := c.uploadPhoto(ctx, p, img, true, &out); err != nil {
		return "", err
	}
	if out.PostID != "" {
		return out.PostID, nil
	}
	// Some answers carry only the photo id [?]; the photo is then the post.
	return c.requireID(out.ID)
}

// postAlbum uploads each image unpublished, then attaches them all to one
// /feed post. A failed feed call leaves unpublished photos behind: Facebook
// shows them nowhere, and they are listed in the log for cleanup.
func (c *Client) postAlbum(ctx context.Context, msg string, ct publishers.Content) (string, error) {
	ids := make([]string, 0, len(ct.Images))
	for _, img := range ct.Images {
		p := url.Values{"published": {"false"}}
		// temporary=true is only for photos of a scheduled post [?]; posts
		// here go out at once, so it is not sent.
		var out struct {
			ID string `json:"id"`
		}
		if err := c.uploadPhoto(ctx, p, img, false, &out); err != nil {
			return "", orphans(err, ids)
		}
		if out.ID == "" {
			return "", orphans(publishers.Errorf(publishers.Permanent, "", "photo upload answered without an id"), ids)
		}
		ids = append(ids, out.ID)
	}
	id, err := c.postFeed(ctx, msg, ct.Link, ids)
	if err != nil {
		c.log.Warn("facebook album post failed; unpublished photos left behind", "photo_ids", strings.Join(ids, ","))
	}
	return id, err
}

func orphans(err error, ids []string) error {
	if len(ids) == 0 {
		return err
	}
	return fmt.Errorf("unpublished photos %s left behind: %w", strings.Join(ids, ","), err)
}

// uploadPhoto sends img as the multipart field "source" with params. visible
// says whether it creates a post: a lost answer to an unpublished upload
// leaves nothing anyone sees, so it is Transient rather than Unknown.
func (c *Client) uploadPhoto(ctx context.Context, p url.Values, img publishers.Image, visible bool, out any) error {
	if len(img.Data) == 0 {
		return publishers.Errorf(publishers.Permanent, "", "image %q has no bytes", img.Name)
	}
	ctype := img.ContentType
	if ctype == "" {
		ctype = http.DetectContentType(img.Data)
	}
	name := img.Name
	if name == "" {
		name = "image"
	}
	f := &upload{field: "source", name: name, contentType: ctype, data: img.Data}
	return c.do(ctx, call{method: http.MethodPost, path: "/" + c.cfg.PageID + "/photos", params: p, file: f, mutation: visible}, out)
}

// requireID turns an empty id in a successful answer into an Unknown error:
// something was created, but we cannot tell what.
func (c *Client) requireID(id string) (string, error) {
	if id == "" {
		return "", c.fail(publishers.Errorf(publishers.Unknown, "", "Graph API answered without an id"))
	}
	return id, nil
}
