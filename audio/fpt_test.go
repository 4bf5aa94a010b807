package audio_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/audio"
	"github.com/lantoa/lantoa/audio/fpttest"
)

var fastPoll = audio.Poll{First: 5 * time.Millisecond, Max: 20 * time.Millisecond, Deadline: 10 * time.Second}

func newFPT(srv *fpttest.Server, key string) *audio.FPT {
	return audio.NewFPT(audio.FPTConfig{APIKey: key, URL: srv.TTSURL(), Joiner: audio.New(audio.Config{}), Poll: fastPoll})
}

// TestFPTPollsAsyncLinkUntilReady: the async link answers 404 three times,
// then the audio; the request carries the documented headers.
func TestFPTPollsAsyncLinkUntilReady(t *testing.T) {
	t.Parallel()
	srv := fpttest.New(t, "k-123", 3)
	text := "Đường dây nóng một một một hoạt động suốt hai mươi bốn giờ."
	mp3, err := newFPT(srv, "k-123").Synthesize(context.Background(), text, audio.Options{Speed: 1.3})
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := audio.Sniff(mp3); !ok || f != audio.FormatMP3 {
		t.Errorf("got %d bytes of %q, want MP3", len(mp3), f)
	}
	if got := srv.LinkGets(); got != 4 {
		t.Errorf("async link fetched %d times, want 4 (3 × 404, then 200)", got)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	want := fpttest.Request{Text: text, Voice: "banmai", Speed: "2", Format: "mp3"}
	if reqs[0] != want {
		t.Errorf("request %+v, want %+v", reqs[0], want)
	}
}

// TestFPTSplitsLongTextAndJoins: a 12,000-character script goes in three
// requests of at most 5,000 characters cut at sentence ends, and the
// joined audio lasts as long as its parts together.
func TestFPTSplitsLongTextAndJoins(t *testing.T) {
	t.Parallel()
	needTools(t)
	srv := fpttest.New(t, "k", 1)
	sentence := "Mỗi gia đình hãy cùng nhau nói không với bạo lực, lắng nghe và chia sẻ nhiều hơn mỗi ngày. "
	text := strings.Repeat(sentence, 12000/utf8.RuneCountInString(sentence)+1)
	mp3, err := newFPT(srv, "k").Synthesize(context.Background(), text, audio.Options{Voice: "leminh"})
	if err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	var sum float64
	for i, r := range reqs {
		n := utf8.RuneCountInString(r.Text)
		if n > 5000 || !strings.HasSuffix(r.Text, "ngày.") {
			t.Errorf("part %d: %d characters ending %q; want ≤ 5000 ending at a sentence", i+1, n, r.Text[len(r.Text)-10:])
		}
		sum += float64(n) * srv.SecondsPerChar
	}
	got := measure(t, mp3).Seconds
	if math.Abs(got-sum) > 0.5 {
		t.Errorf("joined audio lasts %.2f s, parts together %.2f s", got, sum)
	}
}

func TestFPTErrorClasses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	text := "Xin chào bà con."
	cases := []struct {
		name  string
		setup func(*fpttest.Server)
		key   string
		class error
		why   error
	}{
		{"wrong key", nil, "wrong", audio.ErrPermanent, audio.ErrCredentials},
		{"throttled", func(s *fpttest.Server) { s.Throttle(1000) }, "k", audio.ErrTransient, nil},
		{"quota used up", func(s *fpttest.Server) { s.SetQuota(5) }, "k", audio.ErrPermanent, audio.ErrQuota},
		{"text over the limit", func(s *fpttest.Server) { s.SetMaxChars(10) }, "k", audio.ErrPermanent, audio.ErrTextTooLong},
		{"never ready", func(s *fpttest.Server) { s.SetNotReady(1 << 30) }, "k", audio.ErrTransient, nil},
		{"server gone", func(s *fpttest.Server) { s.Close() }, "k", audio.ErrTransient, nil},
		{"no key", nil, "", audio.ErrNotConfigured, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := fpttest.New(t, "k", 0)
			if c.setup != nil {
				c.setup(srv)
			}
			f := audio.NewFPT(audio.FPTConfig{APIKey: c.key, URL: srv.TTSURL(),
				Poll: audio.Poll{First: 5 * time.Millisecond, Max: 10 * time.Millisecond, Deadline: 200 * time.Millisecond}})
			_, err := f.Synthesize(ctx, text, audio.Options{})
			var te *audio.TTSError
			if !errors.As(err, &te) || !errors.Is(err, c.class) {
				t.Fatalf("err = %v, want a TTSError of class %v", err, c.class)
			}
			if c.why != nil && !errors.Is(err, c.why) {
				t.Errorf("err = %v, want reason %v", err, c.why)
			}
		})
	}
}

func TestFPTValidatesOptions(t *testing.T) {
	t.Parallel()
	srv := fpttest.New(t, "k", 0)
	f := newFPT(srv, "k")
	for field, opt := range map[string]audio.Options{"voice": {Voice: "alloy"}, "speed": {Speed: 2}} {
		_, err := f.Synthesize(context.Background(), "Xin chào.", opt)
		var v *apperr.ValidationError
		if !errors.As(err, &v) || v.Field != field {
			t.Errorf("%+v: %v, want a validation error on %s", opt, err, field)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent for invalid options", n)
	}
}

// TestFPTFakeChecksRequests: the fake refuses what FPT refuses.
func TestFPTFakeChecksRequests(t *testing.T) {
	t.Parallel()
	srv := fpttest.New(t, "k", 0)
	post := func(body string, h map[string]string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.TTSURL(), strings.NewReader(body))
		for k, v := range h {
			req.Header[k] = []string{v}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post("Xin chào", nil); got != http.StatusUnauthorized {
		t.Errorf("no api_key: %d, want 401", got)
	}
	if got := post("Xin chào", map[string]string{"api_key": "k"}); got != http.StatusOK {
		t.Errorf("valid: %d, want 200", got)
	}
	resp, err := http.Get(srv.TTSURL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d, want 405", resp.StatusCode)
	}
}
