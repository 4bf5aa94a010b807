package api

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers/publishertest"
)

// The lane's tests send the same bytes to net/http alone and to the lane,
// both serving one handler with the service's settings (HTTPServer): a
// client must see the same answers and the same connection ends from both.

// laneFast is the tests' fast paths.
func laneFast(path string) bool { return strings.HasPrefix(path, "/fast") }

// echo answers with what it saw of the request; a few /fast paths answer in
// the ways a handler may (304, 204, nothing written, a coded body, a status
// without a name, a body net/http would chunk, a close, a panic).
func echo(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	h := w.Header()
	switch r.URL.Path {
	case "/fast/panic":
		panic("lane test: handler panicked")
	case "/fast/abort":
		panic(http.ErrAbortHandler)
	case "/fast/304":
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Etag", `"v1"`)
		w.WriteHeader(http.StatusNotModified)
		return
	case "/fast/204":
		h.Set("X-Kind", "none")
		w.WriteHeader(http.StatusNoContent)
		return
	case "/fast/empty":
		return
	case "/fast/gzip": // coded, its type not said: not to be sniffed
		h.Set("Content-Encoding", "gzip")
		w.Write([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff\x01\x00\x00\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00"))
		return
	case "/fast/299":
		w.WriteHeader(299)
		io.WriteString(w, "a status without a name")
		return
	case "/fast/big": // over net/http's 2 KB before it chunks, no length declared
		w.Write(bytes.Repeat([]byte("bản tin "), 300))
		return
	case "/fast/close":
		h.Set("Connection", "close")
	case "/fast/late": // fields set once the answer has started are not sent
		h.Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<p>started</p>")
		h.Set("X-Late", "1")
		h.Set("Content-Type", "application/json")
		return
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Etag", `"v1"`)
	if v := r.URL.Query().Get("echo"); v != "" {
		h.Set("X-Echo", v) // line breaks from the query: both must make them spaces
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q uri=%q path=%q query=%q %s host=%q length=%d te=%q close=%v body=%q err=%v\n",
		r.Method, r.URL.String(), r.RequestURI, r.URL.Path, r.URL.RawQuery, r.Proto, r.Host,
		r.ContentLength, r.TransferEncoding, r.Close, body, err)
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range r.Header {
			if !yield(k) {
				return
			}
		}
	}) {
		fmt.Fprintf(&b, "%s: %q\n", k, r.Header[k])
	}
	io.WriteString(w, b.String())
}

// laneRuns records, by each request's X-Case, which server read it: "lane"
// when it ran on the lane's own connection (the raw TCP connection),
// "net/http" when net/http read it from a connection handed over.
type laneRuns struct {
	mu     sync.Mutex
	byCase map[string][]string
}

func (l *laneRuns) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id := r.Header.Get("X-Case"); id != "" {
			var by string
			switch c := r.Context().Value(connKey{}).(type) {
			case *net.TCPConn:
				by = "lane"
			case *holdingConn:
				by = "net/http"
			default:
				by = fmt.Sprintf("%T", c)
			}
			l.mu.Lock()
			l.byCase[id] = append(l.byCase[id], by)
			l.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	})
}

func (l *laneRuns) of(id string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.byCase[id], ",")
}

// serveLane serves h as the service does (HTTPServer, tuned by tune) behind
// a lane of the fast paths, its errors logged to errs (nil: nowhere).
func serveLane(tb testing.TB, h http.Handler, tune func(*http.Server), errs io.Writer) (*http.Server, *Lane, string) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv := tuned(h, tune, errs)
	lane := newLane(ln, srv, laneFast)
	go srv.Serve(lane)
	tb.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := lane.Wait(ctx); err != nil {
			tb.Errorf("lane.Wait after Close: %v", err)
		}
	})
	return srv, lane, ln.Addr().String()
}

// servePlain serves h as the service did before the lane: net/http alone.
func servePlain(tb testing.TB, h http.Handler, tune func(*http.Server)) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv := tuned(h, tune, nil)
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

