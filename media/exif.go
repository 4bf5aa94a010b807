package media

import (
	"bytes"
	"encoding/binary"
)

// EXIF tag and type numbers used below (EXIF 2.32, §4.6).
const (
	tagOrientation = 0x0112
	typeShort      = 3
	typeLong       = 4
)

// jpegOrientation returns the EXIF orientation (1–8) stored in the first
// "Exif" APP1 segment of a JPEG, or 1 when there is none or it is damaged.
// It walks only the marker segments before the image data, checks every
// offset against the slice bounds and never panics, whatever data holds.
func jpegOrientation(data []byte) int {
	if len(data) < 2 || data[0] != 0xFF || data[1] != 0xD8 {
		return 1
	}
	for i := 2; i+2 <= len(data); {
		if data[i] != 0xFF {
			return 1 // not at a marker: the stream is damaged
		}
		marker := data[i+1]
		switch {
		case marker == 0xFF: // fill byte before a marker
			i++
			continue
		case marker == 0x01, marker == 0xD8, marker >= 0xD0 && marker <= 0xD7:
			i += 2 // markers without a length
			continue
		case marker == 0xDA, marker == 0xD9:
			return 1 // image data or end of image: no EXIF before it
		}
		if i+4 > len(data) {
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		segment := data[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(segment, []byte("Exif\x00\x00")) {
			return tiffOrientation(segment[6:])
		}
		i += 2 + n
	}
	return 1
}

// tiffOrientation reads the Orientation tag from IFD0 of a TIFF structure
// in either byte order, returning 1 when absent, malformed or out of range.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		order = binary.LittleEndian
	case "MM\x00*":
		order = binary.BigEndian
	default:
		return 1
	}
	ifd := uint64(order.Uint32(t[4:8]))
	if ifd < 8 || ifd+2 > uint64(len(t)) {
		return 1
	}
	count := int(order.Uint16(t[ifd:]))
	entries := t[ifd+2:]
	for k := 0; k < count && (k+1)*12 <= len(entries); k++ {
		e := entries[k*12 : (k+1)*12]
		if order.Uint16(e) != tagOrientation {
			continue
		}
		var v uint32
		switch order.Uint16(e[2:]) {
		case typeShort:
			v = uint32(order.Uint16(e[8:]))
		case typeLong: // not what the standard says, but some writers do it
			v = order.Uint32(e[8:])
		default:
			return 1
		}
		if order.Uint32(e[4:]) != 1 || v < 1 || v > 8 {
			return 1
		}
		return int(v)
	}
	return 1
}
