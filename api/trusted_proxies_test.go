package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/config"
)

// failLogins signs in wrongly n times under different usernames, each with
// a different X-Forwarded-For, and returns the last status: only the
// address key of the login limiter can stop them.
func failLogins(e *apptest.Env, n int) int {
	status := 0
	for i := range n {
		req, _ := http.NewRequest("POST", e.Server.URL+"/api/v1/auth/login",
			strings.NewReader(fmt.Sprintf(`{"username":"guess%d","password":"wrong-password"}`, i)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1))
		req.Header.Set("X-Real-IP", fmt.Sprintf("198.51.100.%d", i+1))
		status = e.Send(req).StatusCode
	}
	return status
}

// TestForwardedForCannotDodgeTheLoginLimiter: by default no proxy is
// trusted, so a client cannot pick its own address with X-Forwarded-For.
func TestForwardedForCannotDodgeTheLoginLimiter(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	// One address may fail 30 times in 15 minutes (many phones of a
	// village share one router); the 31st is refused.
	if got := failLogins(e, 31); got != http.StatusTooManyRequests {
		t.Fatalf("31 failures from one address with spoofed X-Forwarded-For: last status %d, want 429", got)
	}
}

// TestTrustedProxyForwardsTheClientAddress: behind a configured reverse
// proxy, its X-Forwarded-For names the client, so distinct clients are
// limited apart.
func TestTrustedProxyForwardsTheClientAddress(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, func(c *config.Config) { c.TrustedProxies = []string{"127.0.0.1/8", "::1"} })
	if got := failLogins(e, 31); got != http.StatusUnauthorized {
		t.Fatalf("31 clients behind a trusted proxy: last status %d, want 401", got)
	}
}