func tuned(h http.Handler, tune func(*http.Server), errs io.Writer) *http.Server {
	srv := HTTPServer("", h)
	srv.ErrorLog = log.New(orDiscard(errs), "", 0)
	if tune != nil {
		tune(srv)
	}
	return srv
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

// answer is one response as a client reads it.
type answer struct {
	status string // the status line's code and text
	header string // the fields but Date, one per line, sorted
	body   string
}

// sight is what a client sees of one connection: the answers; whether the
// server closed it before the client ended its side (closed); whether the
// server kept it open even after (hung); what did not read as a response.
type sight struct {
	answers      []answer
	closed, hung bool
	rest         string
}

func (s sight) codes() string {
	var codes []string
	for _, a := range s.answers {
		code, _, _ := strings.Cut(a.status, " ")
		codes = append(codes, code)
	}
	return strings.Join(codes, " ")
}

func (s sight) String() string {
	var b strings.Builder
	for i, a := range s.answers {
		fmt.Fprintf(&b, "answer %d: %s\n%sbody %q\n", i+1, a.status, a.header, a.body)
	}
	fmt.Fprintf(&b, "closed by the server: %v; open after the client's end: %v\n", s.closed, s.hung)
	if s.rest != "" {
		fmt.Fprintf(&b, "unread: %s\n", s.rest)
	}
	return b.String()
}

// exchange sends raw on a new connection to addr and reads what comes
// back: until the server closes the connection, or has sent nothing for
// quiet after the last byte was sent (the connection is then still open);
// then, its own side closed (as a client at its end), until the server
// closes. head reads the answers as answers to HEAD.
func exchange(addr string, raw []byte, quiet time.Duration, head bool) (sight, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return sight{}, err
	}
	defer c.Close()
	_ = c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	sent := make(chan time.Time, 1)
	go func() { _, _ = c.Write(raw); sent <- time.Now() }() // the server may close before it all goes

	var s sight
	var stream []byte
	buf := make([]byte, 32<<10)
	var sentAt time.Time
	limit := time.Now().Add(15 * time.Second)
	for {
		wait := time.Now().Add(quiet)
		if wait.After(limit) {
			wait = limit
		}
		_ = c.SetReadDeadline(wait)
		n, err := c.Read(buf)
		stream = append(stream, buf[:n]...)
		if err == nil {
			continue
		}
		if !isTimeout(err) { // EOF or reset: the server closed it
			s.closed = true
			break
		}
		if sentAt.IsZero() {
			select {
			case sentAt = <-sent:
			default:
			}
		}
		if !sentAt.IsZero() && time.Since(sentAt) >= quiet || time.Now().After(limit) {
			break
		}
	}
	if !s.closed {
		_ = c.(*net.TCPConn).CloseWrite()
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		for {
			n, err := c.Read(buf)
			stream = append(stream, buf[:n]...)
			if err != nil {
				s.hung = isTimeout(err)
				break
			}
		}
	}
	s.answers, s.rest = readAnswers(stream, head)
	return s, nil
}

// dateField is a Date header field, which differs between servers and
// seconds.
var dateField = regexp.MustCompile(`(?m)^Date: [^\r\n]*\r\n`)

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// readAnswers reads the responses in stream.
func readAnswers(stream []byte, head bool) ([]answer, string) {
	var answers []answer
	br := bufio.NewReader(bytes.NewReader(stream))
	for {
		if _, err := br.Peek(1); err != nil {
			return answers, ""
		}
		req := &http.Request{Method: http.MethodGet}
		if head {
			req.Method = http.MethodHead
		}
		res, err := http.ReadResponse(br, req)
		if err != nil {
			rest, _ := io.ReadAll(br)
			return answers, fmt.Sprintf("%v: %q", err, dateField.ReplaceAll(rest, nil))
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		a := answer{status: res.Status, body: string(body)}
		res.Header.Del("Date")
		switch {
		case err == nil && slices.Equal(res.TransferEncoding, []string{"chunked"}):
			// Framing: net/http chunks a body over 2 KB whose length its
			// handler did not declare; the lane, which holds the whole body,
			// declares it. A client reads the same body, so both are seen as
			// its length.
			res.Header["Content-Length"] = []string{strconv.Itoa(len(body))}
		case len(res.TransferEncoding) > 0:
			res.Header["Transfer-Encoding"] = res.TransferEncoding
		}
		for _, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range res.Header {
				if !yield(k) {
					return
				}
			}
		}) {
			a.header += fmt.Sprintf("%s: %q\n", k, res.Header[k])
		}
		if err != nil {
			a.body += fmt.Sprintf(" [%v]", err)
			return append(answers, a), ""
		}
		answers = append(answers, a)
	}
}

