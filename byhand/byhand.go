// Package byhand is publishing by hand (SPEC §6.2): for a commune whose
// Facebook Page or Zalo OA has no API credentials, the posts that fell due
// wait for an editor, who copies the text as that platform takes it,
// downloads the images at that platform's size, posts from a phone and
// gives back the post's link. The deliveries' states are package deliveries'
// (awaiting_manual, then sent, cancelled or missed); this package puts
// together what the editor needs, checks the link against the platform,
// and keeps the count of posts to make that every editor page shows. The
// JSON API and the pages both call it.
package byhand

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/media"
	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/facebook"
	"github.com/lantoa/lantoa/publishers/zalo"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/usertext"
)

// Deliveries is what publishing by hand needs of the deliveries.
type Deliveries interface {
	Get(ctx context.Context, id string) (deliveries.Delivery, error)
	AwaitingByHand(ctx context.Context) ([]deliveries.Delivery, error)
	MarkPosted(ctx context.Context, id, link, externalID, by string) (deliveries.Delivery, bool, error)
	SkipByHand(ctx context.Context, id, reason, by string) (deliveries.Delivery, bool, error)
}

// Items gives the current text of a delivery's item.
type Items interface {
	GetItem(ctx context.Context, id string) (campaigns.Item, error)
}

// Images gives the addresses of an item's images as each platform takes
// them (media.Service).
type Images interface {
	Leaflet(ctx context.Context, itemID string) (media.LeafletView, error)
	UploadURL(id, variant string) string
}

// Service is publishing by hand over its dependencies.
type Service struct {
	deliveries Deliveries
	items      Items
	images     Images
	stamps     *stamps.Stamps
	count      stamps.Memo[int]
}

// New returns the service.
func New(d Deliveries, items Items, images Images, st *stamps.Stamps) *Service {
	return &Service{deliveries: d, items: items, images: images, stamps: st, count: stamps.Memo[int]{Max: 1024}}
}

// Post is a post to make by hand, as the editor needs it: the text as the
// platform takes it (one tap copies it), the images at the platform's size
// (one tap downloads them), and, once posted, where it went.
type Post struct {
	DeliveryID string    `json:"delivery_id"`
	ItemID     string    `json:"item_id"`
	CampaignID string    `json:"campaign_id"`
	Channel    string    `json:"channel"`
	DueAt      time.Time `json:"due_at"`
	State      string    `json:"state"`
	Title      string    `json:"title"`
	Text       string    `json:"text"`
	Images     []string  `json:"images"`
	Link       string    `json:"link,omitempty"`
	URL        string    `json:"url,omitempty"`
}

