package demo

import (
	"fmt"
	"hash/fnv"
	"time"

	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/reach"
)

// sentPost is a published social post whose statistics grow day by day.
type sentPost struct {
	d      deliveries.Delivery
	sentAt time.Time
}

// evening records the platforms' statistics of recent posts and the day's
// QR scans.
func (d *demo) evening(date string) error {
	if d.at(d.day(date, 21, 0)) != nil {
		return nil
	}
	for _, ch := range []string{"facebook", "zalo"} {
		sent, err := d.a.Deliveries.List(d.ctx, deliveries.Filter{Day: date, State: deliveries.StateSent, Channel: ch})
		if err != nil {
			return err
		}
		for _, s := range sent {
			if s.SentAt != nil {
				d.posts = append(d.posts, sentPost{d: s, sentAt: *s.SentAt})
			}
		}
	}
	for _, p := range d.posts {
		age := int(d.clk.Now().Sub(p.sentAt).Hours() / 24)
		if age < 0 || age > 10 {
			continue
		}
		if err := d.snapshot(p, age); err != nil {
			return err
		}
	}
	return d.scans(date)
}

// snapshot records a post's lifetime statistics after age days: they grow
// quickly, then level off.
func (d *demo) snapshot(p sentPost, age int) error {
	h := fnv.New32a()
	h.Write([]byte(p.d.ID))
	base := int64(h.Sum32()%300) + 150
	grow := func(scale int64) *int64 {
		v := base * scale * int64(min(age+1, 6)) / 6
		return &v
	}
	snap := reach.Snapshot{CommuneID: p.d.CommuneID, CampaignID: p.d.CampaignID, ItemID: p.d.ItemID, Channel: p.d.Channel,
		ExternalID: p.d.ExternalID, Values: map[string]*int64{}, Platform: map[string]string{}, APIVersion: "v23.0"}
	if snap.ExternalID == "" {
		snap.ExternalID = p.d.ID
	}
	if p.d.Channel == "facebook" {
		snap.Values["impressions"], snap.Values["reach"], snap.Values["engagements"], snap.Values["clicks"] = grow(4), grow(3), grow(1), grow(1)
		snap.Platform = map[string]string{"impressions": "post_media_view", "reach": "post_total_media_view_unique",
			"engagements": "post_engaged_users", "clicks": "post_clicks"}
	} else {
		snap.Values["views"], snap.Values["shares"] = grow(2), grow(1)
		snap.Platform, snap.APIVersion = map[string]string{"views": "total_view", "shares": "total_share"}, "v2.0"
	}
	if err := d.a.Reach.RecordSnapshot(d.ctx, snap); err != nil {
		return fmt.Errorf("recording statistics: %w", err)
	}
	d.res.Snapshots++
	return nil
}
