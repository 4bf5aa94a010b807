package campaigns

import (
	"fmt"

	"github.com/lantoa/lantoa/store"
)

// ChannelCodes returns the code of every channel.
func ChannelCodes() []string { return codes(Channels) }

// Archive declares the collections the campaigns domain writes, for
// `lantoa import`: each document must decode into its type, with real
// dates and known item kinds, statuses and channels.
func Archive() []store.Collection {
	return []store.Collection{
		{Name: "observances", Check: store.Decodes(func(o *Observance) error {
			return store.NonEmpty("_id", o.Code, "name", o.Name)
		})},
		{Name: "campaigns", Check: store.Decodes(func(c *Campaign) error {
			if err := store.NonEmpty("commune_id", c.CommuneID); err != nil {
				return err
			}
			if _, err := ParseDate("start", c.Start); err != nil {
				return err
			}
			_, err := ParseDate("end", c.End)
			return err
		})},
		{Name: "audit", Check: store.Decodes(func(a *AuditEntry) error {
			return store.NonEmpty("commune_id", a.CommuneID, "action", a.Action)
		})},
		{Name: "items", Check: store.Decodes(checkItem)},
	}
}

func checkItem(it *Item) error {
	if err := store.NonEmpty("commune_id", it.CommuneID, "campaign_id", it.CampaignID); err != nil {
		return err
	}
	if err := store.OneOf("kind", it.Kind, Kinds...); err != nil {
		return err
	}
	if err := store.OneOf("status", it.Status, StatusDraft, StatusSubmitted, StatusApproved); err != nil {
		return err
	}
	for _, ch := range it.Channels {
		if err := store.OneOf("channel", ch, allowedChannels[it.Kind]...); err != nil {
			return fmt.Errorf("a %s item: %w", it.Kind, err)
		}
	}
	if it.Audio != nil {
		return store.OneOf("audio.source", it.Audio.Source, AudioUpload, AudioRecording, AudioTTS)
	}
	return nil
}
