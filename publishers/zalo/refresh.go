package zalo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lantoa/lantoa/publishers"
)

// accessToken returns tokens whose access token is usable now, renewing
// them when they are missing or expire within RefreshBefore.
func (c *Client) accessToken(ctx context.Context) (Tokens, error) {
	if err := c.ensureSeeded(ctx); err != nil {
		return Tokens{}, err
	}
	t := c.cached()
	if t.usable(c.cfg.Now(), c.cfg.RefreshBefore) {
		return t, nil
	}
	return c.renew(ctx, t.Version)
}

// ensureSeeded seeds the store with the configured refresh token once.
func (c *Client) ensureSeeded(ctx context.Context) error {
	c.mu.Lock()
	done := c.seeded
	c.mu.Unlock()
	if done {
		return nil
	}
	if err := c.cfg.Tokens.Seed(ctx, c.cfg.InitialRefreshToken); err != nil {
		return c.fail(&publishers.Error{Class: publishers.Transient, Message: "token store: " + c.redact(err.Error()), Err: err})
	}
	c.mu.Lock()
	c.seeded = true
	c.mu.Unlock()
	return nil
}

// renew returns tokens newer than version stale. It refreshes at most once
// in this process (refreshMu) and across replicas (the store's lease): a
// replica that does not get the lease waits and re-reads what the lease
// holder stored.
func (c *Client) renew(ctx context.Context, stale int64) (Tokens, error) {
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	if t := c.cached(); t.Version > stale && c.fresh(t) {
		return t, nil // another goroutine renewed while we waited
	}
	for {
		t, err := c.cfg.Tokens.Load(ctx)
		if errors.Is(err, ErrNoTokens) {
			return Tokens{}, c.fail(&publishers.Error{Class: publishers.AuthInvalid,
				Message: "reconnect the Zalo OA: no refresh token is configured or stored"})
		}
		if err != nil {
			return Tokens{}, c.storeError(err)
		}
		if t.Version > stale && c.fresh(t) {
			c.setCached(t)
			return t, nil
		}
		won, err := c.cfg.Tokens.AcquireLease(ctx, c.cfg.Owner, c.cfg.LeaseTTL)
		if err != nil {
			return Tokens{}, c.storeError(err)
		}
		if won {
			return c.refreshUnderLease(ctx, stale)
		}
		if err := c.cfg.Sleep(ctx, c.cfg.LeasePoll); err != nil {
			return Tokens{}, c.fail(&publishers.Error{Class: publishers.Transient,
				Message: "gave up waiting for another replica's token refresh", Err: err})
		}
	}
}

// refreshUnderLease re-reads the store (someone may have refreshed between
// the read and the lease), refreshes if still needed, and frees the lease.
func (c *Client) refreshUnderLease(ctx context.Context, stale int64) (Tokens, error) {
	defer func() {
		if err := c.cfg.Tokens.ReleaseLease(context.WithoutCancel(ctx), c.cfg.Owner); err != nil {
			c.log.Warn("zalo refresh lease not released; it will expire", "error", c.redact(err.Error()))
		}
	}()
	t, err := c.cfg.Tokens.Load(ctx)
	if err != nil {
		return Tokens{}, c.storeError(err)
	}
	if t.Version > stale && c.fresh(t) {
		c.setCached(t)
		return t, nil
	}
	return c.refresh(ctx, t)
}

// oauthAnswer is the OAuth v4 token endpoint's answer.
type oauthAnswer struct {
	AccessToken  string          `json:"access_token"`
	RefreshToken string          `json:"refresh_token"`
	ExpiresIn    json.RawMessage `json:"expires_in"` // a string in observed answers
	Error        int             `json:"error"`
	Message      string          `json:"message"`
	ErrorName    string          `json:"error_name"`
	Description  string          `json:"error_description"`
}

