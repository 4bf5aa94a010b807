// Package mediatest builds images for tests and benchmarks of package media:
// photo-like pictures, and JPEGs carrying a hand-built EXIF segment. It is
// deterministic (same arguments, same bytes) and never used in production.
package mediatest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
)

// Photo returns a w×h opaque picture that compresses like a photograph: a
// sky-to-ground gradient, a few soft discs and per-pixel noise, all derived
// from seed. The same arguments always give the same pixels.
func Photo(w, h int, seed uint64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	discs := photoDiscs(w, h, seed)
	rng := seed | 1
	for y := range h {
		fy := float64(y) / float64(h)
		row := img.Pix[y*img.Stride : y*img.Stride+w*4]
		for x := range w {
			fx := float64(x) / float64(w)
			r := 70 + 120*(1-fy) + 30*fx
			g := 110 + 90*(1-fy) - 20*fx
			b := 150 + 80*(1-fy) - 60*fy
			for _, d := range discs {
				dx, dy := float64(x)-d.x, float64(y)-d.y
				if k := 1 - (dx*dx+dy*dy)/(d.r*d.r); k > 0 {
					r, g, b = mix(r, d.c.R, k), mix(g, d.c.G, k), mix(b, d.c.B, k)
				}
			}
			rng ^= rng << 13
			rng ^= rng >> 7
			rng ^= rng << 17
			n := float64(int(rng%33) - 16)
			p := row[x*4 : x*4+4 : x*4+4]
			p[0], p[1], p[2], p[3] = clamp(r+n), clamp(g+n), clamp(b+n), 0xff
		}
	}
	return img
}

// PhotoJPEG encodes Photo(w, h, seed) as a baseline JPEG at quality 90,
// without any metadata segment.
func PhotoJPEG(w, h int, seed uint64) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, Photo(w, h, seed), &jpeg.Options{Quality: 90}); err != nil {
		return nil, fmt.Errorf("mediatest: encode photo: %w", err)
	}
	return buf.Bytes(), nil
}

type disc struct {
	x, y, r float64
	c       color.RGBA
}

// photoDiscs places five soft discs (a sun, a few faces or bushes) so the
// picture has edges and saturated areas for resampling to work on.
func photoDiscs(w, h int, seed uint64) []disc {
	palette := []color.RGBA{{250, 220, 120, 255}, {200, 140, 110, 255}, {60, 120, 60, 255}, {140, 60, 120, 255}, {230, 230, 235, 255}}
	out := make([]disc, len(palette))
	for i, c := range palette {
		f := float64(i+1) + float64(seed%7)
		out[i] = disc{
			x: float64(w) * (0.5 + 0.4*math.Sin(f*1.7)),
			y: float64(h) * (0.5 + 0.4*math.Cos(f*2.3)),
			r: float64(min(w, h)) * (0.08 + 0.04*float64(i)),
			c: c,
		}
	}
	return out
}

func mix(a float64, b uint8, k float64) float64 { return a*(1-k) + float64(b)*k }

func clamp(v float64) uint8 {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return uint8(v)
}
