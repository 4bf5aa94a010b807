package rundown

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/usertext"
)

// AiringInput is an operator's report on one slot of their station.
type AiringInput struct {
	DeliveryID string `json:"delivery_id"`
	// AiredAt is when it aired (default: now). Ignored for a skipped slot.
	AiredAt *time.Time `json:"aired_at"`
	// Status is "aired" (the default) or "skipped".
	Status string `json:"status"`
	// Reason says why a skipped slot did not air (3–300 characters).
	Reason string `json:"reason"`
}

// Airing is an operator's report as stored on its delivery.
type Airing struct {
	DeliveryID  string     `json:"delivery_id"`
	ItemID      string     `json:"item_id"`
	CampaignID  string     `json:"campaign_id"`
	StationID   string     `json:"station_id"`
	Title       string     `json:"title"`
	Date        string     `json:"date"`
	Time        string     `json:"time"`
	Status      string     `json:"status"`
	State       string     `json:"state"`
	AiredAt     *time.Time `json:"aired_at,omitempty"`
	Reason      string     `json:"reason,omitempty"`
	ConfirmedBy string     `json:"confirmed_by"`
	ConfirmedAt *time.Time `json:"confirmed_at,omitempty"`
}

// clockSkew is how far in the future a device's aired_at may be.
const clockSkew = 5 * time.Minute

// Report records an airing report by actor on a loudspeaker delivery of the
// station stationID: aired (the delivery becomes sent and reach is logged)
// or skipped with a reason (it stays missed, visible to editors, and counts
// nothing). A report is accepted from the slot's day until the end of the
// next day (later: apperr.ErrConflict); one that repeats what is already
// recorded returns it unchanged (changed false) and counts nothing twice.
// A delivery of another station or channel is apperr.ErrNotFound.
func (s *Service) Report(ctx context.Context, actor, stationID string, in AiringInput) (Airing, bool, error) {
	reason, err := in.validate()
	if err != nil {
		return Airing{}, false, err
	}
	st, err := s.d.Stations.Get(ctx, stationID)
	if err != nil {
		return Airing{}, false, err
	}
	d, err := s.d.Deliveries.Get(ctx, in.DeliveryID)
	if errors.Is(err, apperr.ErrNotFound) || (err == nil && (d.Channel != deliveries.Loudspeaker || d.StationID != stationID)) {
		return Airing{}, false, apperr.NotFound("slot of this station")
	}
	if err != nil {
		return Airing{}, false, err
	}
	if repeat := (in.Status == StatusAired && d.State == deliveries.StateSent) || (in.Status == StatusSkipped && d.Skipped); repeat {
		if in.Status == StatusAired {
			// A crash may have come between the two writes: recording again
			// is free, the events' ids are the delivery's.
			if err := s.recordReach(ctx, actor, st, d); err != nil {
				return Airing{}, false, err
			}
		}
		return airing(d), false, nil
	}
	airedAt, err := s.window(d, in.AiredAt)
	if err != nil {
		return Airing{}, false, err
	}
	var changed bool
	if in.Status == StatusSkipped {
		d, changed, err = s.d.Deliveries.MarkSkipped(ctx, d.ID, reason, actor)
	} else {
		d, changed, err = s.d.Deliveries.MarkAired(ctx, d.ID, airedAt, actor)
	}
	if err != nil {
		return Airing{}, false, err
	}
	if d.State == deliveries.StateSent {
		if err := s.recordReach(ctx, actor, st, d); err != nil {
			return Airing{}, false, err
		}
	}
	if changed {
		s.audit(ctx, actor, st, d)
	}
	return airing(d), changed, nil
}

// validate checks the input's form and returns the skip reason, cleaned.
func (in *AiringInput) validate() (string, error) {
	if strings.TrimSpace(in.DeliveryID) == "" {
		return "", apperr.Invalid("delivery_id", "is required: the id of the slot's script in the rundown")
	}
	switch in.Status {
	case "", StatusAired:
		in.Status = StatusAired
		return "", nil
	case StatusSkipped:
	default:
		return "", apperr.Invalid("status", `must be "aired" or "skipped"`)
	}
	reason, err := usertext.Line("reason", in.Reason, 300)
	if err != nil {
		return "", err
	}
	if n := utf8.RuneCountInString(reason); n < 3 {
		return "", apperr.Invalid("reason", "say in 3–300 characters why the slot was not aired (a power cut, an equipment fault, an urgent local announcement…)")
	}
	return reason, nil
}

// OpensBefore is how long before its slot an airing can be reported: an
// operator may read a script a little early, never the day before.
const OpensBefore = 15 * time.Minute

// Window is when a slot can be reported (aired or skipped): from
// OpensBefore its time (due) to the end of the day after its local day.
// The airing reports and the operators' page both use it.
func Window(due time.Time, day string, loc *time.Location) (opens, closes time.Time, err error) {
	d, err := time.ParseInLocation(campaigns.DateLayout, day, loc)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("malformed day %q", day)
	}
	return due.Add(-OpensBefore), d.AddDate(0, 0, 2), nil
}

