package outbox_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/outbox"
	"github.com/lantoa/lantoa/publishers/publishertest"
)

var ict = time.FixedZone("ICT", 7*3600)

// delivery is due at 23:30 UTC on 24 November: 06:30 on the 25th in
// Vietnam, so its folder is the 25th's.
func delivery(id string) publishers.Delivery {
	return publishers.Delivery{ID: id, CommuneID: "lien-minh", ItemID: "item-7", CampaignID: "camp-1", Channel: "facebook",
		StationID: "st-2", DueAt: time.Date(2026, 11, 24, 23, 30, 0, 0, time.UTC), Attempt: 1}
}

func content(t *testing.T) publishers.Content {
	png := publishertest.PNG(t, "leaflet.png")
	return publishers.Content{Kind: "leaflet", Title: "Tờ rơi 25/11", Body: "Hãy lên tiếng.", Link: "https://lienminh.example.vn/q/1",
		Images: []publishers.Image{png, {Name: "b.webp", ContentType: "image/webp", Data: []byte("RIFFwebp")}, {Name: "c", Data: []byte("raw")}},
		Extra:  map[string][]byte{"print/a4.pdf": []byte("%PDF-1.7 a4"), "../../escape.txt": []byte("stays in its folder")}}
}

// leftovers lists the temporary files left in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			out = append(out, e.Name())
		}
	}
	return out
}

func readMessage(t *testing.T, path string) outbox.Message {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m outbox.Message
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("message %s is not whole JSON: %v", path, err)
	}
	return m
}

func TestPublishWritesTheMessageAndFilesNamedAsDocumented(t *testing.T) {
	t.Parallel()
	dir, clock := t.TempDir(), publishertest.NewClock()
	p := outbox.New(dir, "facebook", ict, clock.Now)
	ct := content(t)

	rc, err := p.Publish(t.Context(), delivery("d1"), ct)
	if err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "facebook", "2026-11-25")
	path := filepath.Join(folder, "d1.json")
	if p.Path(delivery("d1")) != path || rc.ExternalID != "outbox:d1" || rc.URL != "file://"+path {
		t.Errorf("path %s, receipt %+v; want %s", p.Path(delivery("d1")), rc, path)
	}
	m := readMessage(t, path)
	d := delivery("d1")
	if m.DeliveryID != "d1" || m.Channel != "facebook" || m.ItemID != d.ItemID || m.CampaignID != d.CampaignID ||
		m.CommuneID != d.CommuneID || m.StationID != d.StationID || !m.DueAt.Equal(d.DueAt) || !m.WrittenAt.Equal(clock.Now()) ||
		m.Kind != ct.Kind || m.Title != ct.Title || m.Body != ct.Body || m.Link != ct.Link {
		t.Errorf("message %+v", m)
	}
	if want := []string{"d1-1.png", "d1-2.webp", "d1-3.jpg"}; !slices.Equal(m.Images, want) {
		t.Errorf("images %v, want %v (<delivery id>-<n>, extension by content type)", m.Images, want)
	}
	slices.Sort(m.Files)
	if want := []string{"d1-a4.pdf", "d1-escape.txt"}; !slices.Equal(m.Files, want) {
		t.Errorf("files %v, want %v (<delivery id>-<base name>)", m.Files, want)
	}
	written := map[string][]byte{"d1-1.png": ct.Images[0].Data, "d1-2.webp": ct.Images[1].Data, "d1-3.jpg": ct.Images[2].Data,
		"d1-a4.pdf": ct.Extra["print/a4.pdf"], "d1-escape.txt": ct.Extra["../../escape.txt"]}
	for name, data := range written {
		if got, err := os.ReadFile(filepath.Join(folder, name)); err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s: %q, %v; want the bytes given", name, got, err)
		}
	}
	entries, _ := os.ReadDir(folder)
	if len(entries) != 1+len(written) {
		t.Errorf("%d entries in %s, want the message and its %d files only", len(entries), folder, len(written))
	}
	if _, err := os.Stat(filepath.Join(dir, "escape.txt")); err == nil {
		t.Error("an extra file's name left the delivery's folder")
	}
}

