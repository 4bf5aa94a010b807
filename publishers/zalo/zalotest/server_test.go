package zalotest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/publishers/zalo/zalotest"
)

type answer struct {
	Error        int            `json:"error"`
	Message      string         `json:"message"`
	AccessToken  string         `json:"access_token"`
	RefreshToken string         `json:"refresh_token"`
	ExpiresIn    any            `json:"expires_in"`
	Data         map[string]any `json:"data"`
}

func refresh(t *testing.T, s *zalotest.Server, rt string) answer {
	t.Helper()
	form := url.Values{"refresh_token": {rt}, "app_id": {s.AppID}, "grant_type": {"refresh_token"}}
	req, _ := http.NewRequest(http.MethodPost, s.OAuthURL+"/v4/oa/access_token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("secret_key", s.AppSecret)
	return do(t, req)
}

func get(t *testing.T, s *zalotest.Server, path, token string) answer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
	req.Header.Set("access_token", token)
	return do(t, req)
}

func do(t *testing.T, req *http.Request) answer {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d, want 200 even on errors", resp.StatusCode)
	}
	var a answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestRefreshRotatesAndKillsOldTokens(t *testing.T) {
	t.Parallel()
	s := zalotest.New(t)
	first := refresh(t, s, s.InitialRefreshToken())
	if first.Error != 0 || first.AccessToken == "" || first.ExpiresIn != "90000" {
		t.Fatalf("first refresh = %+v, want tokens and expires_in as the string \"90000\"", first)
	}
	if a := refresh(t, s, s.InitialRefreshToken()+"x"); a.Error == 0 {
		t.Error("a wrong refresh token was accepted")
	}
	second := refresh(t, s, first.RefreshToken)
	if again := refresh(t, s, first.RefreshToken); again.Error == 0 {
		t.Error("a used refresh token was accepted twice")
	}
	if a := get(t, s, "/v2.0/article/getslice?offset=0&limit=10&type=normal", first.AccessToken); a.Error != -216 {
		t.Errorf("previous access token: error %d, want -216", a.Error)
	}
	if a := get(t, s, "/v2.0/article/getslice?offset=0&limit=10&type=normal", second.AccessToken); a.Error != 0 {
		t.Errorf("current access token: %+v", a)
	}
	if n := s.RefreshCalls(); n != 4 {
		t.Errorf("refresh calls = %d, want 4", n)
	}
}

func TestAPIChecksLikeZalo(t *testing.T) {
	t.Parallel()
	s := zalotest.New(t)
	tok := refresh(t, s, s.InitialRefreshToken()).AccessToken
	tests := []struct {
		path, token string
		code        int
		msg         string
	}{
		{"/v2.0/article/getslice?offset=0&limit=11&type=normal", tok, -201, "maximum limit is 10"},
		{"/v2.0/article/getslice?offset=0&limit=10&type=all", tok, -201, "type accept only 2 value normal and video."},
		{"/v2.0/article/getslice?offset=0&limit=10&type=normal", "", -216, "Access token is invalid"},
		{"/v2.0/nothing", tok, 404, "You are accessing an empty or invalid API. Please check the url or the method"},
	}
	for _, tt := range tests {
		if a := get(t, s, tt.path, tt.token); a.Error != tt.code || a.Message != tt.msg {
			t.Errorf("%s: %d %q, want %d %q", tt.path, a.Error, a.Message, tt.code, tt.msg)
		}
	}
}