// differences lists the lines only net/http's sight has (-) and those only
// the lane's has (+), the first few.
func differences(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	// common[i][j] is the longest common subsequence of la[i:] and lb[j:].
	common := make([][]int, len(la)+1)
	for i := range common {
		common[i] = make([]int, len(lb)+1)
	}
	for i := len(la) - 1; i >= 0; i-- {
		for j := len(lb) - 1; j >= 0; j-- {
			if la[i] == lb[j] {
				common[i][j] = common[i+1][j+1] + 1
			} else {
				common[i][j] = max(common[i+1][j], common[i][j+1])
			}
		}
	}
	var out []string
	for i, j := 0, 0; (i < len(la) || j < len(lb)) && len(out) < 6; {
		switch {
		case i < len(la) && j < len(lb) && la[i] == lb[j]:
			i, j = i+1, j+1
		case j == len(lb) || i < len(la) && common[i+1][j] >= common[i][j+1]:
			out = append(out, "\t- "+clip(la[i]))
			i++
		default:
			out = append(out, "\t+ "+clip(lb[j]))
			j++
		}
	}
	return strings.Join(out, "\n")
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// laneCase is a connection's bytes; runs is which server reads each of its
// requests that reaches the handler on the lane's side, codes the status
// codes net/http answers.
type laneCase struct {
	name, raw, runs, codes string
	head                   bool
}

// request is the case's bytes, its X-Case being its name.
func (c laneCase) request() []byte { return []byte(strings.ReplaceAll(c.raw, "$", c.name)) }

func laneCases() []laneCase {
	const get = "GET /fast HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n"
	return []laneCase{
		{name: "fast", raw: get + "\r\n", runs: "lane", codes: "200"},
		{name: "query", raw: "GET /fast/q?a=1&b=%20x&c=%E1%BA%A3 HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", runs: "lane", codes: "200"},
		{name: "empty-query", raw: "GET /fast? HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", runs: "lane", codes: "200"},
		{name: "escaped-path", raw: "GET /fast/%7Eu%2Fv/../w HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", runs: "lane", codes: "200"},
		{name: "injected-line-breaks", raw: "GET /fast?echo=%20a%0D%0AX-Evil:%201%0D%0A HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", runs: "lane", codes: "200"},
		{name: "two-cookies", raw: get + "Cookie: a=1\r\nCookie: b=2\r\n\r\n", runs: "lane", codes: "200"},
		{name: "keep-alive", raw: get + "Connection: keep-alive\r\n\r\n", runs: "lane", codes: "200"},
		{name: "keep-alive-capitals", raw: get + "Connection: Keep-Alive\r\n\r\n", runs: "lane", codes: "200"},
		{name: "host-with-port", raw: "GET /fast HTTP/1.1\r\nHost: lane.test:8080\r\nX-Case: $\r\n\r\n", runs: "lane", codes: "200"},
		{name: "lower-case-names", raw: "GET /fast HTTP/1.1\r\nhost: lane.test\r\nx-case: $\r\nuser-agent: t\r\n\r\n", runs: "lane", codes: "200"},
		{name: "padded-value", raw: get + "X-Pad: \t a  b \t\r\nX-Empty:\r\n\r\n", runs: "lane", codes: "200"},
		{name: "obs-text-value", raw: get + "X-Name: Ph\xc3\xa1t thanh\r\n\r\n", runs: "lane", codes: "200"},
		{name: "pipelined", raw: get + "\r\n" + get + "\r\n", runs: "lane,lane", codes: "200 200"},
		{name: "fast-then-post", raw: get + "\r\nPOST /fast HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\nContent-Length: 5\r\n\r\nhello", runs: "lane,net/http", codes: "200 200"},
		{name: "post-then-fast", raw: "POST /fast HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\nContent-Length: 5\r\n\r\nhello" + get + "\r\n", runs: "net/http,net/http", codes: "200 200"},
		{name: "fast-then-garbage", raw: get + "\r\nnot http\r\n\r\n", runs: "lane", codes: "200 400"},
		{name: "other-path", raw: "GET /slow HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", runs: "net/http", codes: "200"},
		{name: "content-length-0", raw: get + "Content-Length: 0\r\n\r\n", runs: "net/http", codes: "200"},
		{name: "chunked", raw: get + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", runs: "net/http", codes: "200"},
		{name: "expect-continue", raw: get + "Content-Length: 5\r\nExpect: 100-continue\r\n\r\nhello", runs: "net/http", codes: "100 200"},
		{name: "te-trailers", raw: get + "TE: trailers\r\n\r\n", runs: "net/http", codes: "200"},
		{name: "http-1.0", raw: "GET /fast HTTP/1.0\r\nX-Case: $\r\n\r\n", runs: "net/http", codes: "200"},
		{name: "absolute-form", raw: "GET http://lane.test/fast HTTP/1.1\r\nHost: other.test\r\nX-Case: $\r\n\r\n", runs: "net/http", codes: "200"},
		{name: "lower-case-method", raw: "get /fast HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", runs: "net/http", codes: "200"},
		{name: "head", raw: "HEAD /fast HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", runs: "net/http", codes: "200", head: true},
		{name: "empty-host", raw: "GET /fast HTTP/1.1\r\nHost:\r\nX-Case: $\r\n\r\n", runs: "net/http", codes: "200"},
		{name: "missing-host", raw: "GET /fast HTTP/1.1\r\nX-Case: $\r\n\r\n", codes: "400"},
		{name: "two-hosts", raw: get + "Host: other.test\r\n\r\n", codes: "400"},
		{name: "invalid-host", raw: "GET /fast HTTP/1.1\r\nHost: a b\r\nX-Case: $\r\n\r\n", codes: "400"},
		{name: "space-before-colon", raw: "GET /fast HTTP/1.1\r\nHost : lane.test\r\nX-Case: $\r\n\r\n", codes: "400"},
		{name: "obs-fold", raw: get + "X-Folded: a\r\n b\r\n\r\n", runs: "net/http", codes: "200"},
		{name: "bare-lf", raw: "GET /fast HTTP/1.1\nHost: lane.test\nX-Case: $\n\n", runs: "net/http", codes: "200"},
		{name: "bare-lf-at-end", raw: get + "\n", runs: "net/http", codes: "200"},
		{name: "leading-empty-line", raw: "\r\n" + get + "\r\n", codes: "400"},
		{name: "header-over-8k", raw: get + "X-Pad: " + strings.Repeat("a", 20<<10) + "\r\n\r\n", runs: "net/http", codes: "200"},
		{name: "header-over-64k", raw: get + "X-Pad: " + strings.Repeat("a", 70<<10) + "\r\n\r\n", codes: "431"},
		{name: "space-in-target", raw: "GET /fast x HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", codes: "400"},
		{name: "tab-in-target", raw: "GET /fast\tx HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", codes: "400"},
		{name: "nul-in-target", raw: "GET /fast\x00 HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", codes: "400"},
		{name: "control-in-value", raw: get + "X-Bad: a\x01b\r\n\r\n", codes: "400"},
		{name: "cr-in-value", raw: get + "X-Bad: a\rb\r\n\r\n", codes: "400"},
		{name: "connection-close", raw: get + "Connection: close\r\n\r\n" + get + "\r\n", runs: "net/http", codes: "200"},
		{name: "upgrade", raw: get + "Upgrade: websocket\r\n\r\n", runs: "net/http", codes: "200"},
		{name: "handler-closes", raw: "GET /fast/close HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n" + get + "\r\n", runs: "lane", codes: "200"},
		{name: "not-modified", raw: "GET /fast/304 HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", runs: "lane", codes: "304"},
		{name: "no-content", raw: "GET /fast/204 HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", runs: "lane", codes: "204"},
		{name: "nothing-written", raw: "GET /fast/empty HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", runs: "lane", codes: "200"},
		{name: "coded-body", raw: "GET /fast/gzip HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", runs: "lane", codes: "200"},
		{name: "unnamed-status", raw: "GET /fast/299 HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", runs: "lane", codes: "299"},
		{name: "big-body", raw: "GET /fast/big HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", runs: "lane", codes: "200"},
		{name: "pragma", raw: get + "Pragma: no-cache\r\n\r\n", runs: "lane", codes: "200"},
		{name: "fields-after-the-start", raw: "GET /fast/late HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", runs: "lane", codes: "200"},
		{name: "cut-short", raw: get, codes: "400"},
		{name: "malformed-line-unfinished", raw: "GET /fast HTTP/1.1\r\nnot a field\r\n", codes: "400"},
		{name: "stray-line-end-after-fast", raw: get + "\r\n\r\n", runs: "lane", codes: "200"},
		{name: "control-in-answer-field", raw: "GET /fast?echo=%20a%0C HTTP/1.1\r\nHost: lane.test\r\nX-Case: $\r\n\r\n", runs: "lane", codes: ""},
	}
}

// bothSee sends raw at once to net/http alone (plain) and to the lane, and
// returns what a client sees of each.
func bothSee(tb testing.TB, plain, lane string, raw []byte, quiet time.Duration, head bool) (sight, sight) {
	tb.Helper()
	var a, b sight
	var errA, errB error
	var wg sync.WaitGroup
	wg.Go(func() { a, errA = exchange(plain, raw, quiet, head) })
	wg.Go(func() { b, errB = exchange(lane, raw, quiet, head) })
	wg.Wait()
	if err := errors.Join(errA, errB); err != nil {
		tb.Fatal(err)
	}
	return a, b
}

// TestLaneAnswersAsNetHTTP: each connection's bytes bring the same answers
// and the same end of the connection from the lane as from net/http alone,
// and only well-formed fast requests are read by the lane. If it fails, a
// client sees the lane answer a request otherwise than net/http (another
// status, header or body; a connection kept or closed), or a handler sees
// another request.
func TestLaneAnswersAsNetHTTP(t *testing.T) {
	runs := &laneRuns{byCase: map[string][]string{}}
	plain := servePlain(t, http.HandlerFunc(echo), nil)
	_, _, lane := serveLane(t, runs.wrap(http.HandlerFunc(echo)), nil, nil)
	for _, c := range laneCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			want, got := bothSee(t, plain, lane, c.request(), 250*time.Millisecond, c.head)
			if want.codes() != c.codes {
				t.Errorf("net/http answered %q, the case expects %q:\n%s", want.codes(), c.codes, want)
			}
			if w, g := want.String(), got.String(); w != g {
				t.Errorf("the lane's answers differ from net/http's (- net/http, + lane):\n%s", differences(w, g))
			}
			if by := runs.of(c.name); by != c.runs {
				t.Errorf("requests read by %q, want %q", by, c.runs)
			}
		})
	}
}

