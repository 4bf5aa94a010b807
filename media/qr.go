package media

import (
	"fmt"
	"image"
	"image/draw"

	"github.com/skip2/go-qrcode"
)

// qrMatrix encodes url as a QR code with high error correction (30% of the
// code can be smudged, folded or torn and it still scans). The matrix
// includes the standard quiet zone of four light modules on every side.
func qrMatrix(url string) ([][]bool, error) {
	q, err := qrcode.New(url, qrcode.High)
	if err != nil {
		return nil, fmt.Errorf("media: encode QR code: %w", err)
	}
	q.DisableBorder = false
	return q.Bitmap(), nil
}

// drawQR fills box with white and draws the matrix centred in it in black,
// every module the same whole number of pixels so that edges stay sharp
// and scanners see a regular grid. Leftover pixels widen the quiet zone.
func drawQR(dst draw.Image, box image.Rectangle, m [][]bool) {
	draw.Draw(dst, box, image.White, image.Point{}, draw.Src)
	n := len(m)
	if n == 0 {
		return
	}
	module := max(1, min(box.Dx(), box.Dy())/n)
	origin := box.Min.Add(image.Pt((box.Dx()-module*n)/2, (box.Dy()-module*n)/2))
	for y, row := range m {
		for x, dark := range row {
			if dark {
				at := origin.Add(image.Pt(x*module, y*module))
				draw.Draw(dst, image.Rectangle{Min: at, Max: at.Add(image.Pt(module, module))}, image.Black, image.Point{}, draw.Src)
			}
		}
	}
}
