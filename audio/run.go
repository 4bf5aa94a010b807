package audio

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// stderrHead and stderrTail bound what is kept of a tool's diagnostics: the
// beginning (where demuxer errors appear) and the end (where ebur128 prints
// its summary). A hostile file can make ffmpeg print one warning per
// packet; the rest is dropped.
const (
	stderrHead = 16 << 10
	stderrTail = 48 << 10
)

// boundedBuffer keeps the first stderrHead and the last stderrTail bytes
// written to it.
type boundedBuffer struct {
	head    []byte
	tail    []byte
	dropped int64
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if room := stderrHead - len(b.head); room > 0 {
		k := min(room, len(p))
		b.head = append(b.head, p[:k]...)
		p = p[k:]
	}
	b.tail = append(b.tail, p...)
	if over := len(b.tail) - stderrTail; over > 0 {
		b.dropped += int64(over)
		b.tail = append(b.tail[:0], b.tail[over:]...)
	}
	return n, nil
}

// String returns what was kept, with a marker where bytes were dropped.
func (b *boundedBuffer) String() string {
	if b.dropped == 0 {
		return string(b.head) + string(b.tail)
	}
	return fmt.Sprintf("%s\n[… %d bytes dropped …]\n%s", b.head, b.dropped, b.tail)
}

// run starts path with args (no shell), stdin as given, and returns stdout
// and the bounded stderr. It ends the process when ctx ends, and then
// returns ctx's error so that callers do not mistake a cancelled run for a
// bad file.
func run(ctx context.Context, path string, stdin io.Reader, args ...string) (stdout []byte, stderr string, err error) {
	cmd := exec.CommandContext(ctx, path, args...)
	var out bytes.Buffer
	var diag boundedBuffer
	cmd.Stdin = stdin
	cmd.Stdout = &out
	cmd.Stderr = &diag
	err = cmd.Run()
	if ctx.Err() != nil {
		return nil, diag.String(), ctx.Err()
	}
	if err != nil {
		return out.Bytes(), diag.String(), fmt.Errorf("%s: %w: %s", baseName(path), err, lastLines(diag.String(), 3))
	}
	return out.Bytes(), diag.String(), nil
}

// lastLines returns the last n non-empty lines of s, joined by " | ", for
// error messages.
func lastLines(s string, n int) string {
	lines := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

func baseName(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[i+1:]
	}
	return path
}
