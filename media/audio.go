package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/store"
)

// Audio is a stored loudspeaker sound (SPEC §6.3): a normalised MP3 in
// GridFS beside the photos, content-addressed per commune, so the same
// sound is stored once however often it is uploaded (normalisation gives
// the same bytes for the same upload).
type Audio struct {
	// ID is AudioID(commune, SHA256): it names exactly these bytes.
	ID              string  `bson:"_id" json:"id"`
	CommuneID       string  `bson:"commune_id" json:"-"`
	SHA256          string  `bson:"sha256" json:"sha256"`
	DurationSeconds float64 `bson:"duration_seconds" json:"duration_seconds"`
	LoudnessLUFS    float64 `bson:"loudness_lufs" json:"loudness_lufs"`
	TruePeakDBTP    float64 `bson:"true_peak_dbtp" json:"true_peak_dbtp"`
	Bytes           int     `bson:"bytes" json:"bytes"`
	FileID          string  `bson:"file_id" json:"-"`
	// Items are the scripts that carry or carried it: who may hear it is
	// decided by them (an item that no longer carries it opens nothing).
	Items     []string  `bson:"items" json:"-"`
	CreatedBy string    `bson:"created_by" json:"-"`
	CreatedAt time.Time `bson:"created_at" json:"-"`
}

// AudioInput is a normalised sound to store.
type AudioInput struct {
	MP3                        []byte
	SHA256                     string
	DurationSeconds            float64
	LoudnessLUFS, TruePeakDBTP float64
}

// AudioContentType is the media type of every stored sound.
const AudioContentType = "audio/mpeg"

// AudioID is the id of a sound of commune whose MP3 has the hex SHA-256
// sum: 32 hex digits, the same on every replica, different per commune.
func AudioID(commune, sum string) string {
	h := sha256.Sum256([]byte("lantoa/media.audio|" + commune + "|" + sum))
	return hex.EncodeToString(h[:16])
}

// sounds is the audio collection: one document per stored sound.
func (s *Service) sounds() *mongo.Collection { return s.uploads.Database().Collection("audio") }

// SaveAudio stores a sound for the caller's commune and returns it; a
// sound stored already (the same bytes) is returned as it is, nothing
// written. The bytes go first under a file id of their own, so the
// document always names a file that exists; of two replicas storing the
// same sound at once, one document wins and the other's file is removed.
func (s *Service) SaveAudio(ctx context.Context, by string, in AudioInput) (Audio, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return Audio{}, err
	}
	sum := sha256.Sum256(in.MP3)
	if hex.EncodeToString(sum[:]) != in.SHA256 {
		return Audio{}, fmt.Errorf("media: the audio's SHA-256 is not its bytes'")
	}
	id := AudioID(sc.CommuneID, in.SHA256)
	if a, err := s.GetAudio(ctx, id); err == nil {
		return a, nil
	}
	a := Audio{ID: id, CommuneID: sc.CommuneID, SHA256: in.SHA256, DurationSeconds: in.DurationSeconds,
		LoudnessLUFS: in.LoudnessLUFS, TruePeakDBTP: in.TruePeakDBTP, Bytes: len(in.MP3),
		FileID: "audio-" + bson.NewObjectID().Hex(), Items: []string{}, CreatedBy: by, CreatedAt: s.now().UTC()}
	meta := bson.M{"commune_id": sc.CommuneID, "kind": "audio", "audio_id": id, "content_type": AudioContentType}
	if err := s.blobs.put(ctx, a.FileID, id+".mp3", in.MP3, meta); err != nil {
		return Audio{}, err
	}
	if _, err := s.sounds().InsertOne(ctx, a); err != nil {
		s.blobs.remove(context.WithoutCancel(ctx), a.FileID)
		if store.IsDuplicateKey(err) {
			return s.GetAudio(ctx, id)
		}
		return Audio{}, fmt.Errorf("media: storing audio: %w", err)
	}
	return a, nil
}

// GetAudio returns a sound of the caller's commune, or apperr.ErrNotFound.
func (s *Service) GetAudio(ctx context.Context, id string) (Audio, error) {
	var a Audio
	err := store.FindByID(ctx, s.sounds(), id, &a)
	if store.IsNoDocuments(err) {
		return a, apperr.NotFound("audio")
	}
	if err != nil {
		return a, fmt.Errorf("media: finding audio: %w", err)
	}
	return a, nil
}

// FindAudio returns the sound id of any commune, for the public route that
// decides who may hear it (by its items), or apperr.ErrNotFound.
func (s *Service) FindAudio(ctx context.Context, id string) (Audio, error) {
	var a Audio
	if !store.ValidID(id) {
		return a, apperr.NotFound("audio")
	}
	err := s.sounds().FindOne(ctx, bson.M{"_id": id}).Decode(&a)
	if store.IsNoDocuments(err) {
		return a, apperr.NotFound("audio")
	}
	if err != nil {
		return a, fmt.Errorf("media: finding audio: %w", err)
	}
	return a, nil
}

// NoteAudioItem records that item itemID carries the sound id of the
// caller's commune (before the item names it, so that whoever may hear
// the item's audio finds it).
func (s *Service) NoteAudioItem(ctx context.Context, id, itemID string) error {
	f, err := store.Scoped(ctx, bson.M{"_id": id})
	if err != nil {
		return err
	}
	res, err := s.sounds().UpdateOne(ctx, f, bson.M{"$addToSet": bson.M{"items": itemID}})
	if err != nil {
		return fmt.Errorf("media: noting the audio's item: %w", err)
	}
	if res.MatchedCount == 0 {
		return apperr.NotFound("audio")
	}
	return nil
}

// ReadAudio returns the MP3 bytes of a.
func (s *Service) ReadAudio(ctx context.Context, a Audio) ([]byte, error) {
	return s.blobs.get(ctx, a.FileID)
}

// AudioURL is the public address of sound id: BaseURL/media/audio/<id>.mp3.
func (s *Service) AudioURL(id string) string { return s.baseURL + "/media/audio/" + id + ".mp3" }
