// Package outbox is the publisher of every channel that has no credentials:
// it writes exactly what would have been sent, one JSON file per delivery
// under <dir>/<channel>/<date>/<delivery-id>.json (plus its images), so the
// whole flow can be seen and checked with no network.
package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lantoa/lantoa/publishers"
)

// Publisher writes deliveries of one channel to files.
type Publisher struct {
	dir     string
	channel string
	loc     *time.Location
	now     func() time.Time
}

// New returns the outbox of channel under dir (usually $LANTOA_DATA/outbox).
func New(dir, channel string, loc *time.Location, now func() time.Time) *Publisher {
	return &Publisher{dir: dir, channel: channel, loc: loc, now: now}
}

// Message is the JSON written for each delivery.
type Message struct {
	DeliveryID string    `json:"delivery_id"`
	Channel    string    `json:"channel"`
	ItemID     string    `json:"item_id"`
	CampaignID string    `json:"campaign_id"`
	CommuneID  string    `json:"commune_id"`
	StationID  string    `json:"station_id,omitempty"`
	DueAt      time.Time `json:"due_at"`
	WrittenAt  time.Time `json:"written_at"`
	Kind       string    `json:"kind"`
	Title      string    `json:"title"`
	Body       string    `json:"body"`
	Link       string    `json:"link,omitempty"`
	Images     []string  `json:"images,omitempty"`
	Files      []string  `json:"files,omitempty"`
}

// Channel names the channel this outbox stands in for.
func (p *Publisher) Channel() string { return p.channel }

// Health reports the outbox as it is: nothing to configure (Configured
// false: the channel has no credentials) and always able to write.
func (p *Publisher) Health() publishers.Health {
	return publishers.Health{Channel: p.channel, Healthy: true}
}

// Outbox reports that this publisher writes to the outbox folder instead
// of a platform, so that the channel's status says so (never "healthy":
// nothing reaches the public from here).
func (p *Publisher) Outbox() bool { return true }

// Path is where the delivery's message is written.
func (p *Publisher) Path(d publishers.Delivery) string {
	return filepath.Join(p.dir, p.channel, d.DueAt.In(p.loc).Format("2006-01-02"), d.ID+".json")
}

// Publish writes the images and extra files first, then the message, each
// atomically (a temporary file renamed into place), so a message on disk is
// always whole and names files that exist.
func (p *Publisher) Publish(_ context.Context, d publishers.Delivery, c publishers.Content) (publishers.Receipt, error) {
	path := p.Path(d)
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return publishers.Receipt{}, publishers.Errorf(publishers.Transient, "", "outbox folder: %v", err)
	}
	m := Message{DeliveryID: d.ID, Channel: p.channel, ItemID: d.ItemID, CampaignID: d.CampaignID, CommuneID: d.CommuneID,
		StationID: d.StationID, DueAt: d.DueAt, WrittenAt: p.now().UTC(), Kind: c.Kind, Title: c.Title, Body: c.Body, Link: c.Link}
	base := strings.TrimSuffix(path, ".json")
	for i, img := range c.Images {
		name := fmt.Sprintf("%s-%d%s", filepath.Base(base), i+1, ext(img.ContentType))
		if err := writeAtomic(filepath.Join(filepath.Dir(path), name), img.Data); err != nil {
			return publishers.Receipt{}, err
		}
		m.Images = append(m.Images, name)
	}
	for name, data := range c.Extra {
		file := filepath.Base(base) + "-" + filepath.Base(name)
		if err := writeAtomic(filepath.Join(filepath.Dir(path), file), data); err != nil {
			return publishers.Receipt{}, err
		}
		m.Files = append(m.Files, file)
	}
	raw, _ := json.MarshalIndent(m, "", "  ")
	if err := writeAtomic(path, raw); err != nil {
		return publishers.Receipt{}, err
	}
	return publishers.Receipt{ExternalID: "outbox:" + d.ID, URL: "file://" + path}, nil
}

// Reconcile reports whether the delivery's message was already written.
func (p *Publisher) Reconcile(_ context.Context, d publishers.Delivery, _ publishers.Content) (publishers.Receipt, bool, error) {
	path := p.Path(d)
	_, err := os.Stat(path)
	switch {
	case err == nil:
		return publishers.Receipt{ExternalID: "outbox:" + d.ID, URL: "file://" + path}, true, nil
	case errors.Is(err, fs.ErrNotExist):
		return publishers.Receipt{}, false, nil
	default:
		return publishers.Receipt{}, false, err
	}
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return publishers.Errorf(publishers.Transient, "", "outbox: %v", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return publishers.Errorf(publishers.Transient, "", "outbox: %v", err)
	}
	if err := tmp.Close(); err != nil {
		return publishers.Errorf(publishers.Transient, "", "outbox: %v", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return publishers.Errorf(publishers.Transient, "", "outbox: %v", err)
	}
	return nil
}

func ext(contentType string) string {
	switch contentType {
	case "image/png":
		return ".png"
	case "image/webp":
		return ".webp"
	case "application/pdf":
		return ".pdf"
	default:
		return ".jpg"
	}
}
