package media

import (
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"testing"

	"github.com/lantoa/lantoa/media/mediatest"
)

func TestInspectReadsOrientationInBothByteOrders(t *testing.T) {
	t.Parallel()
	plain := encodeJPEG(t, checker(40, 24))
	for _, big := range []bool{false, true} {
		for o := uint16(1); o <= 8; o++ {
			data := mediatest.WithEXIF(plain, mediatest.EXIF{BigEndian: big, Orientation: o, GPS: o%2 == 0})
			info, err := Inspect(data)
			if err != nil {
				t.Fatal(err)
			}
			w, h := 40, 24
			if o >= 5 {
				w, h = 24, 40
			}
			if info.Orientation != int(o) || info.Width != w || info.Height != h {
				t.Errorf("bigEndian=%v orientation %d: got %+v, want orientation %d, %d×%d", big, o, info, o, w, h)
			}
		}
	}
}

// TestOrientationParserSurvivesHostileInput feeds damaged EXIF segments;
// every one must read as orientation 1, without panicking.
func TestOrientationParserSurvivesHostileInput(t *testing.T) {
	t.Parallel()
	le := binary.LittleEndian
	ifd := func(count uint16, entries ...[]byte) []byte { // TIFF header + IFD0 at 8
		b := le.AppendUint16([]byte("II*\x00\x08\x00\x00\x00"), count)
		for _, e := range entries {
			b = append(b, e...)
		}
		return b
	}
	entry := func(tag, typ uint16, count uint32, value uint16) []byte {
		e := le.AppendUint32(le.AppendUint16(le.AppendUint16(nil, tag), typ), count)
		return append(le.AppendUint16(e, value), 0, 0)
	}
	tiffs := map[string][]byte{
		"empty":             {},
		"short header":      []byte("II*\x00\x08"),
		"bad byte order":    []byte("XX*\x00\x08\x00\x00\x00\x00\x00"),
		"ifd offset past":   []byte("MM\x00*\xff\xff\xff\xff"),
		"ifd offset inside": []byte("II*\x00\x02\x00\x00\x00"),
		"count lies":        ifd(0xFFFF, entry(0x0100, 3, 1, 5)),
		"truncated entry":   ifd(1, entry(0x0112, 3, 1, 6)[:7]),
		"wrong type":        ifd(1, entry(0x0112, 2, 1, 6)),
		"two values":        ifd(1, entry(0x0112, 3, 2, 6)),
		"zero":              ifd(1, entry(0x0112, 3, 1, 0)),
		"nine":              ifd(1, entry(0x0112, 3, 1, 9)),
	}
	for name, tiff := range tiffs {
		if got := tiffOrientation(tiff); got != 1 {
			t.Errorf("tiff %s: orientation %d, want 1", name, got)
		}
	}
	if got := tiffOrientation(ifd(2, entry(0x0100, 3, 1, 7), entry(0x0112, 3, 1, 7))); got != 7 {
		t.Fatalf("well-formed two-entry IFD: orientation %d, want 7", got)
	}
	app1 := func(payload []byte, declared int) []byte {
		b := []byte{0xFF, 0xD8, 0xFF, 0xE1}
		return append(binary.BigEndian.AppendUint16(b, uint16(declared)), payload...)
	}
	exif := append([]byte("Exif\x00\x00"), ifd(1, entry(0x0112, 3, 1, 6))...)
	jpegs := map[string][]byte{
		"no SOI":          []byte("Exif"),
		"SOI only":        {0xFF, 0xD8},
		"length past end": app1(exif, len(exif)+40),
		"length < 2":      app1(exif, 1),
		"not a marker":    {0xFF, 0xD8, 0x00, 0xE1, 0, 4, 0, 0},
		"after SOS":       append([]byte{0xFF, 0xD8, 0xFF, 0xDA, 0, 2}, app1(exif, len(exif)+2)[2:]...),
		"xmp not exif":    app1([]byte("http://ns.adobe.com/xap/1.0/\x00"), 31),
		"fill bytes only": {0xFF, 0xD8, 0xFF, 0xFF, 0xFF},
	}
	for name, data := range jpegs {
		if got := jpegOrientation(data); got != 1 {
			t.Errorf("jpeg %s: orientation %d, want 1", name, got)
		}
	}
	if got := jpegOrientation(append(app1(exif, len(exif)+2), 0xFF, 0xD9)); got != 6 {
		t.Fatalf("well-formed segment: orientation %d, want 6", got)
	}
}

// Quadrant colours of the upright test picture.
var (
	topLeft     = color.RGBA{230, 20, 20, 255}
	topRight    = color.RGBA{20, 200, 20, 255}
	bottomLeft  = color.RGBA{20, 20, 230, 255}
	bottomRight = color.RGBA{240, 240, 240, 255}
)

// upright is what every orientation test must display: 96×48, one colour
// per quadrant.
func upright() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 96, 48))
	for y := range 48 {
		for x := range 96 {
			c := [2][2]color.RGBA{{topLeft, topRight}, {bottomLeft, bottomRight}}[y/24][x/48]
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// stored returns how a camera stores the upright picture d under EXIF
// orientation o, written from the standard's definition of where the
// stored row 0 and column 0 belong, independently of the code under test.
func stored(d *image.RGBA, o int) *image.RGBA {
	W, H := d.Bounds().Dx(), d.Bounds().Dy()
	sw, sh := W, H
	if o >= 5 {
		sw, sh = H, W
	}
	s := image.NewRGBA(image.Rect(0, 0, sw, sh))
	for sy := range sh {
		for sx := range sw {
			p := [9][2]int{
				1: {sx, sy}, 2: {W - 1 - sx, sy}, 3: {W - 1 - sx, H - 1 - sy}, 4: {sx, H - 1 - sy},
				5: {sy, sx}, 6: {W - 1 - sy, sx}, 7: {W - 1 - sy, H - 1 - sx}, 8: {sy, H - 1 - sx},
			}[o]
			x, y := p[0], p[1]
			s.SetRGBA(sx, sy, d.RGBAAt(x, y))
		}
	}
	return s
}

func TestDecodeAppliesAllEightOrientations(t *testing.T) {
	t.Parallel()
	for o := 1; o <= 8; o++ {
		t.Run(fmt.Sprint(o), func(t *testing.T) {
			t.Parallel()
			data, err := mediatest.JPEG(stored(upright(), o), mediatest.EXIF{BigEndian: o%2 == 1, Orientation: uint16(o)})
			if err != nil {
				t.Fatal(err)
			}
			img, err := Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds().Size(); got != image.Pt(96, 48) {
				t.Fatalf("displayed size %v, want 96×48", got)
			}
			min := img.Bounds().Min
			for _, c := range []struct {
				x, y int
				want color.RGBA
			}{{12, 12, topLeft}, {84, 12, topRight}, {12, 36, bottomLeft}, {84, 36, bottomRight}} {
				if got := img.At(min.X+c.x, min.Y+c.y); !near(got, c.want) {
					t.Errorf("pixel (%d,%d) = %v, want %v", c.x, c.y, got, c.want)
				}
			}
		})
	}
}

// near reports whether c is within JPEG noise of want.
func near(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	d := func(a uint32, b uint8) int { return max(int(a>>8)-int(b), int(b)-int(a>>8)) }
	return d(r, want.R) < 40 && d(g, want.G) < 40 && d(b, want.B) < 40
}
