package campaigns

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/usertext"
)

// Campaign is a communication campaign: a period, its audiences, channels and
// reach targets. Start and End are inclusive local dates.
type Campaign struct {
	ID         string           `bson:"_id" json:"id"`
	CommuneID  string           `bson:"commune_id" json:"commune_id"`
	Title      string           `bson:"title" json:"title"`
	Observance string           `bson:"observance,omitempty" json:"observance,omitempty"`
	Year       int              `bson:"year" json:"year"`
	Start      string           `bson:"start" json:"start"`
	End        string           `bson:"end" json:"end"`
	Status     string           `bson:"-" json:"status"`
	Audiences  []string         `bson:"audiences" json:"audiences"`
	Channels   []string         `bson:"channels" json:"channels"`
	Targets    map[string]int64 `bson:"targets" json:"targets"`
	BudgetVND  int64            `bson:"budget_vnd" json:"budget_vnd"`
	LeadUnit   string           `bson:"lead_unit" json:"lead_unit"`
	CreatedBy  string           `bson:"created_by" json:"created_by"`
	CreatedAt  time.Time        `bson:"created_at" json:"created_at"`
	UpdatedAt  time.Time        `bson:"updated_at" json:"updated_at"`
}

// CampaignInput is a create or a partial update: nil fields are left alone.
type CampaignInput struct {
	Title      *string           `json:"title"`
	Start      *string           `json:"start"`
	End        *string           `json:"end"`
	Observance *string           `json:"observance"`
	Audiences  *[]string         `json:"audiences"`
	Channels   *[]string         `json:"channels"`
	Targets    *map[string]int64 `json:"targets"`
	BudgetVND  *int64            `json:"budget_vnd"`
	LeadUnit   *string           `json:"lead_unit"`
}

// CreateCampaign validates in and stores a new campaign in the caller's
// commune. Title, start and end are required.
func (s *Service) CreateCampaign(ctx context.Context, actor string, in CampaignInput) (Campaign, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return Campaign{}, err
	}
	for field, v := range map[string]*string{"title": in.Title, "start": in.Start, "end": in.End} {
		if v == nil {
			return Campaign{}, apperr.Invalid(field, "is required")
		}
	}
	now := s.now().UTC()
	c := Campaign{ID: bson.NewObjectID().Hex(), CommuneID: sc.CommuneID, CreatedBy: actor, CreatedAt: now,
		Audiences: []string{}, Channels: []string{}, Targets: map[string]int64{}}
	if err := apply(&c, in); err != nil {
		return Campaign{}, err
	}
	c.UpdatedAt = now
	if _, err := s.campaigns.InsertOne(ctx, c); err != nil {
		return Campaign{}, fmt.Errorf("storing campaign: %w", err)
	}
	s.campaignsChanged(ctx, sc.CommuneID)
	s.Record(ctx, AuditEntry{Actor: actor, Action: "campaign.create", CampaignID: c.ID, Detail: c.Title})
	return s.withStatus(c), nil
}

// UpdateCampaign applies a partial update. It returns apperr.ErrNotFound
// when the campaign is not in the caller's commune, and stores nothing when
// any field is invalid.
func (s *Service) UpdateCampaign(ctx context.Context, actor, id string, in CampaignInput) (Campaign, error) {
	c, err := s.GetCampaign(ctx, id)
	if err != nil {
		return Campaign{}, err
	}
	if err := apply(&c, in); err != nil {
		return Campaign{}, err
	}
	c.UpdatedAt = s.now().UTC()
	f, _ := store.Scoped(ctx, bson.M{"_id": id})
	if _, err := s.campaigns.ReplaceOne(ctx, f, c); err != nil {
		return Campaign{}, fmt.Errorf("updating campaign: %w", err)
	}
	s.campaignsChanged(ctx, c.CommuneID)
	s.Record(ctx, AuditEntry{Actor: actor, Action: "campaign.update", CampaignID: c.ID, Detail: c.Title})
	return s.withStatus(c), nil
}

// GetCampaign returns the campaign or apperr.ErrNotFound.
func (s *Service) GetCampaign(ctx context.Context, id string) (Campaign, error) {
	var c Campaign
	err := store.FindByID(ctx, s.campaigns, id, &c)
	if store.IsNoDocuments(err) {
		return c, apperr.NotFound("campaign")
	}
	if err != nil {
		return c, fmt.Errorf("finding campaign: %w", err)
	}
	return s.withStatus(c), nil
}

// withStatus sets Status from the dates: upcoming, active or ended.
func (s *Service) withStatus(c Campaign) Campaign {
	switch today := s.today(); {
	case today < c.Start:
		c.Status = "upcoming"
	case today > c.End:
		c.Status = "ended"
	default:
		c.Status = "active"
	}
	return c
}

