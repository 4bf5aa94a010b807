package edge_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/edge"
)

// csvRows is a compressible body of n lines.
func csvRows(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		b.WriteString("2026-11-21;Thôn Đông;loa;06:00;đã phát;" + strings.Repeat("x", i%7) + "\n")
	}
	return b.Bytes()
}

// compressServer serves the cases edge.Compress must stream or leave alone.
func compressServer(t *testing.T, release <-chan struct{}) *httptest.Server {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(edge.Compress(func(*gin.Context) bool { return false }))
	rows := csvRows(200)
	r.GET("/stream", func(c *gin.Context) { // an export that flushes as it goes
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Cache-Control", "private, no-store")
		c.Status(http.StatusOK)
		_, _ = c.Writer.Write(rows)
		c.Writer.Flush()
		<-release // the client has read the first part before the rest exists
		_, _ = c.Writer.Write(rows)
	})
	r.GET("/big", func(c *gin.Context) { // longer than what is held back
		c.Header("Content-Type", "text/csv")
		for range 40 {
			_, _ = c.Writer.Write(csvRows(1000))
		}
	})
	r.GET("/coded", func(c *gin.Context) { // compressed by its handler already
		c.Header("Content-Encoding", "gzip")
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		_, _ = zw.Write(rows)
		_ = zw.Close()
		c.Data(http.StatusOK, "text/csv", z.Bytes())
	})
	r.GET("/partial", func(c *gin.Context) {
		c.Header("Content-Range", "bytes 0-4999/20000")
		c.Data(http.StatusPartialContent, "text/csv", rows[:5000])
	})
	r.GET("/audio.mp3", func(c *gin.Context) {
		c.Data(http.StatusOK, "audio/mpeg", bytes.Repeat([]byte{0xff, 0xfb, 0x90, 0x64}, 4000))
	})
	r.GET("/empty", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv
}

func getRaw(t *testing.T, url, accept string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept-Encoding", accept)
	res, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// TestCompressStreams: a handler that flushes streams, coded, its first
// part readable before the handler writes the rest; a body longer than
// what is held back streams too.
func TestCompressStreams(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := compressServer(t, release)
	res := getRaw(t, srv.URL+"/stream", "gzip")
	if res.Header.Get("Content-Encoding") != "gzip" || res.ContentLength != -1 || res.Header.Get("ETag") != "" ||
		res.Header.Get("Vary") != "Accept-Encoding" {
		close(release)
		t.Fatalf("stream headers: %v, length %d", res.Header, res.ContentLength)
	}
	zr, err := gzip.NewReader(bufio.NewReader(res.Body))
	if err != nil {
		close(release)
		t.Fatal(err)
	}
	rows := csvRows(200)
	first := make([]byte, len(rows))
	if _, err := io.ReadFull(zr, first); err != nil || !bytes.Equal(first, rows) {
		close(release)
		t.Fatalf("first part before the rest was written: %v", err)
	}
	close(release)
	rest, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(rest, rows) {
		t.Fatalf("rest: %d bytes, %v", len(rest), err)
	}

	// A held body gets an entity tag made from it; a streamed one cannot.
	big := getRaw(t, srv.URL+"/big", "br")
	body, _ := io.ReadAll(brotli.NewReader(big.Body))
	if big.Header.Get("Content-Encoding") != "br" || big.Header.Get("ETag") != "" || !bytes.Equal(body, bytes.Repeat(csvRows(1000), 40)) {
		t.Errorf("big: %v, %d bytes", big.Header, len(body))
	}
}

// TestCompressLeavesAlone: a body coded by its handler, a 206, audio and a
// 204 go through untouched; only compressible types say Vary.
func TestCompressLeavesAlone(t *testing.T) {
	t.Parallel()
	srv := compressServer(t, nil)
	for _, c := range []struct {
		path, encoding string
		vary           bool
		status         int
	}{
		{"/coded", "gzip", true, 200},
		{"/partial", "", true, 206},
		{"/audio.mp3", "", false, 200},
		{"/empty", "", false, 204},
	} {
		res := getRaw(t, srv.URL+c.path, "gzip, br, zstd")
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != c.status || res.Header.Get("Content-Encoding") != c.encoding ||
			(res.Header.Get("Vary") == "Accept-Encoding") != c.vary || res.Header.Get("ETag") != "" {
			t.Errorf("%s: %d %v", c.path, res.StatusCode, res.Header)
		}
		if c.path == "/audio.mp3" && len(body) != 16000 {
			t.Errorf("audio: %d bytes", len(body))
		}
	}
}
