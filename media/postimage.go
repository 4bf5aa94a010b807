package media

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"

	"github.com/disintegration/imaging"
)

// PostMaxSide is the longest side of a photo attached to a post: what
// Facebook shows at full size, and a quarter of a 12-megapixel original.
const PostMaxSide = 2048

// PostImage turns an upload into the JPEG attached to social posts: decoded
// as Decode does (limits first, EXIF orientation applied), scaled down with
// Lanczos to fit PostMaxSide×PostMaxSide if larger, transparent areas on
// white, encoded at screen quality. The result carries no metadata of the
// original: no EXIF, so no GPS position and no orientation tag to apply
// twice.
func PostImage(upload []byte) ([]byte, error) {
	img, err := Decode(upload)
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	if b.Dx() > PostMaxSide || b.Dy() > PostMaxSide {
		img = imaging.Fit(img, PostMaxSide, PostMaxSide, imaging.Lanczos)
		b = img.Bounds()
	}
	canvas := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(canvas, canvas.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(canvas, canvas.Bounds(), img, b.Min, draw.Over)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, canvas, &jpeg.Options{Quality: screenQuality}); err != nil {
		return nil, fmt.Errorf("media: encode post image: %w", err)
	}
	return buf.Bytes(), nil
}
