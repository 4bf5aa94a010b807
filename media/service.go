package media

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"golang.org/x/sync/singleflight"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/store"
)

// Items is what the media service needs from the campaigns domain: the
// item a leaflet belongs to, and the audit log.
type Items interface {
	GetItem(ctx context.Context, id string) (campaigns.Item, error)
	Record(ctx context.Context, e campaigns.AuditEntry)
}

// ReachRecorder stores reach events (reach.Service): a QR scan is one.
type ReachRecorder interface {
	Record(ctx context.Context, events ...reach.Event) (int, error)
}

// Deps are what NewService needs.
type Deps struct {
	DB *mongo.Database
	// Library is the catalogue of uploads and leaflets (NewLibrary over DB
	// when nil).
	Library *Library
	Items   Items
	Reach   ReachRecorder
	Now     func() time.Time
	// Location is the commune's time zone: a scan counts on its local date.
	Location *time.Location
	Log      *slog.Logger
	// BaseURL is the public URL of the service, without a trailing slash:
	// QR codes encode BaseURL/q/<code>, variants are served under
	// BaseURL/media/.
	BaseURL string
	// SupportURL is where a scanned QR code leads.
	SupportURL string
	// CacheDir keeps a local copy of the GridFS files this replica has
	// written or read ("" keeps none). See blobs.
	CacheDir string
}

// Service stores uploads and leaflets: originals and rendered variants in
// GridFS, their descriptions in the media, leaflets, leaflet_renders and
// qr_codes collections. Every method is scoped to the commune in ctx except
// Scan and OpenMedia, which serve the public.
type Service struct {
	*Library
	codes   *mongo.Collection // qr_codes: _id = code, the item it counts for
	visits  *scanVisits       // scan_salts, scan_marks: who scanned today, salted
	blobs   *blobs
	items   Items
	reach   ReachRecorder
	now     func() time.Time
	loc     *time.Location
	log     *slog.Logger
	baseURL string
	support string

	// heavy bounds the decodes and renders in flight on this replica: a
	// 40-megapixel photo takes 160 MB decoded.
	heavy    chan struct{}
	flight   singleflight.Group
	renderN  atomic.Int64
	previews previewPhotos
}

// heavySlots is how many photos this replica decodes or renders at once.
const heavySlots = 2

// NewService returns the media service over d.DB.
func NewService(d Deps) *Service {
	if d.Library == nil {
		d.Library = NewLibrary(d.DB)
	}
	return &Service{
		Library: d.Library,
		codes:   d.DB.Collection("qr_codes"),
		visits:  newScanVisits(d.DB, d.Now),
		blobs:   newBlobs(d.DB, d.CacheDir, d.Log),
		items:   d.Items,
		reach:   d.Reach,
		now:     d.Now,
		loc:     d.Location,
		log:     d.Log,
		baseURL: strings.TrimRight(d.BaseURL, "/"),
		support: d.SupportURL,
		heavy:   make(chan struct{}, heavySlots),
	}
}

// Indexes are the media collections' indexes (GridFS creates its own).
func Indexes() []store.Index {
	return []store.Index{
		{Collection: "media", Model: mongo.IndexModel{Keys: bson.D{{Key: "commune_id", Value: 1}, {Key: "created_at", Value: -1}}}},
		{Collection: "leaflets", Model: mongo.IndexModel{Keys: bson.D{{Key: "commune_id", Value: 1}}}},
		{Collection: "qr_codes", Model: mongo.IndexModel{Keys: bson.D{{Key: "item_id", Value: 1}}}},
		{Collection: ScanMarksCollection, Model: mongo.IndexModel{Keys: bson.D{{Key: "day", Value: 1}}}},
	}
}

// Renders returns how many leaflets this service has rendered since it
// started (a cache hit renders nothing).
func (s *Service) Renders() int64 { return s.renderN.Load() }

// acquire takes one of the heavy-work slots, or fails when ctx ends first.
func (s *Service) acquire(ctx context.Context) (release func(), err error) {
	select {
	case s.heavy <- struct{}{}:
		return func() { <-s.heavy }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// mediaURL is the public address of a served file.
func (s *Service) mediaURL(id, variant, version string) string {
	u := s.baseURL + "/media/" + id + "/" + variant
	if version != "" {
		u += "?v=" + version
	}
	return u
}
