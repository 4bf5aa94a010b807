package media

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// fontSet is DejaVu Sans and DejaVu Sans Bold, which cover every
// precomposed Vietnamese letter. A parsed *opentype.Font is immutable and
// safe to share; font.Face values are not, so each goroutine makes its own.
type fontSet struct {
	regular, bold *opentype.Font
}

// loadFonts parses the embedded fonts once per process: they are constant
// data, so caching them is not shared mutable state.
var loadFonts = sync.OnceValues(func() (*fontSet, error) {
	regular, err := opentype.Parse(dejavusans.TTF)
	if err != nil {
		return nil, fmt.Errorf("media: parse DejaVu Sans: %w", err)
	}
	bold, err := opentype.Parse(dejavusansbold.TTF)
	if err != nil {
		return nil, fmt.Errorf("media: parse DejaVu Sans Bold: %w", err)
	}
	return &fontSet{regular: regular, bold: bold}, nil
})

// ellipsis ends a line that had to be cut short.
const ellipsis = "…"

// block is text laid out in lines at one size, ready to draw.
type block struct {
	face    font.Face
	lines   []string
	lineH   int  // pixels between baselines
	ascent  int  // block top to the first baseline: ink of the tallest mark
	descent int  // last baseline to the block bottom
	cut     bool // the text did not fit even at the smallest size
}

// height is the block's extent from the top of its first line's ink to the
// bottom of its last line's descenders; 0 for no lines.
func (b block) height() int {
	if len(b.lines) == 0 {
		return 0
	}
	return b.ascent + (len(b.lines)-1)*b.lineH + b.descent
}

// width is the advance of the block's widest line.
func (b block) width() int {
	w := fixed.Int26_6(0)
	for _, l := range b.lines {
		w = max(w, font.MeasureString(b.face, l))
	}
	return w.Ceil()
}

// fitSpec says how a piece of text may be laid out.
type fitSpec struct {
	font          *opentype.Font
	maxPx, minPx  float64 // largest and smallest font size tried, in pixels
	spacing       float64 // baseline distance as a multiple of the size
	width, height int     // the box
	maxLines      int
}

// fit lays text out at the largest size from maxPx down to minPx whose
// word-wrapped lines number at most maxLines and fit the box. If even minPx
// is too big it keeps the lines that fit at minPx and ends the last one
// with an ellipsis, so text never overflows its box.
func fit(text string, s fitSpec) (block, error) {
	minPx := max(s.minPx, 1)
	for px := s.maxPx; ; px *= 0.94 {
		px = max(px, minPx)
		b, err := layout(text, s.font, px, s.spacing, s.width)
		if err != nil {
			return block{}, err
		}
		if len(b.lines) <= s.maxLines && b.height() <= s.height {
			return b, nil
		}
		if px <= minPx {
			return truncate(b, s), nil
		}
	}
}

// layout wraps text at width with a face of px pixels.
func layout(text string, f *opentype.Font, px, spacing float64, width int) (block, error) {
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return block{}, fmt.Errorf("media: font face at %.1f px: %w", px, err)
	}
	b := block{face: face, lineH: int(px*spacing + 0.5), lines: wrap(face, text, fixed.I(width))}
	if len(b.lines) > 0 {
		b.ascent = inkAbove(face, b.lines[0], px)
		b.descent = inkBelow(face, b.lines[len(b.lines)-1], px)
	}
	return b, nil
}

// inkAbove is how far the line's glyphs reach above the baseline, at least
// 0.8 em so short lowercase lines still get room for a diacritic.
func inkAbove(face font.Face, line string, px float64) int {
	bounds, _ := font.BoundString(face, line)
	return max(-bounds.Min.Y.Floor(), int(0.8*px+0.5))
}

// inkBelow is how far the line's glyphs reach below the baseline, at least
// 0.1 em so dots below (ạ, ự) are never clipped.
func inkBelow(face font.Face, line string, px float64) int {
	bounds, _ := font.BoundString(face, line)
	return max(bounds.Max.Y.Ceil(), int(0.1*px+0.5))
}

// truncate keeps the lines of b that fit s and marks the cut with an
// ellipsis. A single line taller than the box is kept whole (drawing clips
// it).
func truncate(b block, s fitSpec) block {
	if len(b.lines) == 0 {
		return b
	}
	b.cut = true
	keep := max(1, min(len(b.lines), s.maxLines))
	for keep > 1 && b.ascent+(keep-1)*b.lineH+b.descent > s.height {
		keep--
	}
	if keep == len(b.lines) {
		return b
	}
	last := b.lines[keep-1]
	for last != "" && font.MeasureString(b.face, last+ellipsis) > fixed.I(s.width) {
		_, n := utf8.DecodeLastRuneInString(last)
		last = last[:len(last)-n]
	}
	b.lines = append(b.lines[:keep-1:keep-1], strings.TrimSpace(last)+ellipsis)
	return b
}

// wrap breaks text into lines no wider than width, at spaces, keeping the
// text's own line breaks. A word wider than the whole line is broken
// between letters rather than allowed to overflow.
func wrap(face font.Face, text string, width fixed.Int26_6) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			switch {
			case line == "":
			case font.MeasureString(face, line+" "+word) <= width:
				line += " " + word
				continue
			default:
				lines = append(lines, line)
			}
			var pieces []string
			pieces, line = breakWord(face, word, width)
			lines = append(lines, pieces...)
		}
		switch {
		case line != "":
			lines = append(lines, line)
		case len(lines) > 0 && lines[len(lines)-1] != "":
			lines = append(lines, "") // one blank line between paragraphs
		}
	}
	return lines
}

// breakWord splits a word too wide for a line into full-width pieces and
// returns them with the remainder, which starts the next line.
func breakWord(face font.Face, word string, width fixed.Int26_6) (full []string, rest string) {
	for font.MeasureString(face, word) > width {
		cut := 0
		for i := range word {
			if i > 0 && font.MeasureString(face, word[:i]) > width {
				break
			}
			cut = i
		}
		if cut == 0 {
			_, cut = utf8.DecodeRuneInString(word)
		}
		full, word = append(full, word[:cut]), word[cut:]
	}
	return full, word
}

// drawBlock draws b with its top-left corner at (x, top), each line
// aligned by align (0 left, 0.5 centred) within width. Drawing goes through
// clip, so nothing can spill outside the box it was laid out for.
func drawBlock(clip draw.Image, b block, x, top, width int, align float64, c color.Color) {
	d := font.Drawer{Dst: clip, Src: image.NewUniform(c), Face: b.face}
	for i, line := range b.lines {
		w := font.MeasureString(b.face, line).Ceil()
		left := x + int(float64(width-w)*align)
		d.Dot = fixed.P(left, top+b.ascent+i*b.lineH)
		d.DrawString(line)
	}
}
