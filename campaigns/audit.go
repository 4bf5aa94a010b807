package campaigns

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/store"
)

// AuditEntry records who did what, when (SPEC §3B).
type AuditEntry struct {
	ID         string    `bson:"_id" json:"-"`
	CommuneID  string    `bson:"commune_id" json:"-"`
	At         time.Time `bson:"at" json:"at"`
	Actor      string    `bson:"actor" json:"actor"`
	Action     string    `bson:"action" json:"action"`
	ItemID     string    `bson:"item_id,omitempty" json:"item_id,omitempty"`
	CampaignID string    `bson:"campaign_id,omitempty" json:"campaign_id,omitempty"`
	Detail     string    `bson:"detail" json:"detail"`
}

// AuditLog is the one audit log of every domain (the audit collection).
// It is built first, on its own, so that every service below campaigns in
// the construction order (accounts, deliveries) writes to it too.
type AuditLog struct {
	coll *mongo.Collection
	now  func() time.Time
	log  *slog.Logger
}

// NewAuditLog returns the audit log over db.
func NewAuditLog(db *mongo.Database, now func() time.Time, log *slog.Logger) *AuditLog {
	return &AuditLog{coll: db.Collection("audit"), now: now, log: log}
}

// Record appends an entry to the audit log. A failure to write it is logged,
// not returned: the change it records has already been made.
func (s *AuditLog) Record(ctx context.Context, e AuditEntry) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		s.log.Error("audit without scope", "action", e.Action)
		return
	}
	e.ID, e.CommuneID, e.At = bson.NewObjectID().Hex(), sc.CommuneID, s.now().UTC()
	if _, err := s.coll.InsertOne(ctx, e); err != nil {
		s.log.Error("writing audit entry", "action", e.Action, "err", err)
	}
}

// Record appends an entry to the audit log (AuditLog.Record).
func (s *Service) Record(ctx context.Context, e AuditEntry) { s.audit.Record(ctx, e) }

// ListAudit returns the caller's audit entries (AuditLog.List).
func (s *Service) ListAudit(ctx context.Context, itemID, campaignID string, limit int64) ([]AuditEntry, error) {
	return s.audit.List(ctx, itemID, campaignID, limit)
}

// List returns the caller's audit entries, newest first, optionally for
// one item or campaign, at most limit of them.
func (s *AuditLog) List(ctx context.Context, itemID, campaignID string, limit int64) ([]AuditEntry, error) {
	cond := bson.M{}
	if itemID != "" {
		cond["item_id"] = itemID
	}
	if campaignID != "" {
		cond["campaign_id"] = campaignID
	}
	f, err := store.Scoped(ctx, cond)
	if err != nil {
		return nil, err
	}
	cur, err := s.coll.Find(ctx, f, options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("listing audit: %w", err)
	}
	out := []AuditEntry{}
	return out, cur.All(ctx, &out)
}
