package dispatch

import (
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// Archive declares the collections the dispatcher writes, for `lantoa
// import`: the channels' pauses and resumes.
func Archive() []store.Collection {
	return []store.Collection{
		{Name: "channel_state", Check: store.Decodes(func(c *ChannelState) error {
			if err := store.OneOf("channel", c.Channel, campaigns.ChannelCodes()...); err != nil {
				return err
			}
			return store.OneOf("status", c.Status, "reconnect", "blocked", "throttled")
		})},
		{Name: resumes, Check: store.Decodes(func(r *channelResume) error {
			return store.OneOf("channel", r.Channel, campaigns.ChannelCodes()...)
		})},
	}
}
