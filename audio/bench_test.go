//go:build unix

package audio_test

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lantoa/lantoa/audio"
	"github.com/lantoa/lantoa/audio/fpttest"
	"github.com/lantoa/lantoa/audio/internal/soundgen"
	"github.com/lantoa/lantoa/audio/vitext"
)

// speechLike is three minutes of stereo 48 kHz sound with the dynamics of
// speech: noise and a voiced tone modulated at a syllable rate, with a
// pause every few seconds.
var speechLike = soundgen.Spec{Seconds: 180, Channels: 2, Rate: 48000,
	Expr: "(0.25*random(0)+0.2*sin(2*PI*180*t))*(0.5+0.5*sin(2*PI*4*t))*gt(mod(t\\,7)\\,1.2)"}

// BenchmarkNormalize3Min measures Normalize on a three-minute recording
// as a browser (WebM/Opus) and as a WAV file would send it; the goal is
// at most 0.05× real time.
func BenchmarkNormalize3Min(b *testing.B) {
	needTools(b)
	p := audio.New(audio.Config{})
	for _, format := range []string{"webm", "wav", "m4a"} {
		spec := speechLike
		spec.Format = format
		in := sound(b, spec)
		b.Run(format, func(b *testing.B) {
			var res audio.Result
			start, cpu0 := time.Now(), childCPU()
			for b.Loop() {
				var err error
				if res, err = p.Normalize(context.Background(), in); err != nil {
					b.Fatal(err)
				}
			}
			per := time.Since(start).Seconds() / float64(b.N)
			cpu := (childCPU() - cpu0) / float64(b.N)
			b.ReportMetric(per, "s/recording")
			b.ReportMetric(per/spec.Seconds, "x_realtime")
			b.ReportMetric(cpu, "cpu_s/recording")
			b.ReportMetric(cpu/spec.Seconds, "cpu_x_realtime")
			b.ReportMetric(res.LoudnessLUFS, "LUFS")
			b.ReportMetric(res.TruePeakDBTP, "dBTP")
			b.ReportMetric(float64(len(in))/1e6, "MB_in")
			b.ReportMetric(float64(res.Encodes), "encodes")
		})
	}
}

// script600 is a loudspeaker script of about 600 words, with the numbers,
// dates, hotlines and abbreviations that vitext reads.
func script600() string {
	paras := []string{
		"Kính thưa bà con nhân dân xã Liên Minh. Thực hiện Kế hoạch số 137/KH-UBND của UBND tỉnh, UBND xã triển khai Tháng hành động vì BĐG và phòng, chống BLGĐ từ 15/11 - 15/12/2026.",
		"Ngày 25/11 là Ngày Quốc tế xóa bỏ bạo lực đối với phụ nữ và trẻ em gái. Lúc 7h30 sáng thứ 4, tại hội trường UBND xã, Hội LHPN phối hợp với Ủy ban MTTQ và các tổ chức CT-XH tổ chức lễ phát động.",
		"Mục tiêu đến năm 2030: 100% người bị bạo lực được phát hiện và hỗ trợ; từ 80% trở lên cán bộ được tập huấn; mỗi thôn có ít nhất 01 địa chỉ tin cậy tại cộng đồng.",
		"Khi gặp bạo lực, hãy gọi ngay đường dây nóng 111 hoặc tổng đài 1800 1567, hoặc liên hệ công an xã theo số 0912 345 678. Các cuộc gọi đều miễn phí và được giữ bí mật.",
		"Bạo lực gia đình không phải là chuyện riêng của mỗi nhà. Mỗi người dân hãy lắng nghe, chia sẻ, và lên tiếng khi thấy hành vi bạo lực, để gia đình thật sự là tổ ấm.",
	}
	var words []string
	for len(words) < 600 {
		for _, p := range paras {
			words = append(words, strings.Fields(p)...)
		}
	}
	return strings.Join(words[:600], " ") + "."
}

// BenchmarkTTSRoundTrip600Words measures a 600-word script from text to
// audio against the FPT.AI fake (its async link answers 404 twice), then
// to broadcast sound.
func BenchmarkTTSRoundTrip600Words(b *testing.B) {
	needTools(b)
	srv := fpttest.New(b, "bench-key", 2)
	p := audio.New(audio.Config{})
	f := audio.NewFPT(audio.FPTConfig{APIKey: "bench-key", URL: srv.TTSURL(), Joiner: p,
		Poll: audio.Poll{First: 20 * time.Millisecond, Max: 200 * time.Millisecond, Deadline: time.Minute}})
	text := script600()
	speakable := vitext.Speakable(text)
	b.Run("synthesize", func(b *testing.B) {
		start := time.Now()
		var mp3 []byte
		for b.Loop() {
			var err error
			if mp3, err = f.Synthesize(context.Background(), vitext.Speakable(text), audio.Options{}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "s/script")
		b.ReportMetric(float64(len(strings.Fields(text))), "words")
		b.ReportMetric(float64(len([]rune(speakable))), "chars_sent")
		b.ReportMetric(float64(len(mp3))/1e3, "kB_audio")
	})
	b.Run("synthesize+normalize", func(b *testing.B) {
		start := time.Now()
		var res audio.Result
		for b.Loop() {
			mp3, err := f.Synthesize(context.Background(), vitext.Speakable(text), audio.Options{})
			if err != nil {
				b.Fatal(err)
			}
			if res, err = p.Normalize(context.Background(), mp3); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "s/script")
		b.ReportMetric(res.DurationSeconds, "s_audio")
	})
}

// childCPU is the CPU time (user and system) of the finished child
// processes, the ffmpeg runs: unlike wall time it does not grow when other
// work shares the machine's two cores.
func childCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
