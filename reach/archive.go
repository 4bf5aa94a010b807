package reach

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// Sources are the sources of reach events.
var Sources = []string{SourceAiring, SourceScan, SourceManual, SourceCorrection, SourcePoll}

var weeksName = regexp.MustCompile(`^` + weeksPrefix + `[0-9]{4}$`)

// Archive declares the collections the reach domain writes, for `lantoa
// import`: raw events with known channels, metrics and sources and real
// days; the digests, outcome documents (their JSON valid), snapshots and
// notices, each decoding into its type.
func Archive() []store.Collection {
	return []store.Collection{
		{Name: "reach_events", Check: store.Decodes(checkEvent)},
		{Name: "reach_pending", Check: store.Decodes(func(p *pendingMark) error { return store.NonEmpty("commune_id", p.CommuneID) })},
		{Name: "reach_posts", Check: store.Decodes(func(p *post) error {
			return store.OneOf("channel", p.Channel, campaigns.ChannelCodes()...)
		})},
		{Name: "reach_outcomes", Check: store.Decodes(func(o *outcomeMonth) error {
			return jsonFields("entries", o.Entries, "items", o.Items)
		})},
		{Name: "reach_outcome_counts", Check: store.Decodes(func(o *outcomeCounts) error { return jsonFields("data", o.Data) })},
		{Name: "reach_notices", Check: store.Decodes(func(n *Notice) error { return store.NonEmpty("commune_id", n.CommuneID) })},
		{Name: campaignsColl, Check: store.Decodes[campaignDigest](nil)},
		{Name: yearsColl, Check: store.Decodes[yearDigest](nil)},
		{Name: weeksPrefix + "<YYYY>", Match: weeksName.MatchString, Check: store.Decodes[weekDigest](nil)},
	}
}

func checkEvent(e *Event) error {
	if err := store.NonEmpty("commune_id", e.CommuneID, "campaign_id", e.CampaignID); err != nil {
		return err
	}
	if err := store.OneOf("channel", e.Channel, campaigns.ChannelCodes()...); err != nil {
		return err
	}
	if !KnownMetric(e.Metric) {
		return fmt.Errorf("metric %q is unknown", e.Metric)
	}
	if !validDay(e.Day) {
		return fmt.Errorf("day %q is not a date", e.Day)
	}
	return store.OneOf("source", e.Source, Sources...)
}

// jsonFields checks that each named field holds a JSON object (or is empty).
func jsonFields(nameValue ...string) error {
	for i := 0; i+1 < len(nameValue); i += 2 {
		var v map[string]json.RawMessage
		if s := nameValue[i+1]; s != "" && json.Unmarshal([]byte(s), &v) != nil {
			return fmt.Errorf("%s is not a JSON object", nameValue[i])
		}
	}
	return nil
}
