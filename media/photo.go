package media

import (
	"image"
	"image/color"
	"math"
	"runtime"
	"sync"

	"github.com/disintegration/imaging"
)

// derivationMargin is how much denser than the target a rendered photo
// must be before a smaller photo is resampled from it instead of from the
// source: Lanczos over an image already 1.2× larger keeps its sharpness.
const derivationMargin = 1.2

// region is a rectangle in source pixels, with fractional edges.
type region struct{ x0, y0, x1, y1 float64 }

func (r region) dx() float64 { return r.x1 - r.x0 }
func (r region) dy() float64 { return r.y1 - r.y0 }

// photoTask is the part of the source photo shown in one variant, region,
// resampled to w×h. get resamples it on first use (from the source or from
// a larger task) and returns the same image to every caller.
type photoTask struct {
	w, h   int
	region region
	from   *photoTask // what it is resampled from; nil for the source
	get    func() image.Image
}

// density is the task's pixels per source pixel.
func (t *photoTask) density() float64 { return float64(t.w) / t.region.dx() }

// coverRegion is the centred part of a sw×sh source with the aspect of a
// w×h box: the box is filled and the overflow cropped.
func coverRegion(sw, sh, w, h int) region {
	if float64(sw)*float64(h) > float64(sh)*float64(w) {
		cw := float64(sh) * float64(w) / float64(h)
		x0 := (float64(sw) - cw) / 2
		return region{x0, 0, x0 + cw, float64(sh)}
	}
	ch := float64(sw) * float64(h) / float64(w)
	y0 := (float64(sh) - ch) / 2
	return region{0, y0, float64(sw), y0 + ch}
}

// planPhotos returns one task per box (boxes must come largest first) that
// cover-crops src into it. Each task resamples from the cheapest image that
// holds its region densely enough: the source, a box-filtered half-size
// copy of it (made once, only if some task wants it), or an earlier, larger
// task — so the source is read only for what needs its full resolution.
func planPhotos(src image.Image, boxes []image.Point) []*photoTask {
	sw, sh := src.Bounds().Dx(), src.Bounds().Dy()
	full := region{0, 0, float64(sw), float64(sh)}
	source := &photoTask{w: sw, h: sh, region: full, get: func() image.Image { return src }}
	candidates := []*photoTask{source}
	if sw >= 64 && sh >= 64 {
		hw, hh := sw/2, sh/2
		half := &photoTask{w: hw, h: hh, region: region{0, 0, float64(2 * hw), float64(2 * hh)}}
		half.get = sync.OnceValue(func() image.Image { return halve(src, hw, hh) })
		candidates = append(candidates, half)
	}
	tasks := make([]*photoTask, len(boxes))
	for i, b := range boxes {
		t := &photoTask{w: b.X, h: b.Y, region: coverRegion(sw, sh, b.X, b.Y)}
		from, crop := cheapestSource(t, candidates)
		t.from = from
		t.get = sync.OnceValue(func() image.Image {
			return imaging.Resize(subImage(from.get(), crop), t.w, t.h, imaging.Lanczos)
		})
		tasks[i] = t
		candidates = append(candidates, t)
	}
	return tasks
}

// cheapestSource picks the candidate needing the fewest pixels read that is
// dense enough for t (the source always qualifies) and returns it with the
// crop rectangle of t's region in its pixels.
func cheapestSource(t *photoTask, candidates []*photoTask) (*photoTask, image.Rectangle) {
	best, bestCrop, bestCost := candidates[0], cropIn(candidates[0], t.region), math.Inf(1)
	for i, c := range candidates {
		if i > 0 && c.density() < derivationMargin*t.density() {
			continue
		}
		crop := cropIn(c, t.region)
		if crop.Empty() {
			continue
		}
		if cost := float64(crop.Dx()) * float64(crop.Dy()); cost < bestCost {
			best, bestCrop, bestCost = c, crop, cost
		}
	}
	return best, bestCrop
}

// cropIn maps r into c's pixels. When r reaches past c's region (a larger
// variant's crop can be a few pixels shorter through rounding) it shrinks
// r about its centre, keeping the aspect; beyond 2% it returns an empty
// rectangle: c does not hold r.
func cropIn(c *photoTask, r region) image.Rectangle {
	k := c.density()
	cx, cy := ((r.x0+r.x1)/2-c.region.x0)*k, ((r.y0+r.y1)/2-c.region.y0)*k
	hw, hh := r.dx()/2*k, r.dy()/2*k
	w, h := float64(c.w), float64(c.h)
	scale := min(1, cx/hw, (w-cx)/hw, cy/hh, (h-cy)/hh)
	if scale < 0.98 {
		return image.Rectangle{}
	}
	hw, hh = hw*scale, hh*scale
	out := image.Rect(int(math.Round(cx-hw)), int(math.Round(cy-hh)), int(math.Round(cx+hw)), int(math.Round(cy+hh)))
	// A sliver of a very long, thin photo can round to nothing: keep a pixel.
	out.Max = image.Pt(max(out.Max.X, out.Min.X+1), max(out.Max.Y, out.Min.Y+1))
	return out.Intersect(image.Rect(0, 0, c.w, c.h))
}

// subImage returns the part of img at r (in img's own 0-based pixels)
// without copying when img supports it.
func subImage(img image.Image, r image.Rectangle) image.Image {
	r = r.Add(img.Bounds().Min)
	if s, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(r)
	}
	return imaging.Crop(img, r)
}

// halve box-filters src to w×h (half its size). A baseline JPEG decodes to
// 4:2:0 YCbCr, whose chroma planes are already at half size, so that case
// averages only the luma plane; anything else goes through imaging's box
// filter.
func halve(src image.Image, w, h int) image.Image {
	y, ok := src.(*image.YCbCr)
	if !ok || y.SubsampleRatio != image.YCbCrSubsampleRatio420 || y.Rect.Min != (image.Point{}) {
		return imaging.Resize(src, w, h, imaging.Box)
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	parallelRows(h, func(row int) {
		y0 := y.Y[2*row*y.YStride:]
		y1 := y.Y[(2*row+1)*y.YStride:]
		cb, cr := y.Cb[row*y.CStride:], y.Cr[row*y.CStride:]
		out := dst.Pix[row*dst.Stride:]
		for x := range w {
			l := (uint32(y0[2*x]) + uint32(y0[2*x+1]) + uint32(y1[2*x]) + uint32(y1[2*x+1]) + 2) / 4
			r, g, b := color.YCbCrToRGB(uint8(l), cb[x], cr[x])
			out[4*x], out[4*x+1], out[4*x+2], out[4*x+3] = r, g, b, 0xff
		}
	})
	return dst
}

// parallelRows calls fn for rows 0..n-1 on GOMAXPROCS goroutines.
func parallelRows(n int, fn func(row int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for row := w; row < n; row += workers {
				fn(row)
			}
		})
	}
	wg.Wait()
}