// window checks that a report on d is made in time (Window) and returns
// when it aired: airedAt (the operator's tap, which a phone without signal
// sends later) when it falls in the window and is not in the future, else
// now.
func (s *Service) window(d deliveries.Delivery, airedAt *time.Time) (time.Time, error) {
	now := s.d.Now()
	opens, end, err := Window(d.DueAt, d.Day, s.d.Location)
	if err != nil {
		return time.Time{}, fmt.Errorf("delivery %s: %w", d.ID, err)
	}
	day := end.AddDate(0, 0, -2)
	switch {
	case now.Before(opens):
		at := opens.In(s.d.Location)
		return time.Time{}, apperr.Conflict("this slot can be reported from %s on %s (%d minutes before it)",
			at.Format("15:04"), at.Format("02/01/2006"), int(OpensBefore.Minutes()))
	case !now.Before(end):
		return time.Time{}, apperr.Conflict("too late: slots of %s can be reported until the end of %s",
			day.Format("02/01/2006"), day.AddDate(0, 0, 1).Format("02/01/2006"))
	}
	if airedAt == nil {
		return now, nil
	}
	if airedAt.Before(opens) || airedAt.After(now.Add(clockSkew)) {
		return time.Time{}, apperr.Invalid("aired_at", "must be between %s on %s (%d minutes before the slot) and now",
			opens.In(s.d.Location).Format("15:04"), opens.In(s.d.Location).Format("02/01/2006"), int(OpensBefore.Minutes()))
	}
	return *airedAt, nil
}

// recordReach logs an aired delivery's reach: one airing, and the station's
// households as listeners, for its village, on the slot's day.
func (s *Service) recordReach(ctx context.Context, actor string, st stations.Station, d deliveries.Delivery) error {
	at := s.d.Now().UTC()
	if d.SentAt != nil {
		at = *d.SentAt
	}
	base := reach.Event{CommuneID: d.CommuneID, CampaignID: d.CampaignID, ItemID: d.ItemID, Channel: deliveries.Loudspeaker,
		Village: st.Village, Day: d.Day, Source: reach.SourceAiring, Actor: actor, At: at}
	airings, listeners := base, base
	airings.ID, airings.Metric, airings.Value = "airing|"+d.ID+"|airings", "airings", 1
	listeners.ID, listeners.Metric, listeners.Value = "airing|"+d.ID+"|listeners", "listeners", int64(st.Households)
	if _, err := s.d.Reach.Record(ctx, airings, listeners); err != nil {
		return fmt.Errorf("recording the airing's reach: %w", err)
	}
	return nil
}

// audit writes the report to the audit log. (Actions are written as
// literals: web's catalogue test finds every action in the code.)
func (s *Service) audit(ctx context.Context, actor string, st stations.Station, d deliveries.Delivery) {
	e, what := campaigns.AuditEntry{Actor: actor, Action: "airing.confirm", ItemID: d.ItemID, CampaignID: d.CampaignID}, "aired"
	if d.SentAt != nil {
		what = "aired at " + d.SentAt.In(s.d.Location).Format("15:04 02/01/2006")
	}
	if d.Skipped {
		e = campaigns.AuditEntry{Actor: actor, Action: "airing.skip", ItemID: d.ItemID, CampaignID: d.CampaignID}
		what = "skipped: " + d.SkipReason
	}
	e.Detail = fmt.Sprintf("%s — %s (%s), slot %s %s: %s", d.Title, st.Name, st.Village, d.Slot, d.Day, what)
	s.d.Items.Record(ctx, e)
}

// History returns the station's airing reports (aired and skipped) between
// two dates, inclusive: by default the last 30 days. At most 400 days.
func (s *Service) History(ctx context.Context, stationID, from, to string) ([]Airing, error) {
	if to == "" {
		to = s.today()
	}
	end, err := campaigns.ParseDate("to", to)
	if err != nil {
		return nil, err
	}
	if from == "" {
		from = end.AddDate(0, 0, -30).Format(campaigns.DateLayout)
	}
	start, err := campaigns.ParseDate("from", from)
	if err != nil {
		return nil, err
	}
	if end.Before(start) {
		return nil, apperr.Invalid("to", "must not be before from")
	}
	if end.Sub(start) > 400*24*time.Hour {
		return nil, apperr.Invalid("from", "a range spans at most 400 days")
	}
	if _, err := s.d.Stations.Get(ctx, stationID); err != nil {
		return nil, err
	}
	list, err := s.d.Deliveries.StationAirings(ctx, stationID, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]Airing, len(list))
	for i, d := range list {
		out[i] = airing(d)
	}
	return out, nil
}

// airing is a delivery's report as the API shows it.
func airing(d deliveries.Delivery) Airing {
	a := Airing{DeliveryID: d.ID, ItemID: d.ItemID, CampaignID: d.CampaignID, StationID: d.StationID, Title: d.Title,
		Date: d.Day, Time: d.Slot, State: d.State, ConfirmedBy: d.ConfirmedBy, ConfirmedAt: d.ConfirmedAt}
	switch {
	case d.State == deliveries.StateSent:
		a.Status, a.AiredAt = StatusAired, d.SentAt
	case d.Skipped:
		a.Status, a.Reason = StatusSkipped, d.SkipReason
	case d.State == deliveries.StateMissed:
		a.Status = StatusMissed
	default:
		a.Status = StatusPending
	}
	return a
}
