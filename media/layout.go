package media

import (
	"image"
	"image/color"
	"image/draw"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// Colours of the text panel. Light text on deep purple and dark text on
// amber both exceed a 9:1 contrast ratio (WCAG AAA asks 7:1).
var (
	panelColour   = color.RGBA{0x2a, 0x18, 0x46, 0xff}
	titleColour   = color.RGBA{0xff, 0xff, 0xff, 0xff}
	bodyColour    = color.RGBA{0xed, 0xe7, 0xf6, 0xff}
	captionColour = color.RGBA{0xd9, 0xcc, 0xee, 0xff}
	bandColour    = color.RGBA{0xff, 0xb0, 0x20, 0xff}
	bandText      = color.RGBA{0x1c, 0x0f, 0x33, 0xff}
)

// qrCaption is printed under the QR code.
const qrCaption = "Quét mã để được hỗ trợ"

// panelStyle sizes the parts of a text panel in thousandths of its width,
// so one layout serves every resolution and text is drawn at each
// variant's own pixel size.
type panelStyle struct {
	pad, gap           float64
	titleMax, titleMin float64
	bodyMax, bodyMin   float64
	qr, caption, band  float64
}

var (
	portraitStyle  = panelStyle{pad: 55, gap: 32, titleMax: 82, titleMin: 40, bodyMax: 40, bodyMin: 24, qr: 270, caption: 27, band: 160}
	landscapeStyle = panelStyle{pad: 60, gap: 36, titleMax: 86, titleMin: 44, bodyMax: 42, bodyMin: 28, qr: 340, caption: 34, band: 180}
)

// frame places a variant's photo and text panel on its canvas.
type frame struct {
	photo image.Rectangle // the photo is cover-cropped into this
	panel image.Rectangle // solid background for the text
	style panelStyle
}

// frameFor lays out template on a w×h canvas. Portrait canvases stack the
// panel under the photo; landscape ones put it beside. In full-bleed the
// photo fills the canvas and the panel is a card inset over it.
func frameFor(template string, w, h int) frame {
	full := image.Rect(0, 0, w, h)
	if w > h {
		if template == TemplateFullBleed {
			m := h * 4 / 100
			return frame{photo: full, panel: image.Rect(w/2, m, w-m, h-m), style: landscapeStyle}
		}
		return frame{photo: image.Rect(0, 0, w/2, h), panel: image.Rect(w/2, 0, w, h), style: landscapeStyle}
	}
	if template == TemplateFullBleed {
		m := w * 4 / 100
		ph := (w - 2*m) * 84 / 100
		return frame{photo: full, panel: image.Rect(m, h-m-ph, w-m, h-m), style: portraitStyle}
	}
	ph := w * 80 / 100
	return frame{photo: image.Rect(0, 0, w, h-ph), panel: image.Rect(0, h-ph, w, h), style: portraitStyle}
}

// panelContent is the laid-out text of a panel.
type panelContent struct {
	title, body, caption block
	qrSide, gap          int
}

// placement is where each part of a panel goes on the canvas.
type placement struct {
	panelContent
	band                image.Rectangle // empty without a hotline
	titleAt, bodyAt, qr image.Rectangle
	captionTop, bandPad int
}

// placePanel lays out the panel of fr: the hotline band along its bottom,
// then title, body and QR code centred vertically in what is left.
func placePanel(fr frame, spec Leaflet, fonts *fontSet) (placement, error) {
	p, st := fr.panel, fr.style
	u := float64(p.Dx()) / 1000
	px := func(v float64) int { return int(v*u + 0.5) }
	pl := placement{bandPad: px(st.pad)}
	bottom := p.Max.Y - px(st.pad)
	if spec.Hotline != "" {
		pl.band = image.Rect(p.Min.X, p.Max.Y-px(st.band), p.Max.X, p.Max.Y)
		bottom = pl.band.Min.Y - px(st.gap)
	}
	inner := image.Rect(p.Min.X+px(st.pad), p.Min.Y+px(st.pad), p.Max.X-px(st.pad), bottom)
	c, err := layoutPanel(inner, spec, fonts, st, u)
	if err != nil {
		return pl, err
	}
	pl.panelContent = c
	used := c.title.height() + c.gap + max(c.body.height(), c.qrBlock())
	top := inner.Min.Y + max(0, (inner.Dy()-used)/2)
	pl.titleAt = image.Rect(inner.Min.X, top, inner.Max.X, top+c.title.height())
	mid := pl.titleAt.Max.Y + c.gap
	pl.bodyAt = image.Rect(inner.Min.X, mid, inner.Max.X-c.qrSide-c.gap, mid+c.body.height())
	pl.qr = image.Rect(inner.Max.X-c.qrSide, mid, inner.Max.X, mid+c.qrSide)
	pl.captionTop = pl.qr.Max.Y + c.gap/2
	return pl, nil
}

// drawPanel fills fr.panel and draws the title, body, QR code with its
// caption and the hotline band into it. Text is fitted to its boxes
// (shrunk, then cut with an ellipsis) and clipped to the panel.
func drawPanel(dst *image.RGBA, fr frame, spec Leaflet, fonts *fontSet, qr [][]bool) error {
	pl, err := placePanel(fr, spec, fonts)
	if err != nil {
		return err
	}
	clip := dst.SubImage(fr.panel).(*image.RGBA)
	draw.Draw(clip, fr.panel, image.NewUniform(panelColour), image.Point{}, draw.Src)
	if !pl.band.Empty() {
		if err := drawHotline(clip, pl.band, spec.Hotline, fonts, pl.bandPad); err != nil {
			return err
		}
	}
	drawBlock(clip, pl.title, pl.titleAt.Min.X, pl.titleAt.Min.Y, pl.titleAt.Dx(), 0, titleColour)
	drawBlock(clip, pl.body, pl.bodyAt.Min.X, pl.bodyAt.Min.Y, pl.bodyAt.Dx(), 0, bodyColour)
	drawQR(clip, pl.qr, qr)
	drawBlock(clip, pl.caption, pl.qr.Min.X, pl.captionTop, pl.qr.Dx(), 0.5, captionColour)
	return nil
}

// qrBlock is the height of the QR code with its caption.
func (c panelContent) qrBlock() int { return c.qrSide + c.gap/2 + c.caption.height() }

// layoutPanel fits the caption, then the title (at most three lines, leaving
// room for the QR block), then the body beside the QR code in what remains.
// If the body does not fit even at its smallest size, the title gives way
// step by step down to its own smallest size. u is one style unit in pixels.
func layoutPanel(inner image.Rectangle, spec Leaflet, fonts *fontSet, st panelStyle, u float64) (panelContent, error) {
	c := panelContent{qrSide: int(st.qr*u + 0.5), gap: int(st.gap*u + 0.5)}
	var err error
	c.caption, err = fit(qrCaption, fitSpec{font: fonts.regular, maxPx: st.caption * u, minPx: min(8, st.caption*u),
		spacing: 1.25, width: c.qrSide, height: int(st.caption * u * 3), maxLines: 2})
	if err != nil {
		return c, err
	}
	for titleMax := st.titleMax * u; ; titleMax = max(titleMax*0.9, st.titleMin*u) {
		c.title, err = fit(spec.Title, fitSpec{font: fonts.bold, maxPx: titleMax, minPx: st.titleMin * u,
			spacing: 1.22, width: inner.Dx(), height: inner.Dy() - c.gap - c.qrBlock(), maxLines: 3})
		if err != nil {
			return c, err
		}
		bodyTop := inner.Min.Y + c.title.height() + c.gap
		c.body, err = fit(spec.Body, fitSpec{font: fonts.regular, maxPx: st.bodyMax * u, minPx: st.bodyMin * u,
			spacing: 1.38, width: inner.Dx() - c.qrSide - c.gap, height: inner.Max.Y - bodyTop, maxLines: 1000})
		if err != nil || !c.body.cut || titleMax <= st.titleMin*u {
			return c, err
		}
	}
}

// drawHotline fills band with amber and sets the hotline in bold dark
// text, centred: split into a label and a number half as large again when
// it reads "label: number" and that fits on one line, else fitted to at
// most two lines.
func drawHotline(dst *image.RGBA, band image.Rectangle, hotline string, fonts *fontSet, pad int) error {
	draw.Draw(dst, band, image.NewUniform(bandColour), image.Point{}, draw.Src)
	width := band.Dx() - 2*pad
	if label, number, ok := splitHotline(hotline); ok {
		drawn, err := drawLabelNumber(dst, band, label, number, fonts, width)
		if drawn || err != nil {
			return err
		}
	}
	b, err := hotlineBlock(hotline, fonts, width, band.Dy())
	if err != nil {
		return err
	}
	drawBlock(dst, b, band.Min.X+pad, band.Min.Y+(band.Dy()-b.height())/2, width, 0.5, bandText)
	return nil
}

// hotlineBlock fits the whole hotline in at most two lines of a band of
// the given inner width and height.
func hotlineBlock(hotline string, fonts *fontSet, width, height int) (block, error) {
	bh := float64(height)
	return fit(hotline, fitSpec{font: fonts.bold, maxPx: 0.45 * bh, minPx: 0.16 * bh, spacing: 1.15,
		width: width, height: int(0.82 * bh), maxLines: 2})
}

// splitHotline splits "Đường dây nóng: 111" at its last colon into the
// label (keeping the colon) and the number.
func splitHotline(s string) (label, number string, ok bool) {
	i := strings.LastIndex(s, ":")
	if i <= 0 {
		return "", "", false
	}
	label, number = strings.TrimSpace(s[:i+1]), strings.TrimSpace(s[i+1:])
	return label, number, number != ""
}

// drawLabelNumber draws label and number on one centred baseline, the
// number as large as fits up to 62% of the band height (the part people
// must read from across a room). It reports false, drawing nothing, when
// even 30% does not fit in width.
func drawLabelNumber(dst *image.RGBA, band image.Rectangle, label, number string, fonts *fontSet, width int) (bool, error) {
	bh := float64(band.Dy())
	for size := 0.62 * bh; size >= 0.3*bh; size *= 0.94 {
		lb, err := layout(label, fonts.bold, size*0.6, 1, 1<<20)
		if err != nil {
			return false, err
		}
		nb, err := layout(number, fonts.bold, size, 1, 1<<20)
		if err != nil {
			return false, err
		}
		space := int(size * 0.3)
		total := lb.width() + space + nb.width()
		if total > width {
			continue
		}
		capHeight := absInt(nb.face.Metrics().CapHeight.Round())
		baseline := band.Min.Y + (band.Dy()+capHeight)/2
		x := band.Min.X + (band.Dx()-total)/2
		drawLine(dst, lb.face, label, x, baseline, bandText)
		drawLine(dst, nb.face, number, x+lb.width()+space, baseline, bandText)
		return true, nil
	}
	return false, nil
}

// drawLine draws one line of text with its baseline starting at (x, y).
func drawLine(dst draw.Image, face font.Face, s string, x, y int, c color.Color) {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
