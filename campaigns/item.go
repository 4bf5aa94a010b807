package campaigns

import (
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/store"
)

// Item kinds (SPEC §3B).
const (
	KindScript  = "script"
	KindPost    = "post"
	KindLeaflet = "leaflet"
	KindEvent   = "event"
)

// Item statuses of the approval workflow.
const (
	StatusDraft     = "draft"
	StatusSubmitted = "submitted"
	StatusApproved  = "approved"
)

// allowedChannels lists the channels each kind may go out on.
var allowedChannels = map[string][]string{
	KindScript:  {"loudspeaker"},
	KindPost:    {"facebook", "zalo", "portal"},
	KindLeaflet: {"facebook", "zalo", "portal", "print"},
	KindEvent:   {"event"},
}

// Kinds are the item kinds, in the order editors meet them.
var Kinds = []string{KindPost, KindScript, KindLeaflet, KindEvent}

// AllowedChannels returns the channels an item of kind may go out on (nil
// for an unknown kind). The web editor offers exactly these.
func AllowedChannels(kind string) []string { return slices.Clone(allowedChannels[kind]) }

// Item is a piece of content of a campaign. Version grows with every edit;
// deliveries remember the version they were made for, so a delivery of an
// older version is never sent.
type Item struct {
	ID                 string     `bson:"_id" json:"id"`
	CommuneID          string     `bson:"commune_id" json:"commune_id"`
	CampaignID         string     `bson:"campaign_id" json:"campaign_id"`
	Kind               string     `bson:"kind" json:"kind"`
	Title              string     `bson:"title" json:"title"`
	Body               string     `bson:"body" json:"body"`
	Audiences          []string   `bson:"audiences" json:"audiences"`
	Channels           []string   `bson:"channels" json:"channels"`
	Schedule           Schedule   `bson:"schedule" json:"schedule"`
	StationIDs         []string   `bson:"station_ids" json:"station_ids"`
	MediaIDs           []string   `bson:"media_ids" json:"media_ids"`
	Link               string     `bson:"link,omitempty" json:"link,omitempty"`
	Place              string     `bson:"place,omitempty" json:"place,omitempty"`
	ExpectedAttendance int        `bson:"expected_attendance,omitempty" json:"expected_attendance,omitempty"`
	Status             string     `bson:"status" json:"status"`
	RejectReason       string     `bson:"reject_reason,omitempty" json:"reject_reason,omitempty"`
	Version            int        `bson:"version" json:"version"`
	AuthorID           string     `bson:"author_id" json:"author_id"`
	Author             string     `bson:"author" json:"author"`
	ApprovedBy         string     `bson:"approved_by,omitempty" json:"approved_by,omitempty"`
	ApprovedAt         *time.Time `bson:"approved_at,omitempty" json:"approved_at,omitempty"`
	// Approved says the item was approved at least once: its deliveries
	// and reach are on record, so it is never deleted.
	Approved  bool      `bson:"approved_once,omitempty" json:"approved_once,omitempty"`
	CreatedAt time.Time `bson:"created_at" json:"created_at"`
	UpdatedAt time.Time `bson:"updated_at" json:"updated_at"`

	// Audio is a script's broadcast sound, when it has one (item_audio.go).
	Audio *ItemAudio `bson:"audio,omitempty" json:"audio,omitempty"`
}

// Actor is who acts on an item: the signed-in user.
type Actor struct {
	UserID   string
	Username string
}

// ItemFilter selects items; empty fields match everything.
type ItemFilter struct {
	CampaignID, Status, Kind string
}

// GetItem returns the item or apperr.ErrNotFound.
func (s *Service) GetItem(ctx context.Context, id string) (Item, error) {
	var it Item
	err := store.FindByID(ctx, s.items, id, &it)
	if store.IsNoDocuments(err) {
		return it, apperr.NotFound("item")
	}
	if err != nil {
		return it, fmt.Errorf("finding item: %w", err)
	}
	return it, nil
}

// ListItems returns the caller's items matching f, newest first.
func (s *Service) ListItems(ctx context.Context, f ItemFilter) ([]Item, error) {
	cond := bson.M{}
	for k, v := range map[string]string{"campaign_id": f.CampaignID, "status": f.Status, "kind": f.Kind} {
		if v != "" {
			cond[k] = v
		}
	}
	q, err := store.Scoped(ctx, cond)
	if err != nil {
		return nil, err
	}
	cur, err := s.items.Find(ctx, q, options.Find().SetSort(bson.D{{Key: "updated_at", Value: -1}}).SetLimit(1000))
	if err != nil {
		return nil, fmt.Errorf("listing items: %w", err)
	}
	out := []Item{}
	return out, cur.All(ctx, &out)
}

// ApprovedItems returns every approved item of every commune whose schedule
// can still fall due on or after day (the clock's daily top-up; system work,
// not scoped to one commune).
func (s *Service) ApprovedItems(ctx context.Context, day string) ([]Item, error) {
	cur, err := s.items.Find(ctx, bson.M{"status": StatusApproved})
	if err != nil {
		return nil, fmt.Errorf("listing approved items: %w", err)
	}
	var all, out []Item
	if err := cur.All(ctx, &all); err != nil {
		return nil, err
	}
	for _, it := range all {
		if it.Schedule.Recurring() && it.Schedule.To < day {
			continue
		}
		// A one-off moment before today was materialised at approval; its
		// delivery may since have been archived, and planning it again would
		// queue it anew (then mark it missed) every night.
		if !it.Schedule.Recurring() && it.Schedule.At.In(s.loc).Format(DateLayout) < day {
			continue
		}
		out = append(out, it)
	}
	return out, nil
}

// DeliveriesStart is the local date (YYYY-MM-DD) where the deliveries of
// an item (its moment, or its recurrence's first day) or else of a
// campaign (its start) begin: where a browse of them starts when not told
// (deliveries.BrowseQuery.Start). It is "" when neither is given or found.
func (s *Service) DeliveriesStart(ctx context.Context, itemID, campaignID string) string {
	if itemID != "" {
		it, err := s.GetItem(ctx, itemID)
		if err != nil {
			return ""
		}
		if it.Schedule.At != nil {
			return it.Schedule.At.In(s.loc).Format(DateLayout)
		}
		return it.Schedule.From
	}
	if campaignID != "" {
		if c, err := s.GetCampaign(ctx, campaignID); err == nil {
			return c.Start
		}
	}
	return ""
}
