package facebook

import (
	"net/http"
	"testing"
)

func TestReadUsageTakesTheMaxOfAllHeaders(t *testing.T) {
	t.Parallel()
	h := http.Header{}
	h.Set("X-App-Usage", `{"call_count":12,"total_cputime":3,"total_time":40}`)
	h.Set("X-Page-Usage", `{"call_count":81,"total_cputime":2,"total_time":5}`)
	h.Set("X-Business-Use-Case-Usage", `{"546349135390552":[{"type":"pages","call_count":30,"total_cputime":88.5,"total_time":7,"estimated_time_to_regain_access":12}]}`)
	r := readUsage(h)
	if !r.found || r.pct != 89 || r.regainMinutes != 12 {
		t.Errorf("reading = %+v, want 89 %% and 12 minutes", r)
	}
	h.Set("X-App-Usage", "not json")
	h.Del("X-Page-Usage")
	h.Del("X-Business-Use-Case-Usage")
	if r := readUsage(h); r.found {
		t.Errorf("malformed header read as %+v", r)
	}
}

func TestAPIVersion(t *testing.T) {
	t.Parallel()
	for base, want := range map[string]string{
		"https://graph.facebook.com/v25.0": "v25.0",
		"http://127.0.0.1:5555/v21.0/":     "v21.0",
		"https://graph.facebook.com":       "",
		"https://example.com/value/v1.x":   "",
	} {
		if got := apiVersion(base); got != want {
			t.Errorf("apiVersion(%q) = %q, want %q", base, got, want)
		}
	}
}

func TestClassOfTable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		g    graphError
		want string
	}{
		{graphError{Code: 190}, "auth_invalid"},
		{graphError{Code: 190, Subcode: 460}, "auth_invalid"},
		{graphError{Code: 102}, "auth_invalid"},
		{graphError{Code: 1}, "transient"},
		{graphError{Code: 2}, "transient"},
		{graphError{Code: 9999, IsTransient: true}, "transient"},
		{graphError{Code: 4, IsTransient: true}, "throttled"},
		{graphError{Code: 17}, "throttled"},
		{graphError{Code: 32}, "throttled"},
		{graphError{Code: 613}, "throttled"},
		{graphError{Code: 80001}, "throttled"},
		{graphError{Code: 368}, "blocked"},
		{graphError{Code: 100}, "permanent"},
		{graphError{Code: 10}, "permanent"},
		{graphError{Code: 200}, "permanent"},
		{graphError{Code: 299}, "permanent"},
		{graphError{Code: 506}, "permanent"},
	}
	for _, tt := range tests {
		if got := classOf(tt.g).String(); got != tt.want {
			t.Errorf("classOf(%+v) = %s, want %s", tt.g, got, tt.want)
		}
	}
}
