package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/store"
)

// Upload describes an uploaded photo. Its bytes are kept as they came, in
// GridFS; what is published is always re-encoded from the decoded pixels,
// so no metadata of the original (GPS above all) ever leaves.
type Upload struct {
	ID        string `bson:"_id" json:"id"`
	CommuneID string `bson:"commune_id" json:"-"`
	Format    Format `bson:"format" json:"format"`
	// Width and Height are as displayed, after EXIF orientation.
	Width      int       `bson:"width" json:"width"`
	Height     int       `bson:"height" json:"height"`
	Bytes      int       `bson:"bytes" json:"bytes"`
	SHA256     string    `bson:"sha256" json:"sha256"`
	FileID     string    `bson:"file_id" json:"-"`
	UploadedBy string    `bson:"uploaded_by" json:"uploaded_by"`
	CreatedAt  time.Time `bson:"created_at" json:"created_at"`
	// PostFileID is the photo as attached to posts (see PostImage), made
	// the first time a post needs it.
	PostFileID string `bson:"post_file_id,omitempty" json:"-"`
}

// SaveUpload checks data (format by content, size, pixel count, then a full
// decode so that damaged files are refused now rather than at rendering)
// and stores it for the caller's commune. Errors wrap ErrUnsupportedType,
// ErrTooLarge, ErrTooManyPixels or ErrCorrupt.
func (s *Service) SaveUpload(ctx context.Context, uploader string, data []byte) (Upload, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return Upload{}, err
	}
	info, err := Inspect(data)
	if err != nil {
		return Upload{}, err
	}
	release, err := s.acquire(ctx)
	if err != nil {
		return Upload{}, err
	}
	_, err = Decode(data)
	release()
	if err != nil {
		return Upload{}, err
	}
	sum := sha256.Sum256(data)
	id := bson.NewObjectID().Hex()
	u := Upload{ID: id, CommuneID: sc.CommuneID, Format: info.Format, Width: info.Width, Height: info.Height,
		Bytes: info.Bytes, SHA256: hex.EncodeToString(sum[:]), FileID: "upload-" + id, UploadedBy: uploader,
		CreatedAt: s.now().UTC()}
	// The bytes first: a media document always names a file that exists.
	meta := bson.M{"commune_id": sc.CommuneID, "kind": "upload", "content_type": info.Format.ContentType()}
	if err := s.blobs.put(ctx, u.FileID, id+"."+string(info.Format), data, meta); err != nil {
		return Upload{}, err
	}
	if _, err := s.uploads.InsertOne(ctx, u); err != nil {
		return Upload{}, fmt.Errorf("media: storing upload: %w", err)
	}
	return u, nil
}

// postImage returns the JPEG attached to posts for upload u, making and
// storing it the first time.
func (s *Service) postImage(ctx context.Context, u Upload) ([]byte, error) {
	if u.PostFileID != "" {
		if data, err := s.blobs.get(ctx, u.PostFileID); err == nil {
			return data, nil
		}
	}
	orig, err := s.blobs.get(ctx, u.FileID)
	if err != nil {
		return nil, err
	}
	release, err := s.acquire(ctx)
	if err != nil {
		return nil, err
	}
	data, err := PostImage(orig)
	release()
	if err != nil {
		return nil, err
	}
	fileID := "post-" + bson.NewObjectID().Hex()
	meta := bson.M{"commune_id": u.CommuneID, "kind": "post", "upload_id": u.ID, "content_type": "image/jpeg"}
	if err := s.blobs.put(ctx, fileID, u.ID+"-post.jpg", data, meta); err != nil {
		return nil, err
	}
	if _, err := s.uploads.UpdateOne(ctx, bson.M{"_id": u.ID}, bson.M{"$set": bson.M{"post_file_id": fileID}}); err != nil {
		s.log.Warn("media: recording the post image", "upload", u.ID, "err", err)
	}
	return data, nil
}