// FuzzLaneAnswersAsNetHTTP: any bytes bring the same answers and the same
// end of the connection from the lane as from net/http alone. If it fails,
// some request is answered by the lane otherwise than by net/http.
func FuzzLaneAnswersAsNetHTTP(f *testing.F) {
	for _, c := range laneCases() {
		f.Add(c.request())
	}
	plain := servePlain(f, http.HandlerFunc(echo), nil)
	_, _, lane := serveLane(f, http.HandlerFunc(echo), nil, nil)
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) > 128<<10 {
			t.Skip("over 128 KB")
		}
		want, got := bothSee(t, plain, lane, raw, 50*time.Millisecond, false)
		if want.String() == got.String() {
			return
		}
		// Again, patiently: an answer slower than 50 ms is no difference.
		want, got = bothSee(t, plain, lane, raw, time.Second, false)
		if w, g := want.String(), got.String(); w != g {
			t.Errorf("for %q the lane's answers differ from net/http's (- net/http, + lane):\n%s", clip(string(raw)), differences(w, g))
		}
	})
}

// untilClosed reads r, c's reader, until c is closed or limit passes, and
// returns when it was closed (zero: not) and what was read.
func untilClosed(c net.Conn, r io.Reader, limit time.Duration) (time.Time, string) {
	_ = c.SetReadDeadline(time.Now().Add(limit))
	got, err := io.ReadAll(r)
	if isTimeout(err) {
		return time.Time{}, string(got)
	}
	return time.Now(), string(got)
}

