package media

import (
	"sync"
	"testing"

	"github.com/lantoa/lantoa/media/mediatest"
)

// benchPhoto is a 12-megapixel photo-like JPEG, the same one
// bench/media/run.sh generates for its comparison with vipsthumbnail and
// ImageMagick.
var benchPhoto = sync.OnceValues(func() ([]byte, error) { return mediatest.PhotoJPEG(4000, 3000, 1) })

// BenchmarkRenderAll measures what one leaflet request costs: decoding the
// 12 MP JPEG once and rendering and encoding all five variants.
func BenchmarkRenderAll(b *testing.B) {
	for _, template := range Templates() {
		b.Run(template, func(b *testing.B) {
			data, err := benchPhoto()
			if err != nil {
				b.Fatal(err)
			}
			spec := Leaflet{Title: mediatest.SampleTitle, Body: mediatest.SampleBody,
				Hotline: mediatest.SampleHotline, QRURL: mediatest.SampleQRURL, Template: template}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				photo, err := Decode(data)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Render(photo, spec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
