package edge

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// MinCompressSize is the smallest body compressed: below it the coding's
// framing and the CPU cost more than the bytes saved.
const MinCompressSize = 1024

// maxHeld is the most of a response Compress holds back to learn its whole
// size and entity tag; a longer one, or one its handler flushes, streams.
const maxHeld = 256 << 10

// Compress returns the middleware that compresses responses (gzip, brotli
// or zstd, as Accept-Encoding asks with its weights) whose Content-Type is
// Compressible, and gives a complete 200 answer to a GET without an entity
// tag one made from its bytes, answering a matching If-None-Match with 304.
//
// Every answer of a compressible type says Vary: Accept-Encoding. A coded
// answer's ETag carries the coding's suffix (CodedETag). Left alone are:
// answers whose handler set Content-Encoding (pre-compressed files, the
// rundowns) or Content-Range, 206, 204, 304 and 1xx answers, answers to
// requests with a Range header, and answers of other types (images, audio,
// PDF, spreadsheets, archives), which are written through as they come.
// A body under MinCompressSize goes out as it is unless the client refused
// identity. isHead tells a HEAD routed as a GET (api.HeadAsGet), whose body
// is never compressed: nobody reads it.
func Compress(isHead func(*gin.Context) bool) gin.HandlerFunc {
	z := newCodecs()
	writers := sync.Pool{New: func() any { return new(compressWriter) }}
	return func(c *gin.Context) {
		w := writers.Get().(*compressWriter)
		*w = compressWriter{ResponseWriter: c.Writer, z: z, status: c.Writer.Status(), req: c.Request, head: isHead(c)}
		c.Writer = w
		defer func() {
			// Restored also when a handler panics: the recovery then answers
			// through the real writer, and whatever was held is dropped.
			c.Writer = w.ResponseWriter
			if w.held != nil {
				z.releaseBuffer(w.held)
			}
			*w = compressWriter{}
			writers.Put(w)
		}()
		c.Next()
		w.finish()
	}
}

// compressWriter's modes: deciding until the first byte, flush or end; then
// writing through, holding the body, or streaming it through an encoder.
const (
	deciding = iota
	through
	holding
	streaming
)

// compressWriter is the gin.ResponseWriter handlers write to under
// Compress. Status, Size and Written answer as the handler sees them; the
// real writer underneath counts what goes out.
type compressWriter struct {
	gin.ResponseWriter
	z       *codecs
	req     *http.Request
	head    bool
	status  int
	size    int
	written bool
	mode    int
	ae      AcceptEncoding
	coding  string // chosen for this answer; Identity sends it as it is
	tag     bool   // the answer's ETag is ours to make
	held    *bytes.Buffer
	enc     encoder
}

func (w *compressWriter) WriteHeader(code int) {
	if w.mode == deciding && code > 0 {
		w.status = code
	}
}

func (w *compressWriter) WriteHeaderNow() { w.written = true }

// Unwrap lets http.ResponseController reach the connection's deadlines;
// its Flush finds this writer's own first.
func (w *compressWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *compressWriter) Status() int   { return w.status }
func (w *compressWriter) Size() int     { return w.size }
func (w *compressWriter) Written() bool { return w.written || w.mode != deciding }

func (w *compressWriter) Write(p []byte) (int, error) {
	if w.mode == deciding {
		w.decide()
	}
	w.size += len(p)
	switch w.mode {
	case holding:
		w.held.Write(p)
		if w.held.Len() > maxHeld {
			w.startStream()
		}
		return len(p), nil
	case streaming:
		return w.enc.Write(p)
	}
	return w.ResponseWriter.Write(p)
}

func (w *compressWriter) WriteString(s string) (int, error) {
	if w.mode == holding && w.held.Len()+len(s) <= maxHeld {
		w.size += len(s)
		return w.held.WriteString(s)
	}
	return w.Write([]byte(s))
}

// Flush sends what the handler wrote: a held body that has reached its
// declared Content-Length is complete and goes out whole; otherwise the
// answer becomes a stream.
func (w *compressWriter) Flush() {
	if w.mode == deciding {
		w.decide()
	}
	if w.mode == holding {
		if n, err := strconv.Atoi(w.Header().Get("Content-Length")); err == nil && n == w.held.Len() {
			w.finish()
		} else {
			w.startStream()
		}
	}
	if w.mode == streaming {
		_ = w.enc.Flush()
	}
	w.ResponseWriter.Flush()
}

