// Command archive writes large hostile (and one valid) `lantoa import`
// archives, to measure what reading them costs (bench/archive/run.sh runs
// `lantoa import` on each under GNU time). Every archive is written as a
// stream: the generator itself holds one document at a time.
//
//	go run ./bench/archive -kind huge-lines -size 1GiB -out /var/tmp/a.tar.gz
package main

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/lantoa/lantoa/store"
)

// kinds: what each archive holds and how it is refused.
var kinds = map[string]string{
	"huge-entry":    "one 1 GiB file of one document without a line break (refused after one line's limit)",
	"huge-lines":    "a gzip bomb: 1 GiB of 15 MiB reach events that pass every check, compressed to about 1 MB; the count is off by one, refused at the end",
	"many-docs":     "1 GiB of small valid reach events (about 4.5 million); the count is off by one, refused at the end",
	"many-entries":  "1,000 collections reach_weeks_<YYYY> of 1 MiB each; the last checksum is wrong, refused at the end",
	"valid-chunks":  "a valid archive: 1 GiB of GridFS chunks (255 KiB each) and their file documents",
	"random-chunks": "1 GiB of GridFS chunks of random bytes (the archive itself is about 1 GB: nothing compresses); the count is off by one, refused at the end",
}

func main() {
	kind := flag.String("kind", "", "one of: huge-entry, huge-lines, many-docs, many-entries, valid-chunks")
	size := flag.Int64("size", 1<<30, "bytes of collection files, about")
	out := flag.String("out", "", "the archive to write")
	flag.Parse()
	if _, ok := kinds[*kind]; !ok || *out == "" {
		for k, v := range kinds {
			fmt.Fprintf(os.Stderr, "  %-13s %s\n", k, v)
		}
		os.Exit(2)
	}
	if err := write(*kind, *size, *out); err != nil {
		fmt.Fprintln(os.Stderr, "archive:", err)
		os.Exit(1)
	}
}

// file is one collection file, produced twice by gen (once to hash it,
// once to write it), so it never exists whole.
type file struct {
	name  string
	count int64 // documents declared
	gen   func(w io.Writer) (int64, error)
	bad   bool // declare a wrong checksum
}

func write(kind string, size int64, out string) error {
	files := plan(kind, size)
	m := store.Manifest{Format: store.ArchiveFormat, CreatedAt: time.Now().UTC(), Database: "lantoa"}
	for _, f := range files {
		h := sha256.New()
		n, err := f.gen(h)
		if err != nil {
			return err
		}
		sum := hex.EncodeToString(h.Sum(nil))
		if f.bad {
			sum = strings.Repeat("0", 64)
		}
		m.Collections = append(m.Collections, store.CollectionFile{Name: f.name, File: f.name + ".jsonl",
			Documents: f.count, SHA256: sum, Bytes: n})
	}
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	defer o.Close()
	bw := bufio.NewWriterSize(o, 1<<20)
	gz, _ := gzip.NewWriterLevel(bw, gzip.BestSpeed)
	tw := tar.NewWriter(gz)
	raw, _ := json.Marshal(m)
	if err := entry(tw, "manifest.json", int64(len(raw)), func(w io.Writer) (int64, error) {
		n, err := w.Write(raw)
		return int64(n), err
	}); err != nil {
		return err
	}
	for i, f := range files {
		if err := entry(tw, f.name+".jsonl", m.Collections[i].Bytes, f.gen); err != nil {
			return err
		}
	}
	for _, c := range []io.Closer{tw, gz} {
		if err := c.Close(); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func entry(tw *tar.Writer, name string, size int64, gen func(io.Writer) (int64, error)) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: time.Now()}); err != nil {
		return err
	}
	_, err := gen(tw)
	return err
}