// Queue returns the scope's commune's posts awaiting a person, oldest due
// first. Only state awaiting_manual is listed (the SPEC's one filter).
func (s *Service) Queue(ctx context.Context, state string) ([]Post, error) {
	if state != "" && state != deliveries.StateAwaitingManual {
		return nil, apperr.Invalid("state", "must be %s", deliveries.StateAwaitingManual)
	}
	list, err := s.deliveries.AwaitingByHand(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Post, 0, len(list))
	for _, d := range list {
		p, err := s.post(ctx, d)
		if errors.Is(err, apperr.ErrNotFound) {
			continue // its item is gone: nothing to post
		}
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// PostOf returns one delivery as a post to make (or made) by hand.
func (s *Service) PostOf(ctx context.Context, id string) (Post, error) {
	d, err := s.deliveries.Get(ctx, id)
	if err != nil {
		return Post{}, err
	}
	return s.post(ctx, d)
}

func (s *Service) post(ctx context.Context, d deliveries.Delivery) (Post, error) {
	it, err := s.items.GetItem(ctx, d.ItemID)
	if err != nil {
		return Post{}, err
	}
	p := Post{DeliveryID: d.ID, ItemID: d.ItemID, CampaignID: d.CampaignID, Channel: d.Channel, DueAt: d.DueAt,
		State: d.State, Title: it.Title, Link: it.Link, URL: d.URL, Images: []string{}}
	p.Text = Text(d.Channel, publishers.Content{Kind: it.Kind, Title: it.Title, Body: it.Body, Link: it.Link})
	if it.Kind == campaigns.KindLeaflet {
		lv, err := s.images.Leaflet(ctx, it.ID)
		if err != nil && !errors.Is(err, apperr.ErrNotFound) {
			return Post{}, err
		}
		variant := media.VariantFacebook
		if d.Channel == zalo.ChannelName {
			variant = media.VariantZalo
		}
		if u := lv.Variants[variant]; u != "" {
			p.Images = append(p.Images, u)
		}
		return p, nil
	}
	for _, id := range it.MediaIDs {
		p.Images = append(p.Images, s.images.UploadURL(id, media.VariantPost))
	}
	return p, nil
}

// Text is an item's text as channel takes it when posted by hand: on
// Facebook the post's message (facebook.DefaultMessage) with the link on
// its own line, where Facebook makes its preview; on Zalo the title, the
// text and the link.
func Text(channel string, c publishers.Content) string {
	text := facebook.DefaultMessage(c)
	if channel == zalo.ChannelName {
		text = strings.TrimSpace(strings.TrimSpace(c.Title) + "\n\n" + strings.TrimSpace(c.Body))
	}
	if c.Link != "" {
		text += "\n\n" + c.Link
	}
	return text
}

// Posted records that actor posted delivery id at rawURL, which must be a
// link of a post on that platform (facebook.PostLink, zalo.ArticleLink;
// anything else is an *apperr.ValidationError naming "url"): the delivery
// is sent, with its url and external_id. Posting again with the same link
// changes nothing.
func (s *Service) Posted(ctx context.Context, actor, id, rawURL string) (deliveries.Delivery, error) {
	d, err := s.deliveries.Get(ctx, id)
	if err != nil {
		return deliveries.Delivery{}, err
	}
	raw, err := usertext.Line("url", rawURL, 2000)
	if err != nil {
		return deliveries.Delivery{}, err
	}
	if raw == "" {
		return deliveries.Delivery{}, apperr.Invalid("url", "is required: paste the link of the post")
	}
	var extID, link string
	switch d.Channel {
	case facebook.ChannelName:
		extID, link, err = facebook.PostLink("url", raw)
	case zalo.ChannelName:
		extID, link, err = zalo.ArticleLink("url", raw)
	default:
		return deliveries.Delivery{}, apperr.Conflict("%s is not posted by hand", d.Channel)
	}
	if err != nil {
		return deliveries.Delivery{}, err
	}
	out, _, err := s.deliveries.MarkPosted(ctx, id, link, extID, actor)
	return out, err
}

// Skip records that the editors will not post delivery id, and why.
func (s *Service) Skip(ctx context.Context, actor, id, reason string) (deliveries.Delivery, error) {
	r, err := usertext.Line("reason", reason, 300)
	if err != nil {
		return deliveries.Delivery{}, err
	}
	if len([]rune(r)) < 3 {
		return deliveries.Delivery{}, apperr.Invalid("reason", "say in 3–300 characters why it will not be posted")
	}
	out, _, err := s.deliveries.SkipByHand(ctx, id, r, actor)
	return out, err
}

// Count is how many posts of the scope's commune await a person: what the
// editors' navigation shows on every page, so it is kept in memory against
// the commune's by-hand stamp (stamps.ByHand) and read from the store only
// after a change.
func (s *Service) Count(ctx context.Context) (int, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return 0, err
	}
	return stamps.Cached(ctx, s.stamps, &s.count, stamps.ByHand(sc.CommuneID), sc.CommuneID, func(ctx context.Context) (int, error) {
		list, err := s.deliveries.AwaitingByHand(ctx)
		return len(list), err
	})
}
