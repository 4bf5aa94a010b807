package audio

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"time"
)

// Callback verification. Vbee does not sign its callbacks, so nothing in
// one is trusted but the request id it names: HandleCallback
//
//  1. checks the signature that Submit put in the callback URL's query
//     (HMAC-SHA256 over a time and a nonce, keyed by CallbackSecret), which
//     only this service can make and which expires after callbackTTL, so
//     that a stranger cannot make the service call Vbee at will;
//  2. asks Vbee itself, with the app's token, for that request (Get
//     Request): its app id, its status, and the audio link, which is taken
//     from Vbee's answer, never from the callback body;
//  3. downloads the audio, and only then claims the request id in the
//     ReplayGuard: the first complete callback wins, a replay gets
//     ErrReplayed.
var (
	// ErrUnverified means a callback failed verification (no or a bad
	// signature, a request Vbee does not know or has not finished); the
	// API answers 403 and changes nothing.
	ErrUnverified = errors.New("the callback could not be verified")
	// ErrReplayed means this request's callback was already accepted; the
	// API answers 409 (or 200 to stop the provider retrying) and changes
	// nothing.
	ErrReplayed = errors.New("this callback was already accepted")
)

const (
	// callbackTTL is how long a callback URL's signature is valid: Vbee
	// keeps a request's audio three days.
	callbackTTL = 72 * time.Hour
	// CallbackParam is the query parameter that carries the signature.
	CallbackParam = "sig"
	// MaxCallbackBytes bounds a callback body; read at most this much.
	MaxCallbackBytes = 64 << 10
	sigNonce         = 12
	sigMAC           = 16
)

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)

// callbackURL returns CallbackURL with a fresh signature.
func (v *Vbee) callbackURL() (string, error) {
	u, err := url.Parse(v.cfg.CallbackURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", notConfigured("vbee", "the callback URL is not an absolute http(s) URL")
	}
	msg := make([]byte, 8+sigNonce)
	binary.BigEndian.PutUint64(msg, uint64(v.cfg.Now().Unix()))
	if _, err := rand.Read(msg[8:]); err != nil {
		return "", fmt.Errorf("audio: callback nonce: %w", err)
	}
	q := u.Query()
	q.Set(CallbackParam, base64.RawURLEncoding.EncodeToString(append(msg, v.mac(msg)...)))
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func (v *Vbee) mac(msg []byte) []byte {
	h := hmac.New(sha256.New, v.cfg.CallbackSecret)
	h.Write([]byte("lantoa vbee callback\x00"))
	h.Write(msg)
	return h.Sum(nil)[:sigMAC]
}

// verifySignature checks a callback URL's signature and age.
func (v *Vbee) verifySignature(u *url.URL) error {
	raw, err := base64.RawURLEncoding.DecodeString(u.Query().Get(CallbackParam))
	if err != nil || len(raw) != 8+sigNonce+sigMAC {
		return fmt.Errorf("%w: no valid signature in the URL", ErrUnverified)
	}
	msg, mac := raw[:8+sigNonce], raw[8+sigNonce:]
	if !hmac.Equal(mac, v.mac(msg)) {
		return fmt.Errorf("%w: bad signature", ErrUnverified)
	}
	signed := time.Unix(int64(binary.BigEndian.Uint64(msg)), 0)
	if age := v.cfg.Now().Sub(signed); age > callbackTTL || age < -time.Minute {
		return fmt.Errorf("%w: signature from %s has expired", ErrUnverified, signed.UTC().Format(time.RFC3339))
	}
	return nil
}

// HandleCallback verifies a Vbee callback as described above and returns
// the request id it was for and the request's audio. target is the URL the
// callback was posted to (the Gin handler passes c.Request.URL), body the
// request body read up to MaxCallbackBytes. Errors: ErrUnverified,
// ErrReplayed, a TTSError (permanent when Vbee says the request failed,
// with the request id returned so the caller can mark the job failed;
// transient when Vbee cannot be asked now), or ErrNotConfigured.
func (v *Vbee) HandleCallback(ctx context.Context, target *url.URL, body []byte) (string, []byte, error) {
	if err := v.configured(); err != nil {
		return "", nil, err
	}
	if err := v.verifySignature(target); err != nil {
		return "", nil, err
	}
	if len(body) > MaxCallbackBytes {
		return "", nil, fmt.Errorf("%w: body over %d bytes", ErrUnverified, MaxCallbackBytes)
	}
	var cb vbeeResult
	if err := json.Unmarshal(body, &cb); err != nil || !requestIDPattern.MatchString(cb.RequestID) {
		return "", nil, fmt.Errorf("%w: no request id in the body", ErrUnverified)
	}
	id := cb.RequestID
	audio, err := v.Fetch(ctx, id)
	switch {
	case errors.Is(err, ErrPending):
		return "", nil, fmt.Errorf("%w: Vbee has not finished request %s", ErrUnverified, id)
	case errors.Is(err, ErrTransient):
		return "", nil, err
	case err != nil:
		var te *TTSError
		if errors.As(err, &te) && te.Status == 404 {
			return "", nil, fmt.Errorf("%w: Vbee does not know request %s", ErrUnverified, id)
		}
		return id, nil, err
	}
	first, err := v.cfg.Guard.Claim(ctx, "vbee:"+id)
	if err != nil {
		return "", nil, fmt.Errorf("audio: replay guard: %w", err)
	}
	if !first {
		return id, nil, fmt.Errorf("%w: request %s", ErrReplayed, id)
	}
	return id, audio, nil
}
