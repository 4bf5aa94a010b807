package audio_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lantoa/lantoa/audio"
	"github.com/lantoa/lantoa/audio/vbeetest"
)

func TestVbeeErrorClasses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		name  string
		setup func(*vbeetest.Server)
		cfg   func(*audio.VbeeConfig)
		class error
		why   error
	}{
		{"wrong token", nil, func(c *audio.VbeeConfig) { c.Token = "stolen" }, audio.ErrPermanent, audio.ErrCredentials},
		{"wrong app", nil, func(c *audio.VbeeConfig) { c.AppID = "other" }, audio.ErrPermanent, nil},
		{"quota used up", func(s *vbeetest.Server) { s.SetQuota(3) }, nil, audio.ErrPermanent, audio.ErrQuota},
		{"text over the limit", func(s *vbeetest.Server) { s.SetMaxChars(5) }, nil, audio.ErrPermanent, audio.ErrTextTooLong},
		{"server gone", func(s *vbeetest.Server) { s.Close() }, nil, audio.ErrTransient, nil},
		{"no app id", nil, func(c *audio.VbeeConfig) { c.AppID = "" }, audio.ErrNotConfigured, nil},
		{"no base URL", nil, func(c *audio.VbeeConfig) { c.CallbackURL = "" }, audio.ErrNotConfigured, nil},
		{"short secret", nil, func(c *audio.VbeeConfig) { c.CallbackSecret = []byte("short") }, audio.ErrNotConfigured, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := vbeetest.New(t, "app", "jwt")
			if c.setup != nil {
				c.setup(srv)
			}
			cfg := audio.VbeeConfig{AppID: "app", Token: "jwt", URL: srv.TTSURL(),
				CallbackURL: "http://127.0.0.1:9/cb", CallbackSecret: secret, Poll: fastPoll}
			if c.cfg != nil {
				c.cfg(&cfg)
			}
			_, err := audio.NewVbee(cfg).Submit(ctx, "Xin chào bà con.", audio.Options{})
			var te *audio.TTSError
			if !errors.As(err, &te) || !errors.Is(err, c.class) || (c.why != nil && !errors.Is(err, c.why)) {
				t.Fatalf("err = %v, want class %v reason %v", err, c.class, c.why)
			}
		})
	}
	srv := vbeetest.New(t, "app", "jwt")
	v := newVbee(srv, "http://127.0.0.1:9", time.Now)
	if _, err := v.Submit(ctx, "Xin chào", audio.Options{Voice: "Giọng Hà Nội"}); !isValidation(err, "voice") {
		t.Errorf("bad voice code: %v", err)
	}
	if _, err := v.Submit(ctx, "Xin chào", audio.Options{Speed: 0.2}); !isValidation(err, "speed") {
		t.Errorf("bad speed: %v", err)
	}
	if n := len(srv.RequestIDs()); n != 0 {
		t.Errorf("%d requests reached Vbee for invalid options", n)
	}
}