// refresh spends t's refresh token and stores the new pair at once, before
// the access token is used. The call runs detached from ctx's cancellation:
// abandoning it after Zalo rotated the token would lose the chain.
func (c *Client) refresh(ctx context.Context, t Tokens) (Tokens, error) {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	form := url.Values{"refresh_token": {t.RefreshToken}, "app_id": {c.cfg.AppID}, "grant_type": {"refresh_token"}}
	req, err := http.NewRequestWithContext(dctx, http.MethodPost, c.oauth+"/v4/oa/access_token", strings.NewReader(form.Encode()))
	if err != nil {
		return Tokens{}, c.fail(&publishers.Error{Class: publishers.Permanent, Message: c.redact(err.Error())})
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("secret_key", c.cfg.AppSecret)
	resp, err := c.cfg.HTTP.Do(req)
	if err != nil {
		c.log.Error("zalo token refresh got no answer; if Zalo rotated the token, the OA must be reconnected")
		return Tokens{}, c.fail(publishers.TransportError(err, false, c.redact))
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var ans oauthAnswer
	decodeErr := json.Unmarshal(body, &ans)
	switch {
	case resp.StatusCode >= 500:
		return Tokens{}, c.fail(publishers.Errorf(publishers.Transient, fmt.Sprintf("http %d", resp.StatusCode), "Zalo OAuth server error"))
	case ans.Error == -32 || resp.StatusCode == http.StatusTooManyRequests:
		return Tokens{}, c.fail(c.throttled("-32", "Zalo OAuth rate limit: "+c.redact(ans.Message)))
	case decodeErr != nil || ans.Error != 0 || ans.AccessToken == "" || ans.RefreshToken == "":
		why := c.redact(strings.TrimSpace(ans.Message + " " + ans.ErrorName + " " + ans.Description))
		return Tokens{}, c.fail(&publishers.Error{Class: publishers.AuthInvalid, Code: strconv.Itoa(ans.Error),
			Message: "reconnect the Zalo OA: the refresh token was refused: " + why})
	}
	nt := Tokens{AccessToken: ans.AccessToken, RefreshToken: ans.RefreshToken, Version: t.Version + 1,
		ExpiresAt: c.cfg.Now().Add(expiresIn(ans.ExpiresIn))}
	if err := c.save(dctx, t.Version, nt); err != nil {
		return Tokens{}, err
	}
	c.setCached(nt)
	c.log.Info("zalo access token refreshed", "version", nt.Version, "expires_at", nt.ExpiresAt)
	return nt, nil
}

// save stores the rotated pair, retrying a failing database a few times.
func (c *Client) save(ctx context.Context, prev int64, nt Tokens) error {
	var err error
	for i := range 3 {
		if err = c.cfg.Tokens.Save(ctx, prev, nt); err == nil || errors.Is(err, ErrStaleVersion) {
			break
		}
		_ = c.cfg.Sleep(ctx, time.Duration(i+1)*200*time.Millisecond)
	}
	switch {
	case errors.Is(err, ErrStaleVersion):
		c.log.Error("zalo token chain changed during a refresh under lease")
		return c.fail(&publishers.Error{Class: publishers.Transient, Message: "zalo tokens changed during refresh", Err: err})
	case err != nil:
		// The new refresh token now lives only in this process's memory.
		c.log.Error("zalo rotated token not stored; it is kept in memory only", "error", c.redact(err.Error()))
		c.setCached(nt)
		c.standing.Note("rotated Zalo token not stored: " + c.redact(err.Error()))
	}
	return nil
}

// expiresIn reads expires_in, a string ("90000") or a number, in seconds.
// Missing or unreadable, it assumes one hour (older articles say 1h, newer
// measurements 25h [?]).
func expiresIn(raw json.RawMessage) time.Duration {
	s := strings.Trim(string(raw), `" `)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return time.Hour
	}
	return time.Duration(n) * time.Second
}

func (c *Client) cached() Tokens {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tok
}

func (c *Client) setCached(t Tokens) {
	c.mu.Lock()
	c.tok = t
	c.mu.Unlock()
}

// fresh reports whether t, newer than the tokens a caller gave up on, can be
// used now (no early-renewal margin: it is the newest there is).
func (c *Client) fresh(t Tokens) bool { return t.usable(c.cfg.Now(), 0) }

func (c *Client) storeError(err error) error {
	return c.fail(&publishers.Error{Class: publishers.Transient, Message: "token store: " + c.redact(err.Error()), Err: err})
}