// apply validates every field of in and copies it into c; on error c may be
// partly changed and must be discarded.
func apply(c *Campaign, in CampaignInput) error {
	if in.Title != nil {
		t, err := usertext.Line("title", *in.Title, usertext.TitleMax)
		if err != nil {
			return err
		}
		if t == "" {
			return apperr.Invalid("title", "must be 1–%d characters", usertext.TitleMax)
		}
		c.Title = t
	}
	if in.Start != nil {
		c.Start = *in.Start
	}
	if in.End != nil {
		c.End = *in.End
	}
	if err := validRange(c.Start, c.End); err != nil {
		return err
	}
	y, _ := time.Parse(DateLayout, c.Start)
	c.Year = y.Year()
	if in.Observance != nil {
		if _, ok := observance(*in.Observance); !ok && *in.Observance != "" {
			return apperr.Invalid("observance", "unknown observance %q", *in.Observance)
		}
		c.Observance = *in.Observance
	}
	return applyLists(c, in)
}

// MaxTarget bounds a reach target and MaxBudgetVND a budget, so that no sum
// of them over the campaigns of a province can overflow.
const (
	MaxTarget    = 1_000_000_000
	MaxBudgetVND = 10_000_000_000_000
)

func applyLists(c *Campaign, in CampaignInput) error {
	if in.Audiences != nil {
		if len(*in.Audiences) > len(Audiences) {
			return apperr.Invalid("audiences", "at most %d audiences", len(Audiences))
		}
		if err := checkCodes("audiences", *in.Audiences, Audiences); err != nil {
			return err
		}
		c.Audiences = dedupe(*in.Audiences)
	}
	if in.Channels != nil {
		if len(*in.Channels) > len(Channels) {
			return apperr.Invalid("channels", "at most %d channels", len(Channels))
		}
		if err := checkCodes("channels", *in.Channels, Channels); err != nil {
			return err
		}
		c.Channels = dedupe(*in.Channels)
	}
	if in.Targets != nil {
		if len(*in.Targets) > len(Channels) {
			return apperr.Invalid("targets", "at most one target per channel")
		}
		for ch, v := range *in.Targets {
			if !known(Channels, ch) {
				return apperr.Invalid("targets", "unknown channel %q", usertext.Strip(ch))
			}
			if v < 0 || v > MaxTarget {
				return apperr.Invalid("targets", "the target for %s must be between 0 and %d", ch, MaxTarget)
			}
		}
		c.Targets = *in.Targets
	}
	if in.BudgetVND != nil {
		if *in.BudgetVND < 0 || *in.BudgetVND > MaxBudgetVND {
			return apperr.Invalid("budget_vnd", "must be between 0 and %d", int64(MaxBudgetVND))
		}
		c.BudgetVND = *in.BudgetVND
	}
	if in.LeadUnit != nil {
		u, err := usertext.Line("lead_unit", *in.LeadUnit, usertext.TitleMax)
		if err != nil {
			return err
		}
		c.LeadUnit = u
	}
	return nil
}

func checkCodes(field string, got []string, list []Code) error {
	for _, g := range got {
		if !known(list, g) {
			return apperr.Invalid(field, "unknown code %q (known: %s)", usertext.Strip(g), strings.Join(codes(list), ", "))
		}
	}
	return nil
}

// validRange checks two inclusive dates: real dates, start ≤ end, within
// 2000–2100 and at most about two years apart.
func validRange(start, end string) error {
	s, err := ParseDate("start", start)
	if err != nil {
		return err
	}
	e, err := ParseDate("end", end)
	if err != nil {
		return err
	}
	if e.Before(s) {
		return apperr.Invalid("end", "must not be before start (%s)", start)
	}
	if e.Sub(s) > 2*366*24*time.Hour {
		return apperr.Invalid("end", "a campaign lasts at most two years")
	}
	return nil
}

// quickDate reads a valid YYYY-MM-DD date of the years 2000–2100 without
// time.Parse and a Format to check it; false for anything else, which
// ParseDate then reads (and refuses) the slow way.
func quickDate(v string) (time.Time, bool) {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return time.Time{}, false
	}
	n := 0
	for i := range 10 {
		if i == 4 || i == 7 {
			continue
		}
		if v[i] < '0' || v[i] > '9' {
			return time.Time{}, false
		}
		n = n*10 + int(v[i]-'0')
	}
	y, m, d := n/10000, time.Month(n/100%100), n%100
	if y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 30 February rolled over
		return time.Time{}, false
	}
	return t, true
}

// ParseDate parses a YYYY-MM-DD date strictly (30 Feb is refused) between the
// years 2000 and 2100, naming field in the error.
func ParseDate(field, v string) (time.Time, error) {
	if t, ok := quickDate(v); ok { // every station device's pull names a day
		return t, nil
	}
	t, err := time.Parse(DateLayout, v)
	if err != nil || t.Format(DateLayout) != v {
		return time.Time{}, apperr.Invalid(field, "%q is not a real date in the form YYYY-MM-DD", v)
	}
	if t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, apperr.Invalid(field, "year must be between 2000 and 2100")
	}
	return t, nil
}
