package api

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/stations"
)

// FuzzDecodeWriteBodies feeds arbitrary bytes to the JSON decoder of every
// write endpoint's input: it must never panic, and every failure must be a
// validation error (a 400 naming the field) or a body too large (413).
func FuzzDecodeWriteBodies(f *testing.F) {
	f.Add([]byte(`{"title":"Chiến dịch","start":"2026-11-15","end":"2026-12-15","targets":{"facebook":2000}}`))
	f.Add([]byte(`{"campaign_id":"x","kind":"post","schedule":{"times":["06:00"],"from":"2026-11-20","to":"2026-11-30"}}`))
	f.Add([]byte(`{"username":"admin","password":"mật khẩu dài"}`))
	f.Add([]byte(`{"value":-5,"reason":"đếm lại"}`))
	f.Add([]byte(`[1,2,3]`))
	f.Add([]byte(`{"title":`))
	gin.SetMode(gin.ReleaseMode)
	targets := []func() any{
		func() any { return &campaigns.CampaignInput{} },
		func() any { return &campaigns.ItemInput{} },
		func() any { return &accounts.NewUser{} },
		func() any { return &reach.ManualEntry{} },
		func() any { return &stations.Input{} },
		func() any { return &loginRequest{} },
		func() any { return &rejectRequest{} },
		func() any { return &communeRequest{} },
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, target := range targets {
			c, _ := gin.CreateTestContext(httptest.NewRecorder())
			c.Request = httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
			err := decode(c, target())
			var v *apperr.ValidationError
			var tooBig *http.MaxBytesError
			if err != nil && !errors.As(err, &v) && !errors.As(err, &tooBig) {
				t.Fatalf("decoding %q into %T: %v is neither a validation error nor too large", body, target(), err)
			}
		}
	})
}
