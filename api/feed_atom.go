package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/edge"
	"github.com/lantoa/lantoa/publishers/portal"
	"github.com/lantoa/lantoa/store"
)

// Feed limits: the newest FeedEntries items, read from at most FeedScan of
// the newest sent portal deliveries (a recurring item is one entry). A
// rendered feed is reused for FeedCacheFor: every request would otherwise
// scan the deliveries and their archive on the embedded store.
const (
	FeedEntries  = 50
	FeedScan     = 300
	FeedCacheFor = time.Minute
)

// feedCache holds rendered feeds by commune.
type feedCache struct {
	mu    sync.Mutex
	feeds map[string]cachedFeed
}

type cachedFeed struct {
	body []byte
	etag string
	at   time.Time
}

// feedAtom serves the Atom feed of the items published on the portal
// channel, newest first, for ?commune= or the default commune. An item is
// listed while it is approved, with its approved text; an item taken back
// to draft for editing leaves the feed until it is approved again.
func (s *Server) feedAtom(c *gin.Context) {
	commune := c.Query("commune")
	if commune == "" {
		commune = accounts.DefaultCommuneID
	}
	cm, err := s.Accounts.GetCommune(c, commune)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	f, err := s.cachedFeed(store.WithScope(c.Request.Context(), store.Scope{CommuneID: cm.ID}), cm, c.Query("commune") != "")
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.Header("ETag", f.etag)
	c.Header("Vary", "Accept-Encoding") // on the 304 too (RFC 9110 §15.4.5); edge.Compress codes the 200
	if held, ok := edge.NoneMatch(c.GetHeader("If-None-Match"), f.etag); ok {
		c.Header("ETag", held)
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, "application/atom+xml; charset=utf-8", f.body)
}

func (s *Server) cachedFeed(ctx context.Context, cm accounts.Commune, named bool) (cachedFeed, error) {
	s.feeds.mu.Lock()
	defer s.feeds.mu.Unlock() // one build at a time: a burst of readers waits for it
	if f, ok := s.feeds.feeds[cm.ID]; ok && s.Now().Sub(f.at) < FeedCacheFor {
		return f, nil
	}
	body, err := s.renderFeed(ctx, cm, named)
	if err != nil {
		return cachedFeed{}, err
	}
	sum := sha256.Sum256(body)
	f := cachedFeed{body: body, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, at: s.Now()}
	if s.feeds.feeds == nil {
		s.feeds.feeds = map[string]cachedFeed{}
	}
	s.feeds.feeds[cm.ID] = f
	return f, nil
}

// renderFeed builds the commune's feed from its sent portal deliveries.
func (s *Server) renderFeed(ctx context.Context, cm accounts.Commune, named bool) ([]byte, error) {
	sent, err := s.Deliveries.Sent(ctx, deliveries.SentFilter{Channels: []string{"portal"}, Limit: FeedScan})
	if err != nil {
		return nil, err
	}
	type span struct{ first, last time.Time }
	var order []string
	spans := map[string]*span{}
	for _, d := range sent { // newest first
		if d.SentAt == nil {
			continue
		}
		sp := spans[d.ItemID]
		if sp == nil {
			if len(order) == FeedEntries {
				continue
			}
			sp = &span{first: *d.SentAt, last: *d.SentAt}
			spans[d.ItemID] = sp
			order = append(order, d.ItemID)
		}
		if d.SentAt.Before(sp.first) {
			sp.first = *d.SentAt
		}
	}
	self := s.BaseURL + "/feed.atom"
	if named {
		self += "?commune=" + url.QueryEscape(cm.ID)
	}
	feed := portal.Feed{ID: feedID(s.BaseURL, cm.ID), Title: cm.Name + " — Lan Tỏa", Author: cm.Name, SelfURL: self}
	for _, id := range order {
		it, err := s.Campaigns.GetItem(ctx, id)
		if err != nil || it.Status != campaigns.StatusApproved {
			continue // gone, or back in draft: its text is not approved now
		}
		e := portal.Entry{ID: portal.EntryID(it.ID), Title: it.Title, HTML: portal.HTML(it.Body), Link: it.Link,
			Published: spans[id].first, Updated: spans[id].last}
		if it.ApprovedAt != nil && it.ApprovedAt.After(e.Updated) {
			e.Updated = *it.ApprovedAt
		}
		if s.LeafletImage != nil && it.Kind == campaigns.KindLeaflet {
			if u, err := s.LeafletImage(ctx, it.ID); err == nil {
				e.Enclosure = u
			}
		}
		feed.Entries = append(feed.Entries, e)
	}
	var buf bytes.Buffer
	if err := portal.WriteFeed(&buf, feed); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// feedID is the feed's stable tag: URI (RFC 4151) on the service's host.
func feedID(baseURL, commune string) string {
	host := "lantoa.invalid"
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return "tag:" + host + ",2026:lantoa/portal/" + commune
}
