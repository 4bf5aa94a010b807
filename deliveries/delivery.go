package deliveries

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Delivery states (SPEC §5).
const (
	StateQueued    = "queued"
	StateSending   = "sending"
	StateSent      = "sent"
	StateFailed    = "failed" // will retry at run_at
	StateDead      = "dead"
	StateMissed    = "missed"
	StateCancelled = "cancelled"
	// StateAwaitingManual (byhand.go): due, waiting for a person to post it.
)

// finished lists the states a delivery does not leave by itself.
var finished = []string{StateSent, StateDead, StateMissed, StateCancelled}

// Delivery is one send of one item on one channel (and station) at one
// occurrence. Its id is derived from those, so materialising twice writes
// nothing new. RunAt is when it may next be claimed (its due time, a retry
// time, or, while sending, the end of its lease); GraceFrom is what the
// misfire window counts from (the due time, or the moment of a manual retry).
type Delivery struct {
	ID          string     `bson:"_id" json:"id"`
	CommuneID   string     `bson:"commune_id" json:"commune_id"`
	ItemID      string     `bson:"item_id" json:"item_id"`
	ItemVersion int        `bson:"item_version" json:"item_version"`
	CampaignID  string     `bson:"campaign_id" json:"campaign_id"`
	Kind        string     `bson:"kind" json:"kind"`
	Title       string     `bson:"title" json:"title"`
	Channel     string     `bson:"channel" json:"channel"`
	StationID   string     `bson:"station_id,omitempty" json:"station_id,omitempty"`
	DueAt       time.Time  `bson:"due_at" json:"due_at"`
	Day         string     `bson:"day" json:"day"`
	Slot        string     `bson:"slot" json:"slot"`
	State       string     `bson:"state" json:"state"`
	Attempts    int        `bson:"attempts" json:"attempts"`
	Seq         int        `bson:"seq" json:"-"` // see claims.go
	RunAt       time.Time  `bson:"run_at" json:"next_try"`
	GraceFrom   time.Time  `bson:"grace_from" json:"-"`
	LastError   string     `bson:"last_error" json:"last_error"`
	ErrorClass  string     `bson:"error_class,omitempty" json:"error_class,omitempty"`
	Reconcile   bool       `bson:"reconcile" json:"-"`
	ExternalID  string     `bson:"external_id" json:"external_id"`
	URL         string     `bson:"url,omitempty" json:"url,omitempty"`
	SentAt      *time.Time `bson:"sent_at,omitempty" json:"sent_at"`
	LeaseOwner  string     `bson:"lease_owner,omitempty" json:"-"`
	LeaseUntil  *time.Time `bson:"lease_until,omitempty" json:"-"`
	FinishedAt  *time.Time `bson:"finished_at,omitempty" json:"finished_at,omitempty"`
	// Loudspeaker airings (airings.go): who confirmed or reported the slot
	// and when, and for a skipped slot (state missed) the operator's reason.
	ConfirmedBy string     `bson:"confirmed_by,omitempty" json:"confirmed_by,omitempty"`
	ConfirmedAt *time.Time `bson:"confirmed_at,omitempty" json:"confirmed_at,omitempty"`
	Skipped     bool       `bson:"skipped,omitempty" json:"skipped,omitempty"`
	SkipReason  string     `bson:"skip_reason,omitempty" json:"skip_reason,omitempty"`
	CreatedAt   time.Time  `bson:"created_at" json:"created_at"`
	UpdatedAt   time.Time  `bson:"updated_at" json:"updated_at"`
}

// DeliveryID is the deterministic id of the delivery of item on channel (and
// station) at the occurrence at.
func DeliveryID(itemID, channel, stationID string, at time.Time) string {
	sum := sha256.Sum256([]byte(itemID + "|" + channel + "|" + stationID + "|" + at.UTC().Format(time.RFC3339)))
	return hex.EncodeToString(sum[:12])
}
