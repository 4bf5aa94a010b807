package media

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// Tiny WebP files made once with ImageMagick and kept as hex so the tests
// need no binary fixtures: a 3×2 lossless (VP8L) red image and a 16×8 lossy
// (VP8) red-to-blue gradient.
var (
	webpLossless = mustHex("524946461c000000574542505650384c0f0000002f024000000710fd8ffe0722a2ff0100")
	webpLossy    = mustHex("524946464800000057454250565038203c0000003002009d012a1000080002804225a802746b80fe0005bb59798800fef2c33a6331bfd23c06d5f71e24be7ffece07f1d7ffc713fbfee22f66d1000000")
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// checker returns a w×h image of 8-pixel squares, cheap to encode.
func checker(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := uint8(60)
			if (x/8+y/8)%2 == 0 {
				v = 200
			}
			img.Set(x, y, color.RGBA{v, v / 2, 255 - v, 255})
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngHeaderOnly is a PNG signature and IHDR chunk (with a correct CRC)
// declaring w×h 8-bit RGBA, and nothing after it: no pixel data at all.
func pngHeaderOnly(w, h uint32) []byte {
	ihdr := make([]byte, 0, 25)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 13)
	ihdr = append(ihdr, "IHDR"...)
	ihdr = binary.BigEndian.AppendUint32(ihdr, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	ihdr = binary.BigEndian.AppendUint32(ihdr, crc32.ChecksumIEEE(ihdr[4:]))
	return append([]byte("\x89PNG\r\n\x1a\n"), ihdr...)
}

// pngHeaderAndStub is pngHeaderOnly followed by an IDAT chunk holding a
// few compressed bytes of the first row: enough for a decoder that skipped
// the pixel check to allocate the whole w×h image before failing.
func pngHeaderAndStub(t testing.TB, w, h uint32) []byte {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	if _, err := zw.Write(make([]byte, 64)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	chunk := binary.BigEndian.AppendUint32(nil, uint32(z.Len()))
	chunk = append(append(chunk, "IDAT"...), z.Bytes()...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	return append(pngHeaderOnly(w, h), chunk...)
}

// jpegHeaderOnly is SOI, a baseline SOF0 segment declaring w×h with three
// components and the first bytes of a start-of-scan marker, with no tables
// and no scan data.
func jpegHeaderOnly(w, h uint16) []byte {
	b := []byte{0xFF, 0xD8, 0xFF, 0xC0, 0, 17, 8}
	b = binary.BigEndian.AppendUint16(b, h)
	b = binary.BigEndian.AppendUint16(b, w)
	return append(b, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xDA, 0, 12)
}

// segments lists the markers of a JPEG's segments before its image data.
func segments(t testing.TB, data []byte) []byte {
	t.Helper()
	var markers []byte
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			t.Fatalf("no marker at offset %d", i)
		}
		m := data[i+1]
		markers = append(markers, m)
		if m == 0xDA {
			break
		}
		i += 2 + int(binary.BigEndian.Uint16(data[i+2:]))
	}
	return markers
}
