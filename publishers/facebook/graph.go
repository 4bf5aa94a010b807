package facebook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"

	"github.com/lantoa/lantoa/publishers"
)

// maxBody bounds what is read of one Graph API answer.
const maxBody = 8 << 20

// AppSecretProof returns hex(HMAC-SHA256(key=appSecret, msg=token)), the
// appsecret_proof parameter of the Graph API's secure requests.
func AppSecretProof(appSecret, token string) string {
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}

// call is one Graph API request.
type call struct {
	method   string
	path     string     // after the base URL, e.g. "/123/feed"
	params   url.Values // without credentials
	file     *upload    // makes the request multipart
	mutation bool       // creates something: a lost answer is Unknown
}

// upload is a file part of a multipart request.
type upload struct {
	field, name, contentType string
	data                     []byte
}

// do sends cl and decodes a successful answer into out (when not nil). Every
// error it returns is a *publishers.Error free of credentials, and is also
// recorded in the channel's state (Health, pauses, invalid credential).
func (c *Client) do(ctx context.Context, cl call, out any) error {
	if err := c.gate(ctx); err != nil {
		return err
	}
	if err := c.slowDown(ctx); err != nil {
		return c.fail(c.transportError(err, false))
	}
	req, err := c.newRequest(ctx, cl)
	if err != nil {
		return c.fail(&publishers.Error{Class: publishers.Permanent, Message: c.redact(err.Error())})
	}
	resp, err := c.cfg.HTTP.Do(req)
	if err != nil {
		return c.fail(c.transportError(err, cl.mutation))
	}
	defer resp.Body.Close()
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	reading := readUsage(resp.Header)
	c.noteUsage(reading)
	if rerr != nil {
		return c.fail(c.transportError(rerr, cl.mutation))
	}
	if g := parseGraphError(body); g != nil {
		return c.fail(c.classify(*g, reading))
	}
	if resp.StatusCode >= 300 {
		return c.fail(c.statusError(resp.StatusCode, cl.mutation))
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			return c.fail(c.undecodable(err, cl.mutation))
		}
	}
	c.succeeded()
	return nil
}

// newRequest builds the HTTP request, adding access_token and appsecret_proof.
func (c *Client) newRequest(ctx context.Context, cl call) (*http.Request, error) {
	c.mu.Lock()
	token, proof := c.token, c.proof
	c.mu.Unlock()
	params := url.Values{}
	for k, v := range cl.params {
		params[k] = v
	}
	params.Set("access_token", token)
	if proof != "" {
		params.Set("appsecret_proof", proof)
	}
	target := c.base + cl.path
	if cl.method == http.MethodGet {
		req, err := http.NewRequestWithContext(ctx, cl.method, target+"?"+params.Encode(), nil)
		return req, err
	}
	if cl.file == nil {
		req, err := http.NewRequestWithContext(ctx, cl.method, target, strings.NewReader(params.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		return req, err
	}
	body, ctype, err := multipartBody(params, cl.file)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, target, bytes.NewReader(body))
	if err == nil {
		req.Header.Set("Content-Type", ctype)
	}
	return req, err
}

// multipartBody encodes params as fields (credentials included, so they stay
// out of the URL) and f as a file part.
func multipartBody(params url.Values, f *upload) ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range params {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				return nil, "", err
			}
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, f.field, f.name))
	h.Set("Content-Type", f.contentType)
	part, err := w.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	if _, err := part.Write(f.data); err != nil {
		return nil, "", err
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// transportError classifies a failure to get an answer. Nothing was sent
// when the connection could not be made (Transient); otherwise a mutation's
// outcome is Unknown (reconcile before resending) and a read is Transient.
// The URL in *url.Error is stripped of its query, which holds the token.
func (c *Client) transportError(err error, mutation bool) *publishers.Error {
	class := publishers.Transient
	if mutation && !notSent(err) {
		class = publishers.Unknown
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = &url.Error{Op: ue.Op, URL: stripQuery(ue.URL), Err: ue.Err}
	}
	return &publishers.Error{Class: class, Message: c.redact(err.Error()), Err: err}
}

func (c *Client) statusError(status int, mutation bool) *publishers.Error {
	class := publishers.Permanent
	switch {
	case status == http.StatusGatewayTimeout && mutation:
		// A gateway gave up waiting: the post may exist.
		class = publishers.Unknown
	case status >= 500:
		class = publishers.Transient
	case status == http.StatusTooManyRequests:
		return c.throttled("http 429", "too many requests", usageReading{})
	}
	return &publishers.Error{Class: class, Code: fmt.Sprintf("http %d", status),
		Message: fmt.Sprintf("Graph API answered HTTP %d without an error object", status)}
}

func (c *Client) undecodable(err error, mutation bool) *publishers.Error {
	class := publishers.Transient
	if mutation {
		class = publishers.Unknown
	}
	return &publishers.Error{Class: class, Message: "undecodable Graph API answer: " + c.redact(err.Error()), Err: err}
}

// redact removes credentials from s.
func (c *Client) redact(s string) string {
	c.mu.Lock()
	secrets := []string{c.token, c.proof, c.cfg.AppSecret, c.cfg.PageToken}
	c.mu.Unlock()
	for _, v := range secrets {
		if len(v) >= 4 {
			s = strings.ReplaceAll(s, v, "[redacted]")
		}
	}
	return redactParams(s)
}

// redactParams blanks the values of access_token= and appsecret_proof= in s.
func redactParams(s string) string {
	for _, key := range []string{"access_token=", "appsecret_proof="} {
		var b strings.Builder
		for {
			i := strings.Index(s, key)
			if i < 0 {
				break
			}
			b.WriteString(s[:i+len(key)])
			b.WriteString("[redacted]")
			s = s[i+len(key):]
			end := strings.IndexAny(s, "&\" \t\n")
			if end < 0 {
				end = len(s)
			}
			s = s[end:]
		}
		b.WriteString(s)
		s = b.String()
	}
	return s
}

func stripQuery(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		return raw[:i]
	}
	return raw
}
