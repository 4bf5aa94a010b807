package audio

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Loudness is an EBU R128 measurement.
type Loudness struct {
	// IntegratedLUFS is the gated integrated loudness; −70 or −Inf for
	// silence.
	IntegratedLUFS float64
	// TruePeakDBTP is the highest true (4× oversampled) peak; −Inf for
	// digital silence.
	TruePeakDBTP float64
}

// ebur128Filter measures integrated loudness and true peak, printing only
// the summary (framelog=verbose moves the ten lines a second of frame
// measurements below the log level we read).
const ebur128Filter = "ebur128=peak=true:framelog=verbose"

// Measure decodes data (any accepted format) and measures it with ffmpeg's
// ebur128 filter, the EBU R128 / ITU-R BS.1770 meter.
func (p *Processor) Measure(ctx context.Context, data []byte) (Loudness, error) {
	if p.err != nil {
		return Loudness{}, p.err
	}
	f, ok := Sniff(data)
	if !ok {
		return Loudness{}, ErrUnsupported
	}
	w, err := p.workdir()
	if err != nil {
		return Loudness{}, err
	}
	defer w.remove()
	in, err := w.write("in", data)
	if err != nil {
		return Loudness{}, err
	}
	return p.measureFile(ctx, in, f)
}

// measureFile measures a file this package wrote (a trusted format).
func (p *Processor) measureFile(ctx context.Context, path string, f Format) (Loudness, error) {
	_, diag, err := run(ctx, p.ffmpeg, nil, "-nostdin", "-hide_banner", "-nostats", "-loglevel", "info",
		"-protocol_whitelist", "file", "-f", f.demuxer(), "-i", path,
		"-map", "0:a:0", "-af", ebur128Filter, "-f", "null", "-")
	if err != nil {
		return Loudness{}, fmt.Errorf("audio: measuring loudness: %w", err)
	}
	return parseEBUR128(diag)
}

// parseEBUR128 reads the summary ffmpeg's ebur128 filter prints at the end
// of a run:
//
//	Integrated loudness:
//	  I:         -16.0 LUFS
//	…
//	True peak:
//	  Peak:       -1.9 dBFS
func parseEBUR128(diag string) (Loudness, error) {
	i := strings.LastIndex(diag, "Integrated loudness:")
	if i < 0 {
		return Loudness{}, fmt.Errorf("audio: no ebur128 summary in ffmpeg's output: %s", lastLines(diag, 3))
	}
	summary := diag[i:]
	integrated, err := summaryValue(summary, "I:")
	if err != nil {
		return Loudness{}, err
	}
	peak := math.Inf(-1)
	if j := strings.Index(summary, "True peak:"); j >= 0 {
		if peak, err = summaryValue(summary[j:], "Peak:"); err != nil {
			return Loudness{}, err
		}
	}
	return Loudness{IntegratedLUFS: integrated, TruePeakDBTP: peak}, nil
}

// summaryValue parses the number after the first label in s.
func summaryValue(s, label string) (float64, error) {
	i := strings.Index(s, label)
	if i < 0 {
		return 0, fmt.Errorf("audio: ebur128 summary without %q", label)
	}
	fields := strings.Fields(s[i+len(label):])
	if len(fields) == 0 {
		return 0, fmt.Errorf("audio: ebur128 summary: nothing after %q", label)
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return 0, fmt.Errorf("audio: ebur128 summary: %q after %q: %w", fields[0], label, err)
	}
	return v, nil
}
