package app

import (
	"slices"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/dispatch"
	"github.com/lantoa/lantoa/media"
	"github.com/lantoa/lantoa/plans/held"
	"github.com/lantoa/lantoa/publishers/zalo"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/rundown"
	"github.com/lantoa/lantoa/scriptaudio"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/store"
)

// ArchiveSchema is every collection the service writes, as each domain
// declares it: what `lantoa import` accepts in an archive.
func ArchiveSchema() store.Schema {
	return slices.Concat(accounts.Archive(), campaigns.Archive(), stations.Archive(), deliveries.Archive(), dispatch.Archive(),
		held.Archive(), scriptaudio.Archive(),
		reach.Archive(), media.Archive(), stamps.Archive(), rundown.Archive(), zalo.Archive(), []store.Collection{store.LockArchive()})
}
