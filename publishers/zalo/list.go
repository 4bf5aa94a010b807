package zalo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"time"

	"github.com/lantoa/lantoa/publishers"
)

// pageSize is getslice's largest limit (above it: -201 "maximum limit is 10").
const pageSize = 10

// media is one article of article/getslice.
type media struct {
	ID          flexString `json:"id"`
	Title       string     `json:"title"`
	Status      string     `json:"status"`
	TotalView   flexInt    `json:"total_view"`
	TotalShare  flexInt    `json:"total_share"`
	CreateDate  flexInt    `json:"create_date"`  // field name and unit are [?]
	CreatedDate flexInt    `json:"created_date"` // one 3p client reads this name, in seconds
}

// created returns the article's creation time when the list gives one.
// Values above 1e12 are taken as milliseconds, others as seconds [?].
func (m media) created() (time.Time, bool) {
	v := m.CreateDate.v
	if v == nil {
		v = m.CreatedDate.v
	}
	if v == nil || *v <= 0 {
		return time.Time{}, false
	}
	if *v > 1e12 {
		return time.UnixMilli(*v), true
	}
	return time.Unix(*v, 0), true
}

// slice reads one page of normal articles, newest first.
func (c *Client) slice(ctx context.Context, offset int) ([]media, int, error) {
	q := url.Values{"offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(pageSize)}, "type": {"normal"}}
	var data struct {
		Medias []media `json:"medias"`
		Total  flexInt `json:"total"`
	}
	if err := c.call(ctx, request{method: http.MethodGet, path: "/v2.0/article/getslice", query: q}, &data); err != nil {
		return nil, 0, err
	}
	total := -1
	if data.Total.v != nil {
		total = int(*data.Total.v)
	}
	return data.Medias, total, nil
}

// Reconcile looks for the article Publish would make for ct among the
// OA's latest ReconcilePages × 10 articles, matching the title exactly after
// normalisation; when the list gives a creation time it must not be more
// than ReconcileLookback before d.DueAt (a recurring item reuses its title).
// It returns (receipt, true, nil) when found.
func (c *Client) Reconcile(ctx context.Context, d publishers.Delivery, ct publishers.Content) (publishers.Receipt, bool, error) {
	want := c.title(ct)
	since := d.DueAt.Add(-c.cfg.ReconcileLookback)
	for page := range c.cfg.ReconcilePages {
		items, total, err := c.slice(ctx, page*pageSize)
		if err != nil {
			return publishers.Receipt{}, false, err
		}
		for _, m := range items {
			if normText(m.Title) != want {
				continue
			}
			if at, ok := m.created(); ok && !d.DueAt.IsZero() && at.Before(since) {
				continue
			}
			c.log.Info("zalo article found by reconcile", "delivery", d.ID, "article_id", string(m.ID))
			return publishers.Receipt{ExternalID: string(m.ID)}, true, nil
		}
		if len(items) < pageSize || (total >= 0 && (page+1)*pageSize >= total) {
			break
		}
	}
	return publishers.Receipt{}, false, nil
}

// Stats reads total_view (views) and total_share (shares) of the articles
// from the OA's article list, 10 per call, stopping when all are found or
// after StatsPages pages. Articles not found, or fields the list leaves
// out, have nil values (unknown, not 0).
func (c *Client) Stats(ctx context.Context, externalIDs []string) (map[string][]publishers.Stat, error) {
	found := map[string]media{}
	want := map[string]bool{}
	for _, id := range externalIDs {
		want[id] = true
	}
	for page := 0; page < c.cfg.StatsPages && len(found) < len(want); page++ {
		items, total, err := c.slice(ctx, page*pageSize)
		if err != nil {
			return nil, err
		}
		for _, m := range items {
			if want[string(m.ID)] {
				found[string(m.ID)] = m
			}
		}
		if len(items) < pageSize || (total >= 0 && (page+1)*pageSize >= total) {
			break
		}
	}
	out := make(map[string][]publishers.Stat, len(externalIDs))
	for _, id := range externalIDs {
		m := found[id]
		out[id] = []publishers.Stat{
			{Metric: "views", Value: m.TotalView.v, PlatformMetric: "total_view", APIVersion: "v2.0"},
			{Metric: "shares", Value: m.TotalShare.v, PlatformMetric: "total_share", APIVersion: "v2.0"},
		}
	}
	return out, nil
}

// UploadImage uploads a JPG or PNG of at most 1 MB to the OA for use in
// messages and returns its attachment_id (kept by Zalo ≤ 7 days). Article
// covers and body images do not use it: they go by public URL.
func (c *Client) UploadImage(ctx context.Context, img publishers.Image) (string, error) {
	kind := http.DetectContentType(img.Data)
	if kind != "image/jpeg" && kind != "image/png" {
		return "", publishers.Errorf(publishers.Permanent, "", "Zalo takes JPG or PNG images, not %s", kind)
	}
	if len(img.Data) > 1<<20 {
		return "", publishers.Errorf(publishers.Permanent, "", "Zalo takes images up to 1 MB, this one has %d bytes", len(img.Data))
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, firstNonEmpty(img.Name, "image")))
	h.Set("Content-Type", kind)
	part, err := w.CreatePart(h)
	if err == nil {
		_, err = part.Write(img.Data)
	}
	if err = errors.Join(err, w.Close()); err != nil {
		return "", publishers.Errorf(publishers.Permanent, "", "encoding the upload: %v", err)
	}
	var data struct {
		AttachmentID flexString `json:"attachment_id"`
	}
	err = c.call(ctx, request{method: http.MethodPost, path: "/v2.0/oa/upload/image", body: buf.Bytes(), contentType: w.FormDataContentType()}, &data)
	if err != nil {
		return "", err
	}
	if data.AttachmentID == "" {
		return "", c.fail(publishers.Errorf(publishers.Transient, "", "upload answered without an attachment_id"))
	}
	return string(data.AttachmentID), nil
}
