package edge

import (
	"bytes"
	"io"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Levels of the compression done per response, chosen for CPU on a 2-core
// machine over the busy calendar page (web.BenchmarkCompressionLevels;
// docs/architecture.md has the figures): past these, every step costs far
// more time than it saves bytes.
const (
	GzipLevel   = 5
	BrotliLevel = 5
	ZstdLevel   = zstd.SpeedDefault
)

// zstdWindow bounds the zstd window: RFC 9659 §3 lets decoders of the
// "zstd" content coding refuse windows above 8 MB, and a small window keeps
// each pooled encoder small.
const zstdWindow = 1 << 20

// encoder is what the three compressors share.
type encoder interface {
	io.WriteCloser
	Flush() error
	Reset(io.Writer)
}

// codecs compresses bodies with encoders kept in pools, so that a response
// allocates none of their tables.
type codecs struct {
	pools map[string]*sync.Pool
	// all encodes whole zstd bodies (EncodeAll is safe for concurrent use).
	all  *zstd.Encoder
	bufs sync.Pool
}

func newCodecs() *codecs {
	z := &codecs{bufs: sync.Pool{New: func() any { return new(bytes.Buffer) }}}
	z.all, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(ZstdLevel), zstd.WithWindowSize(zstdWindow), zstd.WithEncoderConcurrency(2))
	z.pools = map[string]*sync.Pool{
		Gzip: {New: func() any {
			w, _ := gzip.NewWriterLevel(io.Discard, GzipLevel)
			return w
		}},
		Brotli: {New: func() any { return brotli.NewWriterLevel(io.Discard, BrotliLevel) }},
		Zstd: {New: func() any {
			w, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(ZstdLevel), zstd.WithWindowSize(zstdWindow), zstd.WithEncoderConcurrency(1))
			return w
		}},
	}
	return z
}

// encode appends src compressed in coding to dst.
func (z *codecs) encode(coding string, dst *bytes.Buffer, src []byte) {
	if coding == Zstd {
		dst.Write(z.all.EncodeAll(src, dst.AvailableBuffer()))
		return
	}
	enc := z.stream(coding, dst)
	_, _ = enc.Write(src) // a bytes.Buffer does not fail
	_ = enc.Close()
	z.release(coding, enc)
}

// stream returns an encoder of coding writing to w; release gives it back
// after its Close.
func (z *codecs) stream(coding string, w io.Writer) encoder {
	enc := z.pools[coding].Get().(encoder)
	enc.Reset(w)
	return enc
}

func (z *codecs) release(coding string, enc encoder) {
	enc.Reset(io.Discard) // lets go of the response's writer
	z.pools[coding].Put(enc)
}

func (z *codecs) buffer() *bytes.Buffer { return z.bufs.Get().(*bytes.Buffer) }

// maxPooledBuffer keeps the rare huge body's buffer out of the pool.
const maxPooledBuffer = 1 << 20

func (z *codecs) releaseBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuffer {
		b.Reset()
		z.bufs.Put(b)
	}
}

// Levels of bodies compressed once and served many times (the embedded
// static files). Measured on the static files: brotli 7 to 11 cost 15 to 30
// times the time of 6 (0.5 s against 33 ms for all of them) for at most 8 %
// fewer bytes, which browsers then keep a year; zstd's best took 0.7 s and
// came out larger than gzip 9.
const (
	StaticGzipLevel   = gzip.BestCompression
	StaticBrotliLevel = 6
	StaticZstdLevel   = zstd.SpeedBetterCompression
)

// CompressStatic returns data compressed in coding at the static levels
// (data itself for an unknown coding).
func CompressStatic(coding string, data []byte) []byte {
	var buf bytes.Buffer
	switch coding {
	case Gzip:
		w, _ := gzip.NewWriterLevel(&buf, StaticGzipLevel)
		_, _ = w.Write(data)
		_ = w.Close()
	case Brotli:
		w := brotli.NewWriterLevel(&buf, StaticBrotliLevel)
		_, _ = w.Write(data)
		_ = w.Close()
	case Zstd:
		w, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(StaticZstdLevel), zstd.WithWindowSize(zstdWindow),
			zstd.WithEncoderConcurrency(1))
		return w.EncodeAll(data, nil)
	default:
		return data
	}
	return buf.Bytes()
}
