package media

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/store"
)

// Visitor is who scanned a QR code, as the request tells: the client's
// address (an IPv6 address reduced to its /64 by the caller) and user
// agent. It is only ever hashed with the day's salt, never stored.
type Visitor struct {
	Addr      string
	UserAgent string
}

// MaxScansPerAddress bounds the scans counted for one code from one
// address in a day, whatever user agents it claims: a village meeting
// behind one NAT address where everyone scans the same leaflet stays far
// below it, and a script cycling user agents cannot inflate reach past it.
const MaxScansPerAddress = 200

// Collections of the scan counter; both hold one day at a time.
const (
	// ScanSaltsCollection holds each day's random salt (_id = the local
	// date), shared so that replicas agree on who is a repeat visitor.
	ScanSaltsCollection = "scan_salts"
	// ScanMarksCollection holds the day's salted hashes: "v|<day>|<hash of
	// code, address, agent>" (a visitor seen) and "a|<day>|<hash of code,
	// address>" with a count n (scans counted from that address).
	ScanMarksCollection = "scan_marks"
)

// scanSalt is one day's salt.
type scanSalt struct {
	Day       string    `bson:"_id"`
	Salt      []byte    `bson:"salt"`
	CreatedAt time.Time `bson:"created_at"`
}

// scanMark is a visitor seen, or an address's count, on a day.
type scanMark struct {
	ID  string `bson:"_id"`
	Day string `bson:"day"`
	N   int64  `bson:"n,omitempty"`
}

// scanVisits decides whether a scan is a visitor's first of the day for a
// code, keeping nothing that identifies anyone past the day: the salt is
// random per day and deleted with the day's marks (SweepScans), after
// which the hashes of that day cannot be linked to an address even by
// whoever holds the database.
type scanVisits struct {
	salts, marks *mongo.Collection
	now          func() time.Time

	mu   sync.Mutex
	day  string // the day of salt
	salt []byte
}

func newScanVisits(db *mongo.Database, now func() time.Time) *scanVisits {
	return &scanVisits{salts: db.Collection(ScanSaltsCollection), marks: db.Collection(ScanMarksCollection), now: now}
}

// first reports whether v's scan of code on day is the first of the day
// and its address has not reached MaxScansPerAddress for the code.
func (sv *scanVisits) first(ctx context.Context, day, code string, v Visitor) (bool, error) {
	salt, err := sv.saltOf(ctx, day)
	if err != nil {
		return false, err
	}
	visitor := "v|" + day + "|" + mac(salt, code, v.Addr, v.UserAgent)
	if _, err := sv.marks.InsertOne(ctx, scanMark{ID: visitor, Day: day}); err != nil {
		if store.IsDuplicateKey(err) {
			return false, nil // seen today: a unique insert has one winner, across replicas too
		}
		return false, fmt.Errorf("media: marking a scan: %w", err)
	}
	var m scanMark
	err = sv.marks.FindOneAndUpdate(ctx, bson.M{"_id": "a|" + day + "|" + mac(salt, code, v.Addr)},
		bson.M{"$inc": bson.M{"n": 1}, "$setOnInsert": bson.M{"day": day}},
		options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)).Decode(&m)
	if err != nil {
		return false, fmt.Errorf("media: counting an address's scans: %w", err)
	}
	return m.N <= MaxScansPerAddress, nil
}

// mac is the hex HMAC-SHA256 of the parts under the day's salt (16 bytes:
// collisions among a day's scans are out of reach).
func mac(salt []byte, parts ...string) string {
	h := hmac.New(sha256.New, salt)
	h.Write([]byte(strings.Join(parts, "\x00"))) // header values cannot hold NUL
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// saltOf returns day's salt, making it on the day's first scan; replicas
// racing to make it agree on the one whose insert won.
func (sv *scanVisits) saltOf(ctx context.Context, day string) ([]byte, error) {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	if sv.day == day {
		return sv.salt, nil
	}
	var s scanSalt
	err := sv.salts.FindOne(ctx, bson.M{"_id": day}).Decode(&s)
	if store.IsNoDocuments(err) {
		s = scanSalt{Day: day, Salt: make([]byte, 32), CreatedAt: sv.now().UTC()}
		_, _ = rand.Read(s.Salt)
		if _, err = sv.salts.InsertOne(ctx, s); store.IsDuplicateKey(err) {
			err = sv.salts.FindOne(ctx, bson.M{"_id": day}).Decode(&s)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("media: the day's scan salt: %w", err)
	}
	if len(s.Salt) != 32 {
		return nil, fmt.Errorf("media: the scan salt of %s is damaged", day)
	}
	sv.day, sv.salt = day, s.Salt
	return s.Salt, nil
}

// sweep deletes the salts and marks of days before today.
func (sv *scanVisits) sweep(ctx context.Context, today string) (int64, error) {
	res, err := sv.marks.DeleteMany(ctx, bson.M{"day": bson.M{"$lt": today}})
	if err != nil {
		return 0, fmt.Errorf("media: sweeping scan marks: %w", err)
	}
	// The salts last: a salt outliving its marks would be harmless, marks
	// outliving their salt unreadable; either way gone at the next sweep.
	if _, err := sv.salts.DeleteMany(ctx, bson.M{"_id": bson.M{"$lt": today}}); err != nil {
		return res.DeletedCount, fmt.Errorf("media: sweeping scan salts: %w", err)
	}
	return res.DeletedCount, nil
}

// SweepScans deletes what the scan counter kept of days before the
// commune's today: the salts and the salted hashes. The clock runs it
// hourly, so nothing of a day outlives it by more than an hour.
func (s *Service) SweepScans(ctx context.Context) (int64, error) {
	return s.visits.sweep(ctx, s.now().In(s.loc).Format("2006-01-02"))
}

// previewAgents are the user agents of link previews and crawlers
// (lower case, matched anywhere in the header): a chat app or a social
// network fetching the link to draw its card is not a person scanning a
// leaflet. Tokens from the crawlers' own documentation and the public
// crawler-user-agents list (monperrus/crawler-user-agents). WhatsApp's
// crawler sends "WhatsApp/<version>" and nothing else, so only a header
// that begins with it is a preview.
var previewAgents = []string{
	"facebookexternalhit", "facebookcatalog", "facebot", "meta-externalagent",
	"telegrambot", "slackbot", "slack-imgproxy", "twitterbot", "discordbot", "linkedinbot",
	"googlebot", "google-inspectiontool", "bingbot", "applebot", "skypeuripreview", "redditbot",
	"pinterest", "vkshare", "embedly", "iframely", "coccocbot", "yandexbot", "baiduspider",
	"zalobot", "zalo-bot", "zalocrawler", "zalo link preview", "zalopreview",
}

// IsLinkPreview reports whether userAgent is a known link preview or
// crawler, whose fetch is not a scan. Zalo has not published its link
// preview agent; people also open links inside Zalo, whose browser says
// "Zalo" in its user agent, so "zalo" alone never marks a preview: only a
// Zalo agent that calls itself a bot, crawler or preview, or one that does
// not present itself as a browser (no "Mozilla/"), does.
func IsLinkPreview(userAgent string) bool {
	ua := strings.ToLower(userAgent)
	if strings.HasPrefix(ua, "whatsapp/") || ua == "whatsapp" {
		return true
	}
	for _, a := range previewAgents {
		if strings.Contains(ua, a) {
			return true
		}
	}
	if strings.Contains(ua, "zalo") {
		return !strings.Contains(ua, "mozilla/") || strings.Contains(ua, "bot") ||
			strings.Contains(ua, "crawl") || strings.Contains(ua, "preview")
	}
	return false
}
