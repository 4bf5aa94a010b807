package campaigns

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/usertext"
)

// MaxBodyRunes bounds an item's body.
const MaxBodyRunes = 10000

// ItemInput is a create or a partial update; nil fields are left alone.
type ItemInput struct {
	CampaignID         *string   `json:"campaign_id"`
	Kind               *string   `json:"kind"`
	Title              *string   `json:"title"`
	Body               *string   `json:"body"`
	Audiences          *[]string `json:"audiences"`
	Channels           *[]string `json:"channels"`
	Schedule           *Schedule `json:"schedule"`
	StationIDs         *[]string `json:"station_ids"`
	MediaIDs           *[]string `json:"media_ids"`
	Link               *string   `json:"link"`
	Place              *string   `json:"place"`
	ExpectedAttendance *int      `json:"expected_attendance"`
	// Audio replaces a script's audio (SetAudio); never from a request body.
	Audio *AudioChange `json:"-"`
}

// CreateItem validates in and stores a draft item by the actor.
func (s *Service) CreateItem(ctx context.Context, a Actor, in ItemInput) (Item, error) {
	return s.CreateItemOnce(ctx, a, "", in)
}

// CreateItemOnce is CreateItem with an idempotency key (a form's, or an
// API client's Idempotency-Key): the item's id is derived from the actor
// and the key, so sending the same create again — a form submitted twice,
// a retry after a lost answer — stores nothing new and returns the item
// the first one made. An empty key makes a fresh item every time.
func (s *Service) CreateItemOnce(ctx context.Context, a Actor, key string, in ItemInput) (Item, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return Item{}, err
	}
	for field, v := range map[string]*string{"campaign_id": in.CampaignID, "kind": in.Kind, "title": in.Title, "body": in.Body} {
		if v == nil {
			return Item{}, apperr.Invalid(field, "is required")
		}
	}
	if in.Schedule == nil {
		return Item{}, apperr.Invalid("schedule", "is required")
	}
	now := s.now().UTC()
	it := Item{ID: bson.NewObjectID().Hex(), CommuneID: sc.CommuneID, Status: StatusDraft, Version: 1,
		AuthorID: a.UserID, Author: a.Username, CreatedAt: now, UpdatedAt: now,
		Audiences: []string{}, Channels: []string{}, StationIDs: []string{}, MediaIDs: []string{}}
	if err := s.applyItem(ctx, &it, in); err != nil {
		return Item{}, err
	}
	if key != "" {
		if len(key) > 200 || !store.ValidID(key) {
			return Item{}, apperr.Invalid("idempotency_key", "must be 1–200 printable characters without spaces")
		}
		it.ID = onceID(a.UserID, key)
	}
	if _, err := s.items.InsertOne(ctx, it); err != nil {
		if key != "" && store.IsDuplicateKey(err) {
			// The same create again: answer with what the first one stored.
			return s.GetItem(ctx, it.ID)
		}
		return Item{}, fmt.Errorf("storing item: %w", err)
	}
	s.itemsChanged(ctx, it.CommuneID)
	s.Record(ctx, AuditEntry{Actor: a.Username, Action: "item.create", ItemID: it.ID, CampaignID: it.CampaignID, Detail: it.Title})
	return it, nil
}

// onceID is the id of the item a user's create with key makes: 24 hex
// digits, like the ids of other items.
func onceID(userID, key string) string {
	sum := sha256.Sum256([]byte("lantoa/campaigns.item|" + userID + "|" + key))
	return hex.EncodeToString(sum[:12])
}

// UpdateItem applies a partial update. An edit returns a submitted or
// approved item to draft (it must be approved again) and cancels its
// pending deliveries. It stores nothing when any field is invalid, and
// returns apperr.ErrConflict if the item changed meanwhile.
func (s *Service) UpdateItem(ctx context.Context, a Actor, id string, in ItemInput) (Item, error) {
	it, err := s.GetItem(ctx, id)
	if err != nil {
		return Item{}, err
	}
	if in.Kind != nil && *in.Kind != it.Kind {
		return Item{}, apperr.Invalid("kind", "cannot change; create a new item instead")
	}
	prevStatus, prevVersion := it.Status, it.Version
	if err := s.applyItem(ctx, &it, in); err != nil {
		return Item{}, err
	}
	if err := applyAudio(&it, in.Audio); err != nil {
		return Item{}, err
	}
	it.Status, it.RejectReason, it.ApprovedBy, it.ApprovedAt = StatusDraft, "", "", nil
	it.Version++
	it.UpdatedAt = s.now().UTC()
	f, _ := store.Scoped(ctx, bson.M{"_id": id, "version": prevVersion})
	res, err := s.items.ReplaceOne(ctx, f, it)
	if err != nil {
		return Item{}, fmt.Errorf("updating item: %w", err)
	}
	if res.MatchedCount == 0 {
		return Item{}, apperr.Conflict("the item was changed by someone else; reload it")
	}
	s.itemsChanged(ctx, it.CommuneID)
	detail := it.Title
	if prevStatus == StatusApproved {
		n, err := s.deliveries.CancelPending(ctx, id)
		if err != nil {
			return Item{}, err
		}
		detail = fmt.Sprintf("%s (was approved: back to draft, %d pending deliveries cancelled)", it.Title, n)
	}
	if it.Kind == KindScript { // past rundowns show the script's current text
		s.stamps.Bump(ctx, stamps.Rundowns(it.CommuneID))
	}
	s.recordEdit(ctx, a, it, in.Audio, detail)
	return it, nil
}