// TestPublishIsAtomic: a send that fails half-way leaves no message (the
// files come first, the message last), no temporary file, and a resend
// then writes it whole.
func TestPublishIsAtomic(t *testing.T) {
	t.Parallel()
	dir, clock := t.TempDir(), publishertest.NewClock()
	p := outbox.New(dir, "zalo", ict, clock.Now)
	folder := filepath.Join(dir, "zalo", "2026-11-25")
	// A folder where the second image must go: renaming a file onto it fails.
	if err := os.MkdirAll(filepath.Join(folder, "d2-2.webp"), 0o750); err != nil {
		t.Fatal(err)
	}

	_, err := p.Publish(t.Context(), delivery("d2"), content(t))
	if class, _ := publishertest.ClassOf(t, err); class != publishers.Transient {
		t.Errorf("class %v, want transient (nothing was published)", class)
	}
	if _, err := os.Stat(p.Path(delivery("d2"))); !os.IsNotExist(err) {
		t.Errorf("a message was written for a failed send: %v", err)
	}
	if _, found, err := p.Reconcile(t.Context(), delivery("d2"), content(t)); found || err != nil {
		t.Errorf("reconcile after the failure: found %v, %v; want not found", found, err)
	}
	if left := leftovers(t, folder); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}

	if err := os.Remove(filepath.Join(folder, "d2-2.webp")); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Publish(t.Context(), delivery("d2"), content(t)); err != nil {
		t.Fatalf("resend: %v", err)
	}
	for _, name := range readMessage(t, p.Path(delivery("d2"))).Images {
		if _, err := os.Stat(filepath.Join(folder, name)); err != nil {
			t.Errorf("the message names %s: %v", name, err)
		}
	}
}

// TestMessageIsNeverSeenHalfWritten: replicas resending the same delivery
// while another process reads the outbox: every read finds whole JSON
// naming files that exist.
func TestMessageIsNeverSeenHalfWritten(t *testing.T) {
	t.Parallel()
	dir, clock := t.TempDir(), publishertest.NewClock()
	ct := content(t)
	ct.Body = strings.Repeat("Phòng chống bạo lực giới. ", 4000) // ~100 KB: many writes per file
	path := outbox.New(dir, "portal", ict, clock.Now).Path(delivery("d3"))
	var writers sync.WaitGroup
	for range 3 {
		p := outbox.New(dir, "portal", ict, clock.Now)
		writers.Go(func() {
			for range 10 {
				if _, err := p.Publish(t.Context(), delivery("d3"), ct); err != nil {
					t.Error(err)
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { writers.Wait(); close(done) }()
	reads := 0
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			continue // not written yet
		}
		reads++
		if bad := check(raw, filepath.Dir(path), ct.Body); bad != "" {
			t.Errorf("read %d (%d bytes): %s", reads, len(raw), bad)
			break
		}
	}
	<-done // the writers finish before the folder is removed
	if reads == 0 {
		t.Fatal("the message was never read")
	}
	if left := leftovers(t, filepath.Dir(path)); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// check says what is wrong with a message read from folder, or "".
func check(raw []byte, folder, body string) string {
	var m outbox.Message
	if err := json.Unmarshal(raw, &m); err != nil || m.Body != body {
		return fmt.Sprintf("a partial message: %v", err)
	}
	for _, name := range append(m.Images, m.Files...) {
		if _, err := os.Stat(filepath.Join(folder, name)); err != nil {
			return "the message names " + name + ", which does not exist"
		}
	}
	return ""
}

// TestReconcileFindsWhatADeadReplicaWrote: a replica wrote the message and
// died before recording the send; another replica (another Publisher over
// the same folder) finds it, with the same receipt.
func TestReconcileFindsWhatADeadReplicaWrote(t *testing.T) {
	t.Parallel()
	dir, clock := t.TempDir(), publishertest.NewClock()
	dead := outbox.New(dir, "facebook", ict, clock.Now)
	want, err := dead.Publish(t.Context(), delivery("d4"), content(t))
	if err != nil {
		t.Fatal(err)
	}

	clock.Advance(time.Minute)
	survivor := outbox.New(dir, "facebook", ict, clock.Now)
	got, found, err := survivor.Reconcile(t.Context(), delivery("d4"), content(t))
	if err != nil || !found || got != want {
		t.Errorf("reconcile = %+v, %v, %v; want %+v found", got, found, err, want)
	}
	if _, found, err := survivor.Reconcile(t.Context(), delivery("d5"), content(t)); found || err != nil {
		t.Errorf("a delivery never written: found %v, %v", found, err)
	}
	// A folder that cannot be read is an error, never "not found": that
	// would resend a message that may exist.
	blocked := t.TempDir()
	if err := os.WriteFile(filepath.Join(blocked, "facebook"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, found, err := outbox.New(blocked, "facebook", ict, clock.Now).Reconcile(t.Context(), delivery("d4"), content(t)); err == nil || found {
		t.Errorf("unreadable outbox: found %v, err %v; want an error", found, err)
	}
}

func TestHealthAndChannel(t *testing.T) {
	t.Parallel()
	p := outbox.New(t.TempDir(), "zalo", ict, time.Now)
	if h := p.Health(); p.Channel() != "zalo" || h.Channel != "zalo" || !h.Healthy || h.Configured {
		t.Errorf("channel %q, health %+v; want healthy and not configured", p.Channel(), h)
	}
}