// trickle writes a byte to c every every until a write fails or the test
// ends.
func trickle(t *testing.T, c net.Conn, every time.Duration) {
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if _, err := c.Write([]byte("a")); err != nil {
					return
				}
			}
		}
	}()
	t.Cleanup(func() { close(stop); <-done })
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// getFast sends a fast GET of path on c and reads its answer.
func getFast(t *testing.T, c net.Conn, r *bufio.Reader, path string) (*http.Response, string) {
	t.Helper()
	if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: lane.test\r\n\r\n", path); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	res, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

// TestLaneHeadTimeout: a connection ends after the header timeout when its
// request's head is not all there by then, however slowly it trickles in,
// and after the idle timeout when it waits between requests, answered as
// net/http answers then; both servers are held to it. If it fails, a slow
// client holds a connection (and its goroutine) longer than net/http lets
// it, loses one net/http would keep, or is answered otherwise.
func TestLaneHeadTimeout(t *testing.T) {
	const header, idle = 200 * time.Millisecond, 600 * time.Millisecond
	tune := func(s *http.Server) { s.ReadHeaderTimeout, s.IdleTimeout = header, idle }
	servers := []struct{ name, addr string }{
		{"net/http", servePlain(t, http.HandlerFunc(echo), tune)},
		{"lane", func() string { _, _, a := serveLane(t, http.HandlerFunc(echo), tune, nil); return a }()},
	}
	afterHeader := [2]time.Duration{header * 3 / 4, header + 250*time.Millisecond}
	afterIdle := [2]time.Duration{idle - 100*time.Millisecond, idle + 300*time.Millisecond}
	for _, sc := range []struct {
		name   string
		within [2]time.Duration // when the connection closes, from start
		// start opens a connection to addr and returns it, its reader and
		// when the timeout began.
		start func(t *testing.T, addr string) (net.Conn, io.Reader, time.Time)
	}{
		{"trickled-head", afterHeader, func(t *testing.T, addr string) (net.Conn, io.Reader, time.Time) {
			c := dial(t, addr)
			start := time.Now()
			io.WriteString(c, "GET /fast HTTP/1.1\r\nHost: lane.test\r\nX-Pad: ")
			trickle(t, c, 50*time.Millisecond)
			return c, c, start
		}},
		{"trickled-second-head", afterHeader, func(t *testing.T, addr string) (net.Conn, io.Reader, time.Time) {
			c := dial(t, addr)
			r := bufio.NewReader(c)
			getFast(t, c, r, "/fast")
			start := time.Now()
			io.WriteString(c, "GET /fast HTTP/1.1\r\nX-Pad: ")
			trickle(t, c, 50*time.Millisecond)
			return c, r, start
		}},
		// A head handed to net/http midway keeps the deadline it was read
		// under: net/http's own would give it a second header timeout.
		{"handed-over-mid-head", [2]time.Duration{header * 3 / 4, header + 150*time.Millisecond}, func(t *testing.T, addr string) (net.Conn, io.Reader, time.Time) {
			c := dial(t, addr)
			start := time.Now()
			io.WriteString(c, "GET /fast HTTP/1.1\r\nHost: lane.test\r\n")
			time.Sleep(header * 9 / 10)
			io.WriteString(c, "Content-Length: 0\r\nX-Pad: ")
			trickle(t, c, 20*time.Millisecond)
			return c, c, start
		}},
		{"stalled-mid-line", afterHeader, func(t *testing.T, addr string) (net.Conn, io.Reader, time.Time) {
			c := dial(t, addr)
			start := time.Now()
			io.WriteString(c, "GET /fast HTTP/1.1\r\nHost: lane.test\r\nX-Pa") // net/http reads "X-Pa" as a line
			return c, c, start
		}},
		{"idle-after-an-answer", afterIdle, func(t *testing.T, addr string) (net.Conn, io.Reader, time.Time) {
			c := dial(t, addr)
			r := bufio.NewReader(c)
			getFast(t, c, r, "/fast")
			return c, r, time.Now()
		}},
		// net/http waits for a connection's first request as for the rest of
		// a head: the header timeout, not the idle one.
		{"nothing-sent", [2]time.Duration{header * 3 / 4, (header + idle) / 2}, func(t *testing.T, addr string) (net.Conn, io.Reader, time.Time) {
			start := time.Now()
			c := dial(t, addr)
			return c, c, start
		}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			answered := map[string]string{}
			for _, s := range servers {
				c, r, start := sc.start(t, s.addr)
				at, got := untilClosed(c, r, 3*time.Second)
				answered[s.name], _, _ = strings.Cut(got, "\r\n")
				switch took := at.Sub(start); {
				case at.IsZero():
					t.Errorf("%s: still open after 3s, want closed within %v–%v", s.name, sc.within[0], sc.within[1])
				case took < sc.within[0] || took > sc.within[1]:
					t.Errorf("%s: closed after %v, want within %v–%v", s.name, took.Round(time.Millisecond), sc.within[0], sc.within[1])
				}
			}
			if answered["lane"] != answered["net/http"] {
				t.Errorf("at its end the lane answered %q, net/http %q", answered["lane"], answered["net/http"])
			}
		})
	}
}

