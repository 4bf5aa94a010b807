package mediatest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/jpeg"
)

// byteOrder reads and appends in one TIFF byte order.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// EXIF describes the APP1 segment WithEXIF builds.
type EXIF struct {
	// BigEndian selects the "MM" (Motorola) byte order; the default is
	// "II" (Intel, little-endian).
	BigEndian bool
	// Orientation is written when 1–8; 0 leaves the tag out.
	Orientation uint16
	// GPS adds a GPS IFD (latitude and longitude of Hà Nội), the kind of
	// private data that must never reach a published variant.
	GPS bool
}

// TIFF tag numbers and types (EXIF 2.32).
const (
	tagMake        = 0x010F
	tagOrientation = 0x0112
	tagGPSIFD      = 0x8825
	tagGPSLatRef   = 0x0001
	tagGPSLat      = 0x0002
	tagGPSLonRef   = 0x0003
	tagGPSLon      = 0x0004
	typeASCII      = 2
	typeShort      = 3
	typeLong       = 4
	typeRational   = 5
)

// JPEG encodes img as a quality-95 JPEG with an EXIF segment described by
// e inserted right after the start-of-image marker, where cameras put it.
func JPEG(img image.Image, e EXIF) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		return nil, fmt.Errorf("mediatest: encode: %w", err)
	}
	return WithEXIF(buf.Bytes(), e), nil
}

// WithEXIF returns a copy of the JPEG data with an "Exif" APP1 segment
// holding e inserted after the SOI marker.
func WithEXIF(data []byte, e EXIF) []byte {
	t := tiff(e)
	app1 := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(app1[2:], uint16(2+6+len(t)))
	app1 = append(append(app1, "Exif\x00\x00"...), t...)
	out := append([]byte{}, data[:2]...)
	return append(append(out, app1...), data[2:]...)
}

// tiff returns the TIFF structure of an EXIF segment: header, IFD0 with
// Make, Orientation (if set) and a GPS IFD pointer (if e.GPS), then the
// GPS IFD.
func tiff(e EXIF) []byte {
	var o byteOrder = binary.LittleEndian
	if e.BigEndian {
		o = binary.BigEndian
	}
	var ifd0 [][3]uint32 // tag, type, value (count is 1, or len for Make)
	ifd0 = append(ifd0, [3]uint32{tagMake, typeASCII, 0})
	if e.Orientation != 0 {
		ifd0 = append(ifd0, [3]uint32{tagOrientation, typeShort, uint32(e.Orientation)})
	}
	if e.GPS {
		ifd0 = append(ifd0, [3]uint32{tagGPSIFD, typeLong, 0})
	}
	const maker = "LanToaCam\x00"
	ifd0End := 8 + 2 + 12*len(ifd0) + 4
	makeAt, gpsAt := ifd0End, ifd0End+len(maker)
	t := make([]byte, 8, 256)
	if e.BigEndian {
		copy(t, "MM\x00*")
	} else {
		copy(t, "II*\x00")
	}
	o.PutUint32(t[4:], 8)
	t = o.AppendUint16(t, uint16(len(ifd0)))
	for _, f := range ifd0 {
		t = o.AppendUint16(t, uint16(f[0]))
		t = o.AppendUint16(t, uint16(f[1]))
		switch f[0] {
		case tagMake:
			t = o.AppendUint32(o.AppendUint32(t, uint32(len(maker))), uint32(makeAt))
		case tagOrientation:
			t = o.AppendUint16(o.AppendUint32(t, 1), uint16(f[2]))
			t = append(t, 0, 0)
		case tagGPSIFD:
			t = o.AppendUint32(o.AppendUint32(t, 1), uint32(gpsAt))
		}
	}
	t = append(o.AppendUint32(t, 0), maker...)
	if e.GPS {
		t = appendGPS(t, o)
	}
	return t
}

// appendGPS appends a GPS IFD at the end of t: 21°01'42"N 105°51'15"E.
func appendGPS(t []byte, o byteOrder) []byte {
	start := len(t)
	rationals := start + 2 + 4*12 + 4
	t = o.AppendUint16(t, 4)
	entry := func(tag, typ uint16, count, value uint32) {
		t = o.AppendUint32(o.AppendUint32(o.AppendUint16(o.AppendUint16(t, tag), typ), count), value)
	}
	ref := func(c byte) uint32 { // two ASCII bytes stored in the value field
		return o.Uint32([]byte{c, 0, 0, 0})
	}
	entry(tagGPSLatRef, typeASCII, 2, ref('N'))
	entry(tagGPSLat, typeRational, 3, uint32(rationals))
	entry(tagGPSLonRef, typeASCII, 2, ref('E'))
	entry(tagGPSLon, typeRational, 3, uint32(rationals+24))
	t = o.AppendUint32(t, 0)
	for _, v := range [][2]uint32{{21, 1}, {1, 1}, {42, 1}, {105, 1}, {51, 1}, {15, 1}} {
		t = o.AppendUint32(o.AppendUint32(t, v[0]), v[1])
	}
	return t
}