// applyItem validates in against the item's campaign and copies it into it.
func (s *Service) applyItem(ctx context.Context, it *Item, in ItemInput) error {
	if err := applyItemText(it, in); err != nil {
		return err
	}
	if in.CampaignID != nil {
		it.CampaignID = *in.CampaignID
	}
	camp, err := s.GetCampaign(ctx, it.CampaignID)
	if err != nil {
		return apperr.Invalid("campaign_id", "no such campaign in your commune")
	}
	if in.Kind != nil {
		if _, ok := allowedChannels[*in.Kind]; !ok {
			return apperr.Invalid("kind", "must be one of script, post, leaflet, event")
		}
		it.Kind = *in.Kind
	}
	if err := applyItemLists(it, in); err != nil {
		return err
	}
	if in.Schedule != nil {
		if err := in.Schedule.Validate(s.now(), s.loc, camp); err != nil {
			return err
		}
		it.Schedule = *in.Schedule
	}
	return s.checkKindRules(ctx, it)
}

func applyItemText(it *Item, in ItemInput) error {
	if in.Title != nil {
		t, err := usertext.Line("title", *in.Title, usertext.TitleMax)
		if err != nil {
			return err
		}
		if t == "" {
			return apperr.Invalid("title", "must be 1–%d characters", usertext.TitleMax)
		}
		it.Title = t
	}
	if in.Body != nil {
		b, err := usertext.Block("body", *in.Body, MaxBodyRunes)
		if err != nil {
			return err
		}
		if b == "" {
			return apperr.Invalid("body", "must be 1–%d characters", MaxBodyRunes)
		}
		it.Body = b
	}
	if in.Link != nil {
		link, err := CheckLink("link", *in.Link)
		if err != nil {
			return err
		}
		it.Link = link
	}
	if in.Place != nil {
		p, err := usertext.Line("place", *in.Place, 300)
		if err != nil {
			return err
		}
		it.Place = p
	}
	if in.ExpectedAttendance != nil {
		if *in.ExpectedAttendance < 0 || *in.ExpectedAttendance > 1000000 {
			return apperr.Invalid("expected_attendance", "must be between 0 and 1000000")
		}
		it.ExpectedAttendance = *in.ExpectedAttendance
	}
	return nil
}

// CheckLink returns link as stored: empty, or an absolute http(s) URL of at
// most 2,000 characters without spaces or control characters.
func CheckLink(field, link string) (string, error) {
	link, err := usertext.Line(field, link, 2000)
	if err != nil || link == "" {
		return link, err
	}
	if strings.ContainsFunc(link, unicode.IsSpace) {
		return "", apperr.Invalid(field, "must be one web address without spaces")
	}
	if u, err := url.Parse(link); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", apperr.Invalid(field, "must be an http(s) URL")
	}
	return link, nil
}

// List caps, checked before any other work on a list (an item with 100,000
// channel entries is refused at once, not de-duplicated).
const (
	maxStations = 200
	maxMedia    = 10
)

func applyItemLists(it *Item, in ItemInput) error {
	if in.Audiences != nil {
		if len(*in.Audiences) > len(Audiences) {
			return apperr.Invalid("audiences", "at most %d audiences", len(Audiences))
		}
		if err := checkCodes("audiences", *in.Audiences, Audiences); err != nil {
			return err
		}
		it.Audiences = dedupe(*in.Audiences)
	}
	if in.Channels != nil {
		if len(*in.Channels) > len(Channels) {
			return apperr.Invalid("channels", "at most %d channels", len(Channels))
		}
		it.Channels = dedupe(*in.Channels)
	}
	if in.StationIDs != nil {
		if len(*in.StationIDs) > maxStations {
			return apperr.Invalid("station_ids", "at most %d stations", maxStations)
		}
		if err := checkIDs("station_ids", *in.StationIDs); err != nil {
			return err
		}
		it.StationIDs = dedupe(*in.StationIDs)
	}
	if in.MediaIDs != nil {
		if len(*in.MediaIDs) > maxMedia {
			return apperr.Invalid("media_ids", "at most %d images", maxMedia)
		}
		if err := checkIDs("media_ids", *in.MediaIDs); err != nil {
			return err
		}
		it.MediaIDs = dedupe(*in.MediaIDs)
	}
	return nil
}

// checkIDs refuses list entries that cannot be record ids.
func checkIDs(field string, ids []string) error {
	for _, id := range ids {
		if !store.ValidID(id) {
			return apperr.Invalid(field, "%q is not an id", usertext.Strip(id))
		}
	}
	return nil
}

// checkKindRules checks what depends on the kind: allowed channels, stations
// for scripts, a place for events.
func (s *Service) checkKindRules(ctx context.Context, it *Item) error {
	allowed := allowedChannels[it.Kind]
	if len(it.Channels) == 0 {
		return apperr.Invalid("channels", "choose at least one of: %s", strings.Join(allowed, ", "))
	}
	for _, ch := range it.Channels {
		if !slices.Contains(allowed, ch) {
			return apperr.Invalid("channels", "a %s goes out only on: %s", it.Kind, strings.Join(allowed, ", "))
		}
	}
	if it.Kind == KindScript {
		if len(it.StationIDs) == 0 {
			return apperr.Invalid("station_ids", "a script needs at least one loudspeaker station")
		}
		missing, err := s.stations.Missing(ctx, it.StationIDs)
		if err != nil {
			return err
		}
		if len(missing) > 0 {
			return apperr.Invalid("station_ids", "unknown stations: %s", strings.Join(missing, ", "))
		}
	} else if len(it.StationIDs) > 0 {
		return apperr.Invalid("station_ids", "only scripts are read on loudspeaker stations")
	}
	if it.Kind == KindEvent && it.Place == "" {
		return apperr.Invalid("place", "an event needs a place")
	}
	if err := s.checkMediaIDs(ctx, it); err != nil {
		return err
	}
	return nil
}

func dedupe(in []string) []string {
	out := []string{}
	for _, s := range in {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
