package web_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/edge"
)

// countingWriter is a ResponseWriter that keeps the status, the headers and
// the number of body bytes.
type countingWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *countingWriter) Header() http.Header { return w.h }
func (w *countingWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
}
func (w *countingWriter) Write(p []byte) (int, error) {
	w.WriteHeader(200)
	w.n += len(p)
	return len(p), nil
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// BenchmarkCompression serves the busy month's calendar page and the
// campaigns JSON list through the whole service in process, plain and in
// each coding, and reports the bytes sent and saved and the CPU time per
// response (the service's, rendering included: the coding's cost is the
// difference from "identity"). It logs the weights of the calendar page and
// of the largest stylesheet and script, plain and at the static files'
// levels.
func BenchmarkCompression(b *testing.B) {
	e := apptest.New(b)
	busyMonth(b, e)
	editor := e.User(accounts.RoleEditor, "lien-minh")
	for _, target := range []struct{ name, path string }{
		{"calendar-page", "/calendar?month=2026-11"}, {"campaigns-json", "/api/v1/campaigns"},
	} {
		plain := 0
		for _, coding := range []string{edge.Identity, edge.Gzip, edge.Brotli, edge.Zstd} {
			b.Run(target.name+"/"+coding, func(b *testing.B) {
				req := httptest.NewRequest(http.MethodGet, target.path, nil)
				req.Header.Set("Accept-Encoding", coding)
				req.Header.Set("Authorization", "Bearer "+editor)
				req.AddCookie(&http.Cookie{Name: edge.SessionCookie, Value: editor})
				w := &countingWriter{h: http.Header{}}
				cpu := cpuTime()
				for b.Loop() {
					clear(w.h)
					w.status, w.n = 0, 0
					e.App.Handler.ServeHTTP(w, req)
					if w.status != 200 || (coding != edge.Identity) != (w.h.Get("Content-Encoding") == coding) {
						b.Fatalf("status %d, Content-Encoding %q", w.status, w.h.Get("Content-Encoding"))
					}
				}
				if coding == edge.Identity {
					plain = w.n
				}
				b.ReportMetric(float64(w.n), "B/resp")
				b.ReportMetric(float64(plain-w.n), "saved-B/resp")
				b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/resp")
			})
		}
	}
	logWeights(e, editor)
}

// logWeights logs the calendar page's weight plain, gzip and brotli (at the
// levels of edge.Compress) and each stylesheet and script (at the static
// levels, as served).
func logWeights(e *apptest.Env, editor string) {
	req := httptest.NewRequest(http.MethodGet, "/calendar?month=2026-11", nil)
	req.AddCookie(&http.Cookie{Name: edge.SessionCookie, Value: editor})
	rec := httptest.NewRecorder()
	e.App.Handler.ServeHTTP(rec, req)
	page := rec.Body.Bytes()
	gz, br := codedLen(edge.Gzip, edge.GzipLevel, page), codedLen(edge.Brotli, edge.BrotliLevel, page)
	fmt.Printf("calendar page (busy month): %d B plain, %d B gzip-%d, %d B br-%d\n", len(page), gz, edge.GzipLevel, br, edge.BrotliLevel)
	files, _ := filepath.Glob("static/*.[cj]s*")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %d B plain, %d B gzip-%d, %d B br-%d, %d B zstd\n", name, len(data),
			len(edge.CompressStatic(edge.Gzip, data)), edge.StaticGzipLevel, len(edge.CompressStatic(edge.Brotli, data)),
			edge.StaticBrotliLevel, len(edge.CompressStatic(edge.Zstd, data)))
	}
}

// codedLen is the length of data compressed at a level.
func codedLen(coding string, level int, data []byte) int {
	var buf bytes.Buffer
	encoderAt(coding, level)(&buf, data)
	return buf.Len()
}

// BenchmarkCompressionLevels compresses the busy month's calendar page at
// each level of each coding with one reused encoder, as edge.Compress's
// pools do, and reports the CPU time per response: the figures behind
// edge.GzipLevel, BrotliLevel and ZstdLevel.
func BenchmarkCompressionLevels(b *testing.B) {
	e := apptest.New(b)
	busyMonth(b, e)
	req := httptest.NewRequest(http.MethodGet, "/calendar?month=2026-11", nil)
	req.AddCookie(&http.Cookie{Name: edge.SessionCookie, Value: e.User(accounts.RoleEditor, "lien-minh")})
	rec := httptest.NewRecorder()
	e.App.Handler.ServeHTTP(rec, req)
	page := rec.Body.Bytes()
	levels := map[string][]int{edge.Gzip: {1, 2, 3, 4, 5, 6, 9}, edge.Brotli: {0, 1, 2, 3, 4, 5, 6},
		edge.Zstd: {int(zstd.SpeedFastest), int(zstd.SpeedDefault), int(zstd.SpeedBetterCompression)}}
	for _, coding := range []string{edge.Gzip, edge.Brotli, edge.Zstd} {
		for _, level := range levels[coding] {
			b.Run(fmt.Sprintf("%s-%d", coding, level), func(b *testing.B) {
				var buf bytes.Buffer
				encode := encoderAt(coding, level)
				cpu := cpuTime()
				for b.Loop() {
					buf.Reset()
					encode(&buf, page)
				}
				b.ReportMetric(float64(buf.Len()), "B/resp")
				b.ReportMetric(float64(len(page)), "plain-B")
				b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/resp")
			})
		}
	}
}

// encoderAt returns a function that compresses with one reused encoder.
func encoderAt(coding string, level int) func(*bytes.Buffer, []byte) {
	switch coding {
	case edge.Gzip:
		w, _ := gzip.NewWriterLevel(io.Discard, level)
		return func(buf *bytes.Buffer, data []byte) { w.Reset(buf); _, _ = w.Write(data); _ = w.Close() }
	case edge.Brotli:
		w := brotli.NewWriterLevel(io.Discard, level)
		return func(buf *bytes.Buffer, data []byte) { w.Reset(buf); _, _ = w.Write(data); _ = w.Close() }
	}
	enc, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.EncoderLevel(level)), zstd.WithEncoderConcurrency(1))
	return func(buf *bytes.Buffer, data []byte) { buf.Write(enc.EncodeAll(data, buf.AvailableBuffer())) }
}
