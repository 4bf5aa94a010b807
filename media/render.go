package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"runtime"
	"slices"

	"golang.org/x/sync/errgroup"
)

// Variant names.
const (
	VariantPrintA4  = "print-a4"
	VariantPrintA5  = "print-a5"
	VariantFacebook = "facebook"
	VariantZalo     = "zalo"
	VariantThumb    = "thumb"
)

// Size is one variant's name and pixel size. DPI is the print resolution
// of print variants and 0 for screen ones.
type Size struct {
	Name          string
	Width, Height int
	DPI           int
}

// Sizes returns every variant Render makes, largest first: the print
// variants at 300 dpi (A4 210×297 mm, A5 148×210 mm), a Facebook portrait
// post, a Zalo landscape cover, and a thumbnail with the Facebook aspect.
func Sizes() []Size {
	return []Size{
		{Name: VariantPrintA4, Width: 2480, Height: 3508, DPI: 300},
		{Name: VariantPrintA5, Width: 1748, Height: 2480, DPI: 300},
		{Name: VariantFacebook, Width: 1080, Height: 1350},
		{Name: VariantZalo, Width: 1280, Height: 720},
		{Name: VariantThumb, Width: 320, Height: 400},
	}
}

// JPEG qualities: print variants are printed at full resolution, so they
// keep more detail; screen variants are recompressed by the platforms.
const (
	printQuality  = 95
	screenQuality = 90
)

// Variant is one rendered image.
type Variant struct {
	Size
	ContentType string
	Data        []byte
}

// Variants holds every rendered variant by name (see Sizes).
type Variants map[string]Variant

// Render lays spec out over photo (already upright, as Decode returns it)
// in every variant of Sizes, each encoded as a baseline JPEG that carries
// no metadata. The photo is resampled with Lanczos, smaller variants from
// larger ones where that loses nothing; text and QR code are drawn at each
// variant's own resolution after resampling. Variants render in parallel,
// at most GOMAXPROCS at a time. An invalid spec gives the
// *apperr.ValidationError of Leaflet.Validate.
func Render(photo image.Image, spec Leaflet) (Variants, error) {
	spec, fonts, qr, err := prepare(photo, spec)
	if err != nil {
		return nil, err
	}
	jobs := planVariants(photo, spec.Template)
	out := make([]Variant, len(jobs))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, j := range jobs {
		g.Go(func() error {
			var err error
			out[i], err = renderVariant(j, spec, fonts, qr)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	variants := make(Variants, len(out))
	for _, v := range out {
		variants[v.Name] = v
	}
	return variants, nil
}

// variantJob is one variant to render: its size, layout and photo.
type variantJob struct {
	size  Size
	frame frame
	photo *photoTask
}

// planVariants lays out every variant for template and plans their photos,
// returning them largest photo first: the order to start them in, so that
// a job waiting for the photo it derives from waits for one that has
// already started and the concurrency limit cannot deadlock.
func planVariants(photo image.Image, template string) []variantJob {
	jobs := make([]variantJob, 0, len(Sizes()))
	for _, s := range Sizes() {
		jobs = append(jobs, variantJob{size: s, frame: frameFor(template, s.Width, s.Height)})
	}
	area := func(j variantJob) int { return j.frame.photo.Dx() * j.frame.photo.Dy() }
	slices.SortStableFunc(jobs, func(a, b variantJob) int { return area(b) - area(a) })
	boxes := make([]image.Point, len(jobs))
	for i, j := range jobs {
		boxes[i] = j.frame.photo.Size()
	}
	for i, t := range planPhotos(photo, boxes) {
		jobs[i].photo = t
	}
	return jobs
}

// renderVariant composes one variant over its photo and encodes it.
func renderVariant(j variantJob, spec Leaflet, fonts *fontSet, qr [][]bool) (Variant, error) {
	s := j.size
	canvas := image.NewRGBA(image.Rect(0, 0, s.Width, s.Height))
	photo := j.photo.get()
	if o, ok := photo.(interface{ Opaque() bool }); ok && !o.Opaque() {
		// A transparent PNG shows on white paper, not on JPEG black.
		draw.Draw(canvas, j.frame.photo, image.White, image.Point{}, draw.Src)
		draw.Draw(canvas, j.frame.photo, photo, image.Point{}, draw.Over)
	} else {
		draw.Draw(canvas, j.frame.photo, photo, image.Point{}, draw.Src)
	}
	if err := drawPanel(canvas, j.frame, spec, fonts, qr); err != nil {
		return Variant{}, fmt.Errorf("media: %s: %w", s.Name, err)
	}
	quality := screenQuality
	if s.DPI > 0 {
		quality = printQuality
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, canvas, &jpeg.Options{Quality: quality}); err != nil {
		return Variant{}, fmt.Errorf("media: encode %s: %w", s.Name, err)
	}
	return Variant{Size: s, ContentType: "image/jpeg", Data: buf.Bytes()}, nil
}

// PreviewSize is the size of the leaflet preview the editor shows while the
// editor types: the Facebook variant's shape at half its width.
var PreviewSize = Size{Name: "preview", Width: 540, Height: 675}

// RenderPreview draws spec over photo at PreviewSize only, as a JPEG: the
// same layout as the variants, for the editor's preview (a full render
// makes five variants and stores them; a preview stores nothing).
func RenderPreview(photo image.Image, spec Leaflet) ([]byte, error) {
	spec, fonts, qr, err := prepare(photo, spec)
	if err != nil {
		return nil, err
	}
	j := variantJob{size: PreviewSize, frame: frameFor(spec.Template, PreviewSize.Width, PreviewSize.Height)}
	j.photo = planPhotos(photo, []image.Point{j.frame.photo.Size()})[0]
	v, err := renderVariant(j, spec, fonts, qr)
	return v.Data, err
}

// prepare is what every rendering needs first: spec checked and made
// canonical, a photo, the fonts and the QR code's matrix. An invalid spec
// gives the *apperr.ValidationError of Leaflet.Validate.
func prepare(photo image.Image, spec Leaflet) (Leaflet, *fontSet, [][]bool, error) {
	if err := spec.Validate(); err != nil {
		return spec, nil, nil, err
	}
	spec = spec.canonical()
	if photo == nil || photo.Bounds().Empty() {
		return spec, nil, nil, errors.New("media: no photo to render")
	}
	fonts, err := loadFonts()
	if err != nil {
		return spec, nil, nil, err
	}
	qr, err := qrMatrix(spec.QRURL)
	return spec, fonts, qr, err
}
