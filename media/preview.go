package media

import (
	"context"
	"image"
	"sync"

	"github.com/disintegration/imaging"
)

// previewPhotoSide bounds the longer side of a photo kept for previews: at
// PreviewSize nothing finer shows, and a 12-megapixel phone photo would
// otherwise take 48 MB decoded.
const previewPhotoSide = 1350

// previewCacheSize is how many decoded photos the previews keep: the
// editors typing at once on this replica.
const previewCacheSize = 4

// previewPhotos keeps the last few photos decoded for previews, smaller,
// by upload id: an editor typing the leaflet's text asks for a preview of
// the same photo again and again, and decoding it is most of the cost.
type previewPhotos struct {
	mu    sync.Mutex
	order []string
	imgs  map[string]image.Image
}

func (p *previewPhotos) get(id string) (image.Image, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	img, ok := p.imgs[id]
	return img, ok
}

func (p *previewPhotos) put(id string, img image.Image) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.imgs == nil {
		p.imgs = map[string]image.Image{}
	}
	if _, ok := p.imgs[id]; !ok {
		p.order = append(p.order, id)
	}
	p.imgs[id] = img
	for len(p.order) > previewCacheSize {
		delete(p.imgs, p.order[0])
		p.order = p.order[1:]
	}
}

// PreviewLeaflet draws a leaflet of in over the uploaded photo of the
// caller's commune at PreviewSize, stores nothing, and returns the JPEG:
// what the editor shows while the leaflet's text is typed. The QR code
// stands for the item's (made at its first render). Unknown photo:
// apperr.ErrNotFound; invalid text: the *apperr.ValidationError of
// Leaflet.Validate.
func (s *Service) PreviewLeaflet(ctx context.Context, in LeafletInput) ([]byte, error) {
	spec := Leaflet{Title: in.Title, Body: in.Body, Hotline: in.Hotline, Template: in.Template, QRURL: s.qrURL(placeholderCode)}
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	u, err := s.GetUpload(ctx, in.PhotoMediaID)
	if err != nil {
		return nil, err
	}
	release, err := s.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	img, ok := s.previews.get(u.ID)
	if !ok {
		orig, err := s.blobs.get(ctx, u.FileID)
		if err != nil {
			return nil, err
		}
		if img, err = Decode(orig); err != nil {
			return nil, err
		}
		if b := img.Bounds(); max(b.Dx(), b.Dy()) > previewPhotoSide {
			img = imaging.Fit(img, previewPhotoSide, previewPhotoSide, imaging.Lanczos)
		}
		s.previews.put(u.ID, img)
	}
	return RenderPreview(img, spec)
}
