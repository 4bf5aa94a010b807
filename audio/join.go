package audio

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// Join concatenates recordings of one format (the parts of a long text
// that a TTS provider synthesised one by one) into one file of that format
// with ffmpeg's concat demuxer, copying the coded audio without decoding
// it. One part is returned as it is. Parts of different or unrecognised
// formats are ErrUnsupported; parts ffmpeg cannot read are ErrCorrupt.
func (p *Processor) Join(ctx context.Context, parts [][]byte) ([]byte, error) {
	if p.err != nil {
		return nil, p.err
	}
	if len(parts) == 0 {
		return nil, fmt.Errorf("%w: nothing to join", ErrCorrupt)
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	f, ok := Sniff(parts[0])
	if !ok {
		return nil, fmt.Errorf("%w: part 1", ErrUnsupported)
	}
	w, err := p.workdir()
	if err != nil {
		return nil, err
	}
	defer w.remove()
	var list strings.Builder
	list.WriteString("ffconcat version 1.0\n")
	for i, part := range parts {
		if g, ok := Sniff(part); !ok || g != f {
			return nil, fmt.Errorf("%w: part %d is not %s like part 1", ErrUnsupported, i+1, f)
		}
		name := fmt.Sprintf("part-%04d.%s", i, f)
		if _, err := w.write(name, part); err != nil {
			return nil, err
		}
		fmt.Fprintf(&list, "file %s\n", name)
	}
	listPath, err := w.write("list.ffconcat", []byte(list.String()))
	if err != nil {
		return nil, err
	}
	out := w.path("joined." + string(f))
	_, _, err = run(ctx, p.ffmpeg, nil, "-nostdin", "-hide_banner", "-nostats", "-loglevel", "error",
		"-protocol_whitelist", "file", "-f", "concat", "-i", listPath,
		"-map", "0:a:0", "-c", "copy", "-map_metadata", "-1", "-f", f.muxer(), out)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("%w: joining %d parts: %v", ErrCorrupt, len(parts), err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("audio: reading the joined file: %w", err)
	}
	return data, nil
}