// decide chooses, at the first byte, flush or the end of the handler,
// between writing through, holding the body, and nothing at all.
func (w *compressWriter) decide() {
	h := w.Header()
	w.mode = through
	if !bodyAllowed(w.status) || !Compressible(h.Get("Content-Type")) {
		w.ResponseWriter.WriteHeader(w.status)
		return
	}
	addVary(h)
	if w.status == http.StatusPartialContent || h.Get("Content-Encoding") != "" || h.Get("Content-Range") != "" ||
		w.req.Header.Get("Range") != "" {
		w.ResponseWriter.WriteHeader(w.status)
		return
	}
	w.coding = Identity
	if !w.head {
		w.ae = ParseAcceptEncoding(headerList(w.req.Header, "Accept-Encoding"))
		if w.coding = w.ae.Negotiate(Brotli, Zstd, Gzip, Identity); w.coding == "" {
			w.coding = Identity // nothing acceptable: RFC 9110 §12.5.3 lets it go uncoded
		}
	}
	w.tag = w.status == http.StatusOK && w.req.Method == http.MethodGet && h.Get("ETag") == "" &&
		!strings.Contains(h.Get("Cache-Control"), "no-store")
	if !w.tag && w.coding == Identity {
		w.ResponseWriter.WriteHeader(w.status)
		return
	}
	w.mode = holding
	w.held = w.z.buffer()
}

// bodyAllowed reports whether an answer of this status has a body.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// addVary adds Accept-Encoding to Vary unless it is there.
func addVary(h http.Header) {
	for _, v := range h.Values("Vary") {
		for v != "" {
			var f string
			f, v, _ = strings.Cut(v, ",")
			if f = strings.TrimSpace(f); f == "*" || strings.EqualFold(f, "Accept-Encoding") {
				return
			}
		}
	}
	h.Add("Vary", "Accept-Encoding")
}

// headerList is a request header's fields joined as one list.
func headerList(h http.Header, name string) string {
	if v := h.Values(name); len(v) > 1 {
		return strings.Join(v, ",")
	}
	return h.Get(name)
}

// startStream sends the headers and what is held, and streams the rest:
// coded when a coding was chosen (the length is then unknown).
func (w *compressWriter) startStream() {
	h := w.Header()
	w.mode = through
	if w.coding == Identity {
		w.ResponseWriter.WriteHeader(w.status)
		_, _ = w.ResponseWriter.Write(w.held.Bytes())
		return
	}
	w.setCoded(h)
	h.Del("Content-Length")
	w.ResponseWriter.WriteHeader(w.status)
	w.enc = w.z.stream(w.coding, w.ResponseWriter)
	_, _ = w.enc.Write(w.held.Bytes())
	w.mode = streaming
}

// setCoded marks the headers of a coded answer.
func (w *compressWriter) setCoded(h http.Header) {
	h.Set("Content-Encoding", w.coding)
	if t := h.Get("ETag"); t != "" {
		h.Set("ETag", CodedETag(t, w.coding))
	}
}

// finish sends what is still held or deciding once the handler is done,
// and ends a stream.
func (w *compressWriter) finish() {
	switch w.mode {
	case deciding:
		if bodyAllowed(w.status) && Compressible(w.Header().Get("Content-Type")) {
			addVary(w.Header())
		}
		w.ResponseWriter.WriteHeader(w.status)
		if w.written {
			w.ResponseWriter.WriteHeaderNow()
		}
		w.mode = through
		return
	case streaming:
		_ = w.enc.Close()
		w.z.release(w.coding, w.enc)
		w.enc, w.mode = nil, through
		return
	case through:
		return
	}
	w.mode = through
	w.sendHeld()
}

// sendHeld sends a complete held body: tagged, answered 304 when the
// client holds it, compressed when it is long enough or identity refused.
func (w *compressWriter) sendHeld() {
	h, body := w.Header(), w.held.Bytes()
	if w.tag {
		sum := sha256.Sum256(body)
		tag := `"` + hex.EncodeToString(sum[:12]) + `"`
		h.Set("ETag", tag)
		if match, ok := NoneMatch(headerList(w.req.Header, "If-None-Match"), tag); ok {
			h.Set("ETag", match)
			h.Del("Content-Type")
			h.Del("Content-Length")
			w.ResponseWriter.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if w.coding != Identity && (len(body) >= MinCompressSize || !w.ae.Accepts(Identity)) {
		out := w.z.buffer()
		defer w.z.releaseBuffer(out)
		w.z.encode(w.coding, out, body)
		if out.Len() < len(body) || !w.ae.Accepts(Identity) {
			w.setCoded(h)
			body = out.Bytes()
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.ResponseWriter.WriteHeader(w.status)
	_, _ = w.ResponseWriter.Write(body)
}
