package store

import (
	"bytes"
	"testing"
)

// FuzzReadArchive feeds arbitrary bytes to the archive reader that `lantoa
// import` uses before writing anything: it must never panic or accept an
// archive whose manifest, counts and checksums do not hold.
func FuzzReadArchive(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x1f, 0x8b, 0x08, 0x00})
	f.Add([]byte("manifest.json"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, files, err := readArchive(bytes.NewReader(raw))
		if err != nil {
			return
		}
		if m.Format != ArchiveFormat {
			t.Fatalf("accepted format %q", m.Format)
		}
		for _, c := range m.Collections {
			if _, ok := files[c.File]; !ok && c.Documents > 0 {
				t.Fatalf("accepted a manifest naming a missing file %s", c.File)
			}
		}
	})
}
