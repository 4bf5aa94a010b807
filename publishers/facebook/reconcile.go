package facebook

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/lantoa/lantoa/publishers"
)

// feedPage is one page of GET /{page-id}/feed.
type feedPage struct {
	Data []struct {
		ID          string `json:"id"`
		Message     string `json:"message"`
		CreatedTime string `json:"created_time"`
	} `json:"data"`
	Paging struct {
		Cursors struct {
			After string `json:"after"`
		} `json:"cursors"`
		Next string `json:"next"`
	} `json:"paging"`
}

// Reconcile looks in the Page feed for the post Publish would make for ct,
// created between ReconcileLookback before d.DueAt (or now, when DueAt is
// zero) and now. It matches the message exactly after NFC normalisation
// and whitespace folding. It returns (receipt, true, nil) when found,
// (zero, false, nil) when the feed has no such post, and a
// *publishers.Error when the feed could not be read.
func (c *Client) Reconcile(ctx context.Context, d publishers.Delivery, ct publishers.Content) (publishers.Receipt, bool, error) {
	want := normText(c.cfg.Message(ct))
	if len(ct.Images) == 1 {
		want = normText(withLink(c.cfg.Message(ct), ct.Link))
	}
	now := c.cfg.Now()
	from := d.DueAt
	if from.IsZero() || from.After(now) {
		from = now
	}
	p := url.Values{
		"fields": {"id,message,created_time"},
		"since":  {strconv.FormatInt(from.Add(-c.cfg.ReconcileLookback).Unix(), 10)},
		// A few minutes ahead absorbs clock skew between us and Facebook.
		"until": {strconv.FormatInt(now.Add(5*time.Minute).Unix(), 10)},
		"limit": {"100"},
	}
	for range c.cfg.ReconcilePages {
		var page feedPage
		if err := c.do(ctx, call{method: http.MethodGet, path: "/" + c.cfg.PageID + "/feed", params: p}, &page); err != nil {
			return publishers.Receipt{}, false, err
		}
		for _, post := range page.Data {
			if normText(post.Message) == want {
				c.log.Info("facebook post found by reconcile", "delivery", d.ID, "post_id", post.ID)
				return publishers.Receipt{ExternalID: post.ID, URL: PostURL(post.ID)}, true, nil
			}
		}
		// Follow the cursor, not paging.next: that URL carries the token.
		if page.Paging.Next == "" || page.Paging.Cursors.After == "" || len(page.Data) == 0 {
			break
		}
		p.Set("after", page.Paging.Cursors.After)
	}
	return publishers.Receipt{}, false, nil
}

// normText folds s for comparison: NFC (Vietnamese typed on some systems
// arrives decomposed) and every run of white space as one space.
func normText(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}
