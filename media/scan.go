package media

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/store"
)

// A QR code's code is codeLength characters of codeAlphabet: lower case
// (so a retyped link still works), without 0/o, 1/l/i, which people
// confuse. 31^8 ≈ 8.5×10^11 codes: unguessable enough for a counter that
// holds no secret, and a short URL makes a small, easily scanned QR code.
const (
	codeAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"
	codeLength   = 8
)

// placeholderCode stands for the code while a leaflet is validated before
// its item has a code: it is as long, so the QR URL's length checks hold.
var placeholderCode = strings.Repeat("x", codeLength)

// qrCode is one QR code (collection qr_codes, _id = the code): the item
// whose scans it counts. The campaign is read from the item at scan time,
// so moving an item to another campaign moves its later scans too.
type qrCode struct {
	ID        string    `bson:"_id"`
	CommuneID string    `bson:"commune_id"`
	ItemID    string    `bson:"item_id"`
	CreatedAt time.Time `bson:"created_at"`
}

// newCode returns a random code, each character drawn uniformly (bytes
// that would bias the draw are skipped).
func newCode() (string, error) {
	out := make([]byte, 0, codeLength)
	buf := make([]byte, 16)
	limit := byte(256 - 256%len(codeAlphabet))
	for len(out) < codeLength {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("media: random code: %w", err)
		}
		for _, b := range buf {
			if b < limit && len(out) < codeLength {
				out = append(out, codeAlphabet[int(b)%len(codeAlphabet)])
			}
		}
	}
	return string(out), nil
}

// validCode reports whether code could have been made by newCode, so that
// junk never reaches the database.
func validCode(code string) bool {
	if len(code) != codeLength {
		return false
	}
	for i := range len(code) {
		if !strings.ContainsRune(codeAlphabet, rune(code[i])) {
			return false
		}
	}
	return true
}

// qrURL is what an item's QR code encodes.
func (s *Service) qrURL(code string) string { return s.baseURL + "/q/" + code }

// Scan counts a scan of the QR code code by v, for its leaflet's campaign
// (channel print, metric scans, value 1, on the commune's local date), and
// returns where to send the person who scanned it: the support page,
// always, even for an unknown code, a repeat or a failure to count,
// because someone who scans a leaflet about violence may need help now.
//
// A scan counts once per visitor (address and user agent) per code per
// day, at most MaxScansPerAddress times per address per code per day, and
// never for a link preview (IsLinkPreview) or a request without a user
// agent. Nothing about the person is
// stored beyond the day: who was seen is kept as hashes under a random
// salt of the day, and both are deleted after it (SweepScans); the event
// itself has a random id and no address, agent or time finer than the day.
func (s *Service) Scan(ctx context.Context, code string, v Visitor) string {
	code = strings.ToLower(strings.TrimSpace(code))
	// Every phone's browser names itself: a request without a user agent
	// is a script, and counts nothing either.
	if !validCode(code) || v.UserAgent == "" || IsLinkPreview(v.UserAgent) {
		return s.support
	}
	var q qrCode
	// The public has no scope: read by _id alone, like a sign-in lookup.
	if err := s.codes.FindOne(ctx, bson.M{"_id": code}).Decode(&q); err != nil {
		if !store.IsNoDocuments(err) {
			s.log.Error("media: looking up a QR code", "err", err)
		}
		return s.support
	}
	ctx = store.WithScope(ctx, store.Scope{CommuneID: q.CommuneID})
	it, err := s.items.GetItem(ctx, q.ItemID)
	if err != nil {
		s.log.Warn("media: QR code of a missing item", "item", q.ItemID, "err", err)
		return s.support
	}
	day := s.now().In(s.loc).Format(campaigns.DateLayout)
	first, err := s.visits.first(ctx, day, code, v)
	if err != nil {
		s.log.Error("media: telling a repeat scan", "item", it.ID, "err", err) // not counted: never inflate
		return s.support
	}
	if !first {
		return s.support
	}
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	ev := reach.Event{ID: "scan-" + hex.EncodeToString(id), CommuneID: q.CommuneID, CampaignID: it.CampaignID,
		ItemID: it.ID, Channel: "print", Metric: "scans", Value: 1, Day: day, Source: reach.SourceScan}
	if _, err := s.reach.Record(ctx, ev); err != nil {
		s.log.Error("media: counting a QR scan", "item", it.ID, "err", err)
	}
	return s.support
}

// SupportURL is where every scan leads: the public support page.
func (s *Service) SupportURL() string { return s.support }