// plan lists the collection files of an archive kind.
func plan(kind string, size int64) []file {
	switch kind {
	case "huge-entry":
		return []file{{name: "reach_events", count: 1, gen: func(w io.Writer) (int64, error) {
			return repeat(w, size, func(int64) string { return strings.Repeat("a", 1<<20) })
		}}}
	case "huge-lines":
		village := strings.Repeat("Thôn Đông ", 15<<20/len("Thôn Đông ")) // 15 MiB: a valid document under MongoDB's 16 MiB
		return lines("reach_events", size, 1, func(i int64) string { return event(i, village) })
	case "many-docs":
		return lines("reach_events", size, 1, func(i int64) string { return event(i, "Thôn Đông") })
	case "many-entries":
		var out []file
		per := size / 1000
		for y := range 1000 {
			f := lines(fmt.Sprintf("reach_weeks_%04d", 2000+y), per, 0, func(i int64) string {
				return fmt.Sprintf(`{"_id":"w|lien-minh|c|%d|%d","d":{"2026-11-16":{"loudspeaker":{"airings":{"$numberLong":"%d"}}}}}`, y, i, i%7)
			})[0]
			f.bad = y == 999
			out = append(out, f)
		}
		return out
	case "valid-chunks":
		return chunks(size, false)
	case "random-chunks":
		return chunks(size, true)
	}
	return nil
}

// lines is one collection file of documents doc(0), doc(1)… up to about
// size bytes; the manifest declares extra documents more than it holds.
func lines(name string, size, extra int64, doc func(int64) string) []file {
	count := int64(0)
	for n := int64(0); n < size; count++ {
		n += int64(len(doc(count))) + 1
	}
	return []file{{name: name, count: count + extra, gen: func(w io.Writer) (int64, error) {
		var total int64
		for i := range count {
			n, err := io.WriteString(w, doc(i)+"\n")
			if total += int64(n); err != nil {
				return total, err
			}
		}
		return total, nil
	}}}
}

func repeat(w io.Writer, size int64, piece func(int64) string) (int64, error) {
	var total int64
	for i := int64(0); total < size; i++ {
		n, err := io.WriteString(w, piece(i))
		if total += int64(n); err != nil {
			return total, err
		}
	}
	return total, nil
}

func event(i int64, village string) string {
	return fmt.Sprintf(`{"_id":"ev-%d","commune_id":"lien-minh","campaign_id":"lien-minh-gbv-month-2026","channel":"loudspeaker",`+
		`"metric":"airings","value":{"$numberLong":"1"},"village":%q,"day":"2026-11-%02d","source":"airing",`+
		`"at":{"$date":{"$numberLong":"1795000000000"}},"applied":true}`, i, village, 16+i%14)
}

// chunks is a GridFS of files of 64 chunks of 255 KiB each: valid, or
// of random bytes with one chunk more declared than there are.
func chunks(size int64, random bool) []file {
	const chunk = 255 << 10
	n := size / chunk
	nfiles := (n + 63) / 64
	data := make([]byte, chunk)
	for i := range data {
		data[i] = byte(i*7 + i/255)
	}
	b64 := base64.StdEncoding.EncodeToString(data)
	extra := int64(0)
	if random {
		extra = 1
	}
	return []file{
		{name: "fs.chunks", count: n + extra, gen: func(w io.Writer) (int64, error) {
			var total int64
			for i := range n {
				if random { // the same bytes both times: seeded by the chunk
					var seed [32]byte
					binary.LittleEndian.PutUint64(seed[:], uint64(i))
					rand.NewChaCha8(seed).Read(data)
					b64 = base64.StdEncoding.EncodeToString(data)
				}
				s := fmt.Sprintf(`{"_id":{"$oid":"%024x"},"files_id":"upload-%d","n":{"$numberInt":"%d"},"data":{"$binary":{"base64":"%s","subType":"00"}}}`+"\n",
					i+1, i/64, i%64, b64)
				k, err := io.WriteString(w, s)
				if total += int64(k); err != nil {
					return total, err
				}
			}
			return total, nil
		}},
		{name: "fs.files", count: nfiles, gen: func(w io.Writer) (int64, error) {
			var total int64
			for f := range nfiles {
				length := min(64, n-f*64) * chunk
				k, err := fmt.Fprintf(w, `{"_id":"upload-%d","length":{"$numberLong":"%d"},"chunkSize":{"$numberInt":"%d"},`+
					`"uploadDate":{"$date":{"$numberLong":"1795000000000"}},"filename":"anh-%d.jpg"}`+"\n", f, length, chunk, f)
				if total += int64(k); err != nil {
					return total, err
				}
			}
			return total, nil
		}},
	}
}
