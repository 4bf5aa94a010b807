package facebook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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
		return c.fail(publishers.TransportError(err, false, c.redact))
	}
	req, err := c.newRequest(ctx, cl)
	if err != nil {
		return c.fail(&publishers.Error{Class: publishers.Permanent, Message: c.redact(err.Error())})
	}
	resp, err := c.cfg.HTTP.Do(req)
	if err != nil {
		return c.fail(publishers.TransportError(err, cl.mutation, c.redact))
	}
	defer resp.Body.Close()
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	reading := readUsage(resp.Header)
	c.noteUsage(reading)
	if rerr != nil {
		return c.fail(publishers.TransportError(rerr, cl.mutation, c.redact))
	}
	if g := parseGraphError(body); g != nil {
		return c.fail(c.classify(*g, reading))
	}
	if resp.StatusCode >= 300 {
		return c.fail(c.statusError(resp.StatusCode, cl.mutation))
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			return c.fail(publishers.Undecodable(err, cl.mutation, "Graph API", c.redact))
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

// statusError classifies an answer without an error object by its status
// (publishers.StatusClass); 429 waits like a throttle.
func (c *Client) statusError(status int, mutation bool) *publishers.Error {
	class := publishers.StatusClass(status, mutation)
	if class == publishers.Throttled {
		return c.throttled("http 429", "too many requests", usageReading{})
	}
	return &publishers.Error{Class: class, Code: fmt.Sprintf("http %d", status),
		Message: fmt.Sprintf("Graph API answered HTTP %d without an error object", status)}
}

// redact removes credentials from s: the ones the client holds, and any
// access_token or appsecret_proof in a URL (Graph's paging links carry one).
func (c *Client) redact(s string) string {
	c.mu.Lock()
	secrets := []string{c.token, c.proof, c.cfg.AppSecret, c.cfg.PageToken}
	c.mu.Unlock()
	return publishers.RedactParams(publishers.Redact(s, secrets...), "access_token", "appsecret_proof")
}
