package reach

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/usertext"
)

// ManualEntry is reach counted by hand: leaflets distributed, attendance at
// an event, and any other metric, per village and date. A negative value is
// a correction of an earlier entry and needs a reason: nothing is
// overwritten, so the history of every figure stays visible.
type ManualEntry struct {
	CampaignID string `json:"campaign_id"`
	ItemID     string `json:"item_id"`
	Channel    string `json:"channel"`
	Metric     string `json:"metric"`
	Value      *int64 `json:"value"`
	Date       string `json:"date"`
	Village    string `json:"village"`
	Reason     string `json:"reason"`
}

// MaxValue bounds every reach value and target (10⁹), so that no sum of
// them, over every post, village and year of a commune or a province, can
// overflow an int64.
const MaxValue = 1_000_000_000

// AddManual validates and records a manual entry by actor, and writes it to
// the audit log.
func (s *Service) AddManual(ctx context.Context, actor string, in ManualEntry) (Event, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return Event{}, err
	}
	e, err := s.validateManual(ctx, in)
	if err != nil {
		return Event{}, err
	}
	e.ID, e.CommuneID, e.Actor, e.At = "manual|"+bson.NewObjectID().Hex(), sc.CommuneID, actor, s.now().UTC()
	if _, err := s.Record(ctx, e); err != nil {
		return Event{}, err
	}
	detail := fmt.Sprintf("%s %s %+d on %s", e.Channel, e.Metric, e.Value, e.Day)
	if e.Village != "" {
		detail += " in " + e.Village
	}
	if e.Reason != "" {
		detail += " (" + e.Reason + ")"
	}
	entry := campaigns.AuditEntry{Actor: actor, Action: "reach.manual", CampaignID: e.CampaignID, ItemID: e.ItemID, Detail: detail}
	if e.Source == SourceCorrection { // literal actions: web's catalogue test finds every one
		entry = campaigns.AuditEntry{Actor: actor, Action: "reach.correction", CampaignID: e.CampaignID, ItemID: e.ItemID, Detail: detail}
	}
	s.camps.Record(ctx, entry)
	return e, nil
}

func (s *Service) validateManual(ctx context.Context, in ManualEntry) (Event, error) {
	if _, err := s.camps.GetCampaign(ctx, in.CampaignID); err != nil {
		return Event{}, apperr.Invalid("campaign_id", "no such campaign in your commune")
	}
	if !slices.ContainsFunc(campaigns.Channels, func(c campaigns.Code) bool { return c.Code == in.Channel }) {
		return Event{}, apperr.Invalid("channel", "unknown channel %q", in.Channel)
	}
	if !KnownMetric(in.Metric) {
		return Event{}, apperr.Invalid("metric", "must be one of %s", strings.Join(Metrics, ", "))
	}
	if in.Value == nil {
		return Event{}, apperr.Invalid("value", "is required")
	}
	if *in.Value > MaxValue || *in.Value < -MaxValue {
		return Event{}, apperr.Invalid("value", "must be between -%d and %d", MaxValue, MaxValue)
	}
	reason, err := usertext.Block("reason", in.Reason, usertext.ReasonMax)
	if err != nil {
		return Event{}, err
	}
	if *in.Value < 0 && utf8.RuneCountInString(reason) < 3 {
		return Event{}, apperr.Invalid("reason", "a negative value corrects an earlier entry: say why")
	}
	if _, err := campaigns.ParseDate("date", in.Date); err != nil {
		return Event{}, err
	}
	if in.ItemID != "" {
		if _, err := s.camps.GetItem(ctx, in.ItemID); err != nil {
			return Event{}, apperr.Invalid("item_id", "no such item in your commune")
		}
	}
	village, err := usertext.Line("village", in.Village, usertext.NameMax)
	if err != nil {
		return Event{}, err
	}
	source := SourceManual
	if *in.Value < 0 {
		source = SourceCorrection
	}
	return Event{CampaignID: in.CampaignID, ItemID: in.ItemID, Channel: in.Channel, Metric: in.Metric, Value: *in.Value,
		Day: in.Date, Village: village, Source: source, Reason: reason}, nil
}
