package deliveries

import (
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// Archive declares the collections of the deliveries, for `lantoa
// import`: deliveries (hot and archived) with a known state and channel,
// their claims, the archive's monthly digests.
func Archive() []store.Collection {
	delivery := store.Decodes(func(d *Delivery) error {
		if err := store.NonEmpty("commune_id", d.CommuneID, "item_id", d.ItemID); err != nil {
			return err
		}
		if err := store.OneOf("state", d.State, States...); err != nil {
			return err
		}
		return store.OneOf("channel", d.Channel, campaigns.ChannelCodes()...)
	})
	return []store.Collection{
		{Name: "deliveries", Check: delivery},
		{Name: "deliveries_archive", Check: delivery},
		{Name: "delivery_claims", Check: store.Decodes(func(c *claimDoc) error {
			return store.NonEmpty("_id", c.ID, "delivery_id", c.DeliveryID)
		})},
		// The archive's monthly digests (archive_months.go): a month's
		// part, a commune's list of months, or the backfill marker.
		{Name: "deliveries_months", Check: store.Decodes(func(d *struct {
			ID     string   `bson:"_id"`
			Part   string   `bson:"part"`
			Months []string `bson:"months"`
		}) error {
			return store.NonEmpty("_id", d.ID)
		})},
	}
}
