package media

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/store"
)

// gridFile and gridChunk are GridFS's documents (the default bucket, fs),
// as the driver writes them.
type gridFile struct {
	ID         bson.RawValue `bson:"_id"`
	Length     int64         `bson:"length"`
	ChunkSize  int32         `bson:"chunkSize"`
	UploadDate time.Time     `bson:"uploadDate"`
	Filename   string        `bson:"filename"`
}

type gridChunk struct {
	ID      bson.ObjectID `bson:"_id"`
	FilesID bson.RawValue `bson:"files_id"`
	N       int32         `bson:"n"`
	Data    []byte        `bson:"data"`
}

// Archive declares the collections the media domain writes, for `lantoa
// import`: uploads, leaflets, renders, QR codes, the scan counter's day,
// and GridFS's files and chunks.
func Archive() []store.Collection {
	return []store.Collection{
		{Name: "media", Check: store.Decodes(func(u *Upload) error {
			if err := store.NonEmpty("commune_id", u.CommuneID, "file_id", u.FileID); err != nil {
				return err
			}
			return store.OneOf("format", u.Format, FormatJPEG, FormatPNG, FormatWebP)
		})},
		{Name: "audio", Check: store.Decodes(func(a *Audio) error {
			if len(a.SHA256) != 64 || a.ID != AudioID(a.CommuneID, a.SHA256) {
				return fmt.Errorf("_id %q is not the audio's content address", a.ID)
			}
			return store.NonEmpty("commune_id", a.CommuneID, "file_id", a.FileID)
		})},
		{Name: "leaflets", Check: store.Decodes(func(l *leafletDoc) error {
			if !validCode(l.Code) {
				return fmt.Errorf("code %q is not a QR code", l.Code)
			}
			return store.NonEmpty("commune_id", l.CommuneID)
		})},
		{Name: "leaflet_renders", Check: store.Decodes(func(r *renderSet) error { return store.NonEmpty("commune_id", r.CommuneID) })},
		{Name: "qr_codes", Check: store.Decodes(func(q *qrCode) error {
			if !validCode(q.ID) {
				return fmt.Errorf("_id %q is not a QR code", q.ID)
			}
			return store.NonEmpty("commune_id", q.CommuneID, "item_id", q.ItemID)
		})},
		{Name: ScanSaltsCollection, Check: store.Decodes(func(s *scanSalt) error {
			if len(s.Salt) != 32 {
				return errors.New("salt is not 32 bytes")
			}
			return nil
		})},
		{Name: ScanMarksCollection, Check: store.Decodes(func(m *scanMark) error {
			if !strings.HasPrefix(m.ID, "v|") && !strings.HasPrefix(m.ID, "a|") {
				return fmt.Errorf("_id %q is not a scan mark", m.ID)
			}
			return nil
		})},
		{Name: "fs.files", Check: store.Decodes(func(f *gridFile) error {
			if f.Length < 0 || f.ChunkSize <= 0 {
				return fmt.Errorf("length %d, chunkSize %d", f.Length, f.ChunkSize)
			}
			return nil
		})},
		{Name: "fs.chunks", Check: store.Decodes(func(c *gridChunk) error {
			if c.N < 0 || c.FilesID.Type == 0 {
				return fmt.Errorf("chunk %d of %v", c.N, c.FilesID)
			}
			return nil
		})},
	}
}
