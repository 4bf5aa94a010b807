// Package rundown serves loudspeaker rundowns and takes airing reports.
//
// A station's rundown for a day lists its slots (times) in order and the
// approved scripts read in each, with their reading time, from the
// station's loudspeaker deliveries of that day (package deliveries): what is
// queued, what aired, what was skipped and why. Operators pull it each
// morning as JSON, as printable text, or on a phone page; a station device
// pulls it with a station token. Rundowns are cached in memory, rendered
// (JSON and text bytes), and checked against the commune's rundown stamp
// (package stamps) before each use, so a change made on any replica shows
// within about a second.
//
// An airing report marks the delivery sent (or, skipped, keeps it missed
// with the reason) and logs reach: airings +1 and listeners + the station's
// households, for its village, with deterministic event ids so that a
// confirmation made twice counts once.
package rundown

import (
	"context"
	"log/slog"
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/stations"
)

// Rundown is one station's day (SPEC §5).
type Rundown struct {
	Station          Station `json:"station"`
	Date             string  `json:"date"`
	Slots            []Slot  `json:"slots"`
	TotalReadSeconds int     `json:"total_read_seconds"`
	ReadWPM          int     `json:"read_wpm"`
}

// Station is what a rundown says of its station.
type Station struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Village    string `json:"village"`
	Households int    `json:"households"`
}

// Slot is one time of day and the scripts read then, in reading order.
type Slot struct {
	Time        string   `json:"time"`
	Items       []Script `json:"items"`
	ReadSeconds int      `json:"read_seconds"`
}

// Script is one script of a slot: one loudspeaker delivery. State is the
// delivery's (queued, sent, missed); Status says it in the operator's terms:
// pending, aired, skipped (with SkipReason) or missed (nobody confirmed it).
type Script struct {
	ItemID      string     `json:"item_id"`
	DeliveryID  string     `json:"delivery_id"`
	CampaignID  string     `json:"campaign_id"`
	Title       string     `json:"title"`
	Body        string     `json:"body"`
	Words       int        `json:"words"`
	ReadSeconds int        `json:"read_seconds"`
	State       string     `json:"state"`
	Status      string     `json:"status"`
	AiredAt     *time.Time `json:"aired_at,omitempty"`
	SkipReason  string     `json:"skip_reason,omitempty"`
	ConfirmedBy string     `json:"confirmed_by,omitempty"`
	// Audio is the script's broadcast sound, when it has one (SPEC §6.3):
	// an IP loudspeaker system plays it instead of a person reading.
	Audio *Audio `json:"audio,omitempty"`
}

// Audio is a script's sound as a rundown (and the push) gives it: where to
// download it, how long it plays, and the SHA-256 of the bytes served.
type Audio struct {
	URL             string  `json:"url"`
	DurationSeconds float64 `json:"duration_seconds"`
	SHA256          string  `json:"sha256"`
}

// Statuses of a script in a rundown, and of an airing report.
const (
	StatusPending = "pending"
	StatusAired   = "aired"
	StatusSkipped = "skipped"
	StatusMissed  = "missed"
)

// Stations is what the rundown needs of the stations domain.
type Stations interface {
	Get(ctx context.Context, id string) (stations.Station, error)
	List(ctx context.Context, ids ...string) ([]stations.Station, error)
}

// Deliveries is what the rundown needs of the deliveries.
type Deliveries interface {
	Get(ctx context.Context, id string) (deliveries.Delivery, error)
	CommuneDay(ctx context.Context, day string) (map[string][]deliveries.Delivery, error)
	StationAirings(ctx context.Context, stationID, from, to string) ([]deliveries.Delivery, error)
	MarkAired(ctx context.Context, id string, airedAt time.Time, by string) (deliveries.Delivery, bool, error)
	MarkSkipped(ctx context.Context, id, reason, by string) (deliveries.Delivery, bool, error)
}

// Items gives the scripts' texts and takes audit entries.
type Items interface {
	GetItem(ctx context.Context, id string) (campaigns.Item, error)
	Record(ctx context.Context, e campaigns.AuditEntry)
}

// Reach records airings.
type Reach interface {
	Record(ctx context.Context, events ...reach.Event) (int, error)
}

// Deps are what NewService needs.
type Deps struct {
	Stations   Stations
	Deliveries Deliveries
	Items      Items
	Reach      Reach
	// Stamps tells when cached rundowns are out of date; nil disables the cache.
	Stamps *stamps.Stamps
	// ReadWPM is the reading speed, words a minute (LANTOA_READ_WPM).
	ReadWPM  int
	Now      func() time.Time
	Location *time.Location
	Log      *slog.Logger
	// AudioURL is the public address of a script's sound by its id
	// (media.Service.AudioURL); nil leaves sound out of rundowns.
	AudioURL func(id string) string
}

// Service builds, caches and serves rundowns and takes airing reports.
type Service struct {
	d Deps
	// views are the rendered rundowns by commune|station|day; days the
	// loudspeaker deliveries of a commune's day by station, which the
	// builds of all its stations share.
	views stamps.Memo[*View]
	days  stamps.Memo[map[string][]deliveries.Delivery]
}

// NewService returns the rundown service.
func NewService(d Deps) *Service {
	if d.ReadWPM <= 0 {
		d.ReadWPM = 130
	}
	// Views: stations × days asked for. Day reads are only needed while a
	// day's views are built, so a few per commune suffice.
	return &Service{d: d, views: stamps.Memo[*View]{Max: 2048}, days: stamps.Memo[map[string][]deliveries.Delivery]{Max: 64}}
}

// ReadSeconds is how long words take to read aloud at wpm words a minute,
// to the nearest second.
func ReadSeconds(words, wpm int) int {
	return int(math.Round(float64(words) * 60 / float64(wpm)))
}

// Words counts the words of a script as read aloud: Vietnamese writes each
// syllable apart, and reading speed is measured in those. A dash or other
// mark standing alone is not read.
func Words(text string) int {
	n := 0
	for _, f := range strings.Fields(text) {
		if strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			n++
		}
	}
	return n
}

// today is the commune's current date.
func (s *Service) today() string { return s.d.Now().In(s.d.Location).Format(campaigns.DateLayout) }