// TestLaneShutdown: srv.Shutdown ends the lane's idle connections at once
// and refuses new ones, while a request being answered on the lane gets its
// whole answer (saying the connection closes, as net/http's does), which
// lane.Wait waits for. If it fails, a deploy cuts a station's pull short,
// or leaves a connection open, or the service stops before its last answer.
func TestLaneShutdown(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fast/block" {
			close(entered)
			<-release
		}
		io.WriteString(w, "answered "+r.URL.Path)
	})
	srv, lane, addr := serveLane(t, h, nil, nil)

	idle := dial(t, addr)
	idleR := bufio.NewReader(idle)
	if res, body := getFast(t, idle, idleR, "/fast/idle"); res.StatusCode != 200 || body != "answered /fast/idle" {
		t.Fatalf("before the shutdown: %s %q", res.Status, body)
	}
	busy := dial(t, addr)
	busyR := bufio.NewReader(busy)
	io.WriteString(busy, "GET /fast/block HTTP/1.1\r\nHost: lane.test\r\n\r\n")
	<-entered

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if at, got := untilClosed(idle, idleR, 2*time.Second); at.IsZero() || got != "" {
		t.Errorf("the idle connection after Shutdown: closed %v, read %q; want closed, nothing read", !at.IsZero(), got)
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		io.WriteString(c, "GET /fast HTTP/1.1\r\nHost: lane.test\r\n\r\n")
		if at, got := untilClosed(c, c, 2*time.Second); at.IsZero() || got != "" {
			t.Errorf("a connection after Shutdown: closed %v, read %q; want refused or closed unanswered", !at.IsZero(), got)
		}
		c.Close()
	}
	short, cancelShort := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancelShort()
	if err := lane.Wait(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait with a request being answered: %v, want %v", err, context.DeadlineExceeded)
	}

	close(release)
	_ = busy.SetReadDeadline(time.Now().Add(5 * time.Second))
	res, err := http.ReadResponse(busyR, nil)
	if err != nil {
		t.Fatalf("the answer being made at Shutdown: %v", err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != 200 || string(body) != "answered /fast/block" {
		t.Errorf("the answer being made at Shutdown: %s %q %v", res.Status, body, err)
	}
	if !res.Close {
		t.Errorf("the answer being made at Shutdown does not say Connection: close, as net/http's does; header %v", res.Header)
	}
	if at, got := untilClosed(busy, busyR, 2*time.Second); at.IsZero() || got != "" {
		t.Errorf("after its answer: closed %v, read %q; want closed", !at.IsZero(), got)
	}
	if err := lane.Wait(ctx); err != nil {
		t.Errorf("Wait after the last answer: %v", err)
	}
}

// TestLaneHandlerPanic: a handler panicking on the lane closes its
// connection without an answer (and without answering what was sent after
// it), logs the panic to srv.ErrorLog unless it is http.ErrAbortHandler,
// and the server goes on serving others. If it fails, a panic takes the
// server down, answers half a response, or goes unlogged.
func TestLaneHandlerPanic(t *testing.T) {
	var errs publishertest.Logs // safe for the server's concurrent writes
	_, _, addr := serveLane(t, http.HandlerFunc(echo), nil, &errs)
	const next = "GET /fast HTTP/1.1\r\nHost: lane.test\r\n\r\n"
	for _, c := range []struct {
		path, logged string
	}{
		{"/fast/panic", "lane test: handler panicked"},
		{"/fast/abort", ""},
	} {
		before := errs.String()
		s, err := exchange(addr, []byte("GET "+c.path+" HTTP/1.1\r\nHost: lane.test\r\n\r\n"+next), 250*time.Millisecond, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.answers) > 0 || s.rest != "" || !s.closed {
			t.Errorf("%s: want the connection closed without an answer, got\n%s", c.path, s)
		}
		logged := strings.TrimPrefix(errs.String(), before)
		if c.logged == "" && logged != "" {
			t.Errorf("%s: logged %q, want nothing", c.path, logged)
		}
		if c.logged != "" && (!strings.Contains(logged, "panic") || !strings.Contains(logged, c.logged)) {
			t.Errorf("%s: logged %q, want the panic %q", c.path, logged, c.logged)
		}
		s, err = exchange(addr, []byte(next), 250*time.Millisecond, false)
		if err != nil {
			t.Fatal(err)
		}
		if s.codes() != "200" || s.closed {
			t.Errorf("after %s, another connection: want a 200 on an open connection, got\n%s", c.path, s)
		}
	}
}

// TestIsRundownPull: the lane takes the rundown route's paths and no other.
// If it fails, pulls go the slower way, or the lane reads other routes.
func TestIsRundownPull(t *testing.T) {
	for path, want := range map[string]bool{
		"/api/v1/stations/6b1/rundown":  true,
		"/api/v1/stations//rundown":     false,
		"/api/v1/stations/6b1/rundown/": false,
		"/api/v1/stations/6b1/airings":  false,
		"/api/v1/stations/6b1":          false,
		"/api/v1/stations/a/b/rundown":  false,
		"/api/v2/stations/6b1/rundown":  false,
		"api/v1/stations/6b1/rundown":   false,
		"/api/v1/stations/6b1/rundownx": false,
	} {
		if got := isRundownPull(path); got != want {
			t.Errorf("isRundownPull(%q) = %v, want %v", path, got, want)
		}
	}
}
