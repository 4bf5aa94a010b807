package plans

import (
	"archive/zip"
	"bytes"
	"net/http"
	"strings"
)

// Spreadsheet reports whether data may be a plan file, by content: an XLSX
// workbook (a zip with the parts of a workbook), an old Excel file or a
// workbook with a password (OLE: Check explains how to save it again), or
// text (CSV, in any encoding: Check reads UTF-8 and explains the rest). A
// damaged zip counts, so that Check says it cannot be read. Images, PDFs,
// word-processor documents, OpenDocument files and other binary files do
// not: the import refuses them (415) without reading them as a plan.
func Spreadsheet(data []byte) bool {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return workbookZip(data)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return true
	}
	// DetectContentType reads at most 512 bytes; text/plain covers UTF-8,
	// UTF-16 with a byte order mark and legacy 8-bit encodings alike.
	return strings.HasPrefix(http.DetectContentType(data), "text/")
}

// workbookZip reports whether a zip holds a workbook: its parts are under
// xl/. A zip whose directory cannot be read is left to Check.
func workbookZip(data []byte) bool {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return true
	}
	for _, f := range z.File {
		if strings.HasPrefix(f.Name, "xl/") {
			return true
		}
	}
	return false
}
