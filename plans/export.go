package plans

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/lantoa/lantoa/campaigns"
)

// Export returns plan.xlsx: the campaign's items in the template's sheet,
// one row each, written the way Import reads them, so that importing the
// file into an empty campaign makes the same items (their photos, expected
// attendance and workflow state aside: the sheet has no column for them).
// apperr.ErrNotFound when the campaign is not the caller's.
func (s *Service) Export(ctx context.Context, campaignID string) ([]byte, error) {
	items, err := s.campaigns.CampaignItems(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	list, err := s.stations.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing stations: %w", err)
	}
	x := newStationIndex(list)
	w, err := newSheet()
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if err := w.row(s.exportRow(it, x), w.text); err != nil {
			return nil, err
		}
	}
	return w.bytes()
}

// exportRow writes an item in the plan's columns.
func (s *Service) exportRow(it campaigns.Item, x stationIndex) [numCols]string {
	var v [numCols]string
	v[colKind] = kindLabels[it.Kind]
	v[colTitle], v[colBody], v[colLink], v[colPlace] = it.Title, it.Body, it.Link, it.Place
	chans := make([]string, len(it.Channels))
	for i, c := range it.Channels {
		chans[i] = cmp.Or(channelLabels[c], c)
	}
	v[colChannels] = strings.Join(chans, ", ")
	sc := it.Schedule
	if sc.At != nil {
		at := sc.At.In(s.loc)
		v[colDate], v[colTimes] = at.Format(dayLayout), at.Format("15:04")
	} else {
		// Đến ngày is always written, even for one day: a recurrence reads
		// back as a recurrence.
		v[colDate], v[colUntil], v[colTimes] = vnDate(sc.From), vnDate(sc.To), strings.Join(sc.Times, ", ")
		days := make([]string, len(sc.Weekdays))
		for i, d := range sc.Weekdays {
			if d >= 1 && d <= 7 {
				days[i] = weekdayLabels[d]
			} else {
				days[i] = strconv.Itoa(d)
			}
		}
		v[colWeekdays] = strings.Join(days, ", ")
	}
	v[colStations] = x.joinLabels(it.StationIDs)
	auds := make([]string, len(it.Audiences))
	for i, a := range it.Audiences {
		auds[i] = audienceName(a)
	}
	// Semicolons: some audiences' names hold a comma.
	v[colAudiences] = strings.Join(auds, "; ")
	return v
}
