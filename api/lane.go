package api

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http/httpguts"
)

// The lane answers the operators' rundown pull (GET
// /api/v1/stations/:id/rundown) from a connection loop of its own instead of
// net/http's: on this project's 2-core machine net/http alone serves at most
// about 0.6× of what nginx serves of the same bytes, while a plain loop over
// the connection serves more than nginx (docs/architecture.md, "The lane").
// The request still goes through the service's one handler (gin, every
// middleware, the token, the log line), so the pull has one owner; only the
// reading of the request and the writing of the response are the lane's.
//
// The lane reads only what it can read safely: a GET in HTTP/1.1 of a fast
// path, in origin form, with one Host, well-formed header fields and no body
// (no Content-Length, Transfer-Encoding, Expect, Upgrade or Connection other
// than keep-alive). Anything else — another path, another method, a
// malformed or unusual request, a head over laneHeadMax — and the
// connection is handed to net/http from that request on (its bytes
// included), which then serves it as it serves every other connection. A
// client cannot tell the two apart (lane_internal_test.go sends both the
// same bytes), but for the few differences docs/architecture.md lists.

// laneHeadMax is the largest request head the lane reads; a longer one goes
// to net/http, whose limit (MaxHeaderBytes) decides.
const laneHeadMax = 8 << 10

// Lane is a listener whose connections' fast requests are answered by the
// lane; the connections it hands over come out of Accept, for the
// http.Server serving it.
type Lane struct {
	ln     net.Listener
	srv    *http.Server
	fast   func(path string) bool
	base   context.Context // of every connection's context, as net/http makes it
	handed chan net.Conn
	done   chan struct{}
	once   sync.Once
	failed atomic.Pointer[error] // why the listener stopped, if not closed

	mu     sync.Mutex // over conns, and the setting of closed (read freely)
	closed atomic.Bool
	conns  map[*laneConn]struct{}
	active sync.WaitGroup // the connections the lane reads
}

// FastLane wraps ln, the listener srv is to serve (srv.Serve(lane)): the
// rundown pulls on its connections are answered by srv.Handler from the
// lane's loop, under srv's timeouts; every other request's connection is
// handed to srv, its writes able to be held (whole). After
// srv.Shutdown, Wait waits for the lane's last answers.
func FastLane(ln net.Listener, srv *http.Server) *Lane { return newLane(ln, srv, isRundownPull) }

// newLane is FastLane answering the paths fast accepts.
func newLane(ln net.Listener, srv *http.Server, fast func(path string) bool) *Lane {
	l := &Lane{ln: ln, srv: srv, fast: fast, handed: make(chan net.Conn), done: make(chan struct{}),
		conns: map[*laneConn]struct{}{}}
	base := context.Background()
	if srv.BaseContext != nil {
		base = srv.BaseContext(l)
	}
	l.base = context.WithValue(base, http.ServerContextKey, srv)
	go l.accept()
	return l
}

// accept takes the listener's connections, each served by the lane. A
// temporary failure (too many open files) is waited out as net/http waits
// it out; any other ends the lane, and Accept returns it to net/http.
func (l *Lane) accept() {
	var delay time.Duration
	for {
		c, err := l.ln.Accept()
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Temporary() { //nolint:staticcheck // net/http's own test
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				l.logf("http: Accept error: %v; retrying in %v", err, delay)
				time.Sleep(delay)
				continue
			}
			if !l.closed.Load() {
				l.failed.Store(&err)
			}
			l.Close()
			return
		}
		delay = 0
		lc := &laneConn{conn: c, lane: l}
		if !l.track(lc) {
			c.Close()
			continue
		}
		go lc.serve()
	}
}

// Accept returns the next connection handed to net/http.
func (l *Lane) Accept() (net.Conn, error) {
	select {
	case c := <-l.handed:
		return c, nil
	case <-l.done:
		if err := l.failed.Load(); err != nil {
			return nil, *err
		}
		return nil, net.ErrClosed
	}
}

// Addr is the listener's address.
func (l *Lane) Addr() net.Addr { return l.ln.Addr() }

// Close stops accepting and ends the lane's connections but for an answer
// under way, which is finished first (Wait). http.Server.Shutdown calls it.
func (l *Lane) Close() error {
	var err error
	l.once.Do(func() {
		l.mu.Lock()
		l.closed.Store(true)
		for c := range l.conns {
			_ = c.conn.SetReadDeadline(aLongTimeAgo) // wakes a connection waiting for its next request
		}
		l.mu.Unlock()
		err = l.ln.Close()
		close(l.done)
	})
	return err
}

// Wait waits, after Close, until the lane's connections have finished the
// request each was answering, or ctx ends.
func (l *Lane) Wait(ctx context.Context) error {
	ended := make(chan struct{})
	go func() { l.active.Wait(); close(ended) }()
	select {
	case <-ended:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

var aLongTimeAgo = time.Unix(1, 0)

func (l *Lane) track(c *laneConn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed.Load() {
		return false
	}
	l.conns[c] = struct{}{}
	l.active.Add(1)
	return true
}

func (l *Lane) untrack(c *laneConn) {
	l.mu.Lock()
	delete(l.conns, c)
	l.mu.Unlock()
	l.active.Done()
}

// waitFor sets the read deadline of the wait for the next bytes of a
// request, unless the lane is closing.
func (l *Lane) waitFor(c *laneConn, d time.Duration) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed.Load() {
		return false
	}
	if d > 0 {
		_ = c.conn.SetReadDeadline(time.Now().Add(d))
	} else {
		_ = c.conn.SetReadDeadline(time.Time{})
	}
	return true
}

// handOver gives c to net/http with the bytes read and not yet answered.
func (l *Lane) handOver(c *laneConn, pending []byte) {
	_ = c.conn.SetReadDeadline(time.Time{})
	hc := &holdingConn{Conn: &handedConn{Conn: c.conn, pending: slices.Clone(pending), late: c.late, headBy: c.headBy}}
	select {
	case l.handed <- hc:
	case <-l.done:
		c.conn.Close()
	}
}

// laneConn is one connection the lane reads.
type laneConn struct {
	conn      net.Conn
	lane      *Lane
	ctx       context.Context
	remote    string
	buf       []byte    // from the start of the request being read
	checked   int       // how much of buf's head is whole lines the lane takes
	late      error     // how the read of a head net/http is to answer ended (a timeout, the client's end)
	headBy    time.Time // the header deadline of the request being read, once it runs
	req       http.Request
	reqHeader http.Header
	reqValues []string
	w         laneWriter
}

// serve answers c's requests until one is not the lane's, the client goes,
// a timeout passes or the lane closes.
func (c *laneConn) serve() {
	handed := false
	defer func() {
		if v := recover(); v != nil { // outside a handler, which answer recovers: as net/http, the connection ends
			c.lane.logf("http: panic serving %v: %v\n%s", c.conn.RemoteAddr(), v, debug.Stack())
		}
		if !handed {
			c.conn.Close()
		}
		c.lane.untrack(c)
	}()
	srv := c.lane.srv
	ctx := context.WithValue(c.lane.base, http.LocalAddrContextKey, c.conn.LocalAddr()) // as net/http's requests carry
	if srv.ConnContext != nil {
		ctx = srv.ConnContext(ctx, c.conn)
	}
	c.ctx, c.remote = ctx, c.conn.RemoteAddr().String()
	c.buf = make([]byte, 0, 4096)
	for first := true; ; first = false {
		end, ok := c.readHead(first)
		if !ok {
			return
		}
		var r *http.Request
		if end > 0 {
			r = c.parse(c.buf[:end])
		}
		if r == nil {
			handed = true
			c.lane.handOver(c, c.buf)
			return
		}
		keep := c.answer(r)
		c.buf, c.checked = c.buf[:copy(c.buf, c.buf[end:])], 0
		if !keep {
			return
		}
	}
}

// readHead reads until c.buf holds a whole request head the lane may take
// and returns its length; 0 when the request is net/http's to read (a
// complete line the lane does not take, a head over the lane's limit, or
// the client's end of the connection after part of a request); false when
// the connection is to end. Its deadlines are net/http's: the header
// timeout from the connection's start for its first request; for later
// ones the idle timeout until four bytes have come, then the header
// timeout, however slowly the rest trickles in. A timeout ends the
// connection without an answer.
func (c *laneConn) readHead(first bool) (int, bool) {
	srv, timed, idle := c.lane.srv, false, false
	headMax := laneHeadMax
	if m := srv.MaxHeaderBytes; m > 0 && m < headMax {
		headMax = m
	}
	for {
		if first || len(c.buf) >= 4 { // between requests net/http reads nothing before four bytes
			if end, taken := c.lookAhead(); end > 0 || !taken {
				return end, true
			}
		}
		if len(c.buf) >= headMax {
			return 0, true
		}
		switch {
		case timed: // the header deadline runs
		case first || len(c.buf) >= 4:
			d := cmp.Or(srv.ReadHeaderTimeout, srv.ReadTimeout)
			if !c.lane.waitFor(c, d) {
				return 0, false
			}
			timed = true
			if d > 0 {
				c.headBy = time.Now().Add(d)
			}
		case !idle:
			if !c.lane.waitFor(c, cmp.Or(srv.IdleTimeout, srv.ReadTimeout)) {
				return 0, false
			}
			idle = true
		}
		if len(c.buf) == cap(c.buf) {
			c.buf = slices.Grow(c.buf, headMax-len(c.buf))
		}
		n, err := c.conn.Read(c.buf[len(c.buf):cap(c.buf)])
		c.buf = c.buf[:len(c.buf)+n]
		if err != nil && n == 0 {
			if !timed || len(c.buf) == 0 {
				return 0, false // as net/http, which waits for four bytes between requests
			}
			c.late = err // net/http answers what came before, then meets the same end
			return 0, true
		}
	}
}

// lookAhead looks at what c.buf holds: the head's length when it is whole
// (parse then judges all of it); 0, true when more is needed and every
// whole line so far is one the lane takes; 0, false when one is not (the
// request is then net/http's to read, at once, as one with a bare LF line
// end or an empty first line).
func (c *laneConn) lookAhead() (int, bool) {
	if end := bytes.Index(c.buf, headTail); end > 0 {
		return end + len(headTail), true
	}
	for { // a head in parts: its whole lines are checked as they come
		i := bytes.IndexByte(c.buf[c.checked:], '\n')
		if i < 0 {
			return 0, true
		}
		line := c.buf[c.checked : c.checked+i]
		if len(line) == 0 || line[len(line)-1] != '\r' {
			return 0, false
		}
		line = line[:len(line)-1]
		if c.checked == 0 {
			if _, _, ok := c.target(string(line)); !ok {
				return 0, false
			}
		} else if _, _, ok := field(string(line)); !ok {
			return 0, false
		}
		c.checked += i + 1
	}
}

var headTail = []byte("\r\n\r\n")

// target reads a request line the lane takes: GET in HTTP/1.1 of a fast
// path in origin form, which parses as net/http parses it (net/http, which
// refuses a bad target before it reads the fields, is then to answer at
// once).
func (c *laneConn) target(line string) (string, *url.URL, bool) {
	target, ok := strings.CutPrefix(line, "GET ")
	if !ok {
		return "", nil, false
	}
	target, ok = strings.CutSuffix(target, " HTTP/1.1")
	if !ok || target == "" || target[0] != '/' || strings.IndexByte(target, ' ') >= 0 {
		return "", nil, false
	}
	if path, _, _ := strings.Cut(target, "?"); !c.lane.fast(path) {
		return "", nil, false
	}
	u, err := url.ParseRequestURI(target)
	return target, u, err == nil
}

// field reads a header field line the lane takes: a valid name (made
// canonical) and value (trimmed), and none of the fields that make a
// request net/http's: a body, an upgrade, an expectation, a connection to
// close.
func field(line string) (key, value string, ok bool) {
	name, v, ok := strings.Cut(line, ":")
	if !ok || !httpguts.ValidHeaderFieldName(name) {
		return "", "", false
	}
	if v = strings.Trim(v, " \t"); !httpguts.ValidHeaderFieldValue(v) {
		return "", "", false
	}
	key = textproto.CanonicalMIMEHeaderKey(name) // no copy when the name is canonical already
	switch key {
	case "Content-Length", "Transfer-Encoding", "Expect", "Upgrade", "Te", "Trailer", "Http2-Settings":
		return "", "", false
	case "Connection":
		if !strings.EqualFold(v, "keep-alive") {
			return "", "", false
		}
	}
	return key, v, true
}

// parse reads a whole request head into a request; nil when the request is
// not the lane's.
func (c *laneConn) parse(head []byte) *http.Request {
	// One copy of the head: the target and the header values are its
	// substrings.
	line, rest, _ := strings.Cut(string(head), "\r\n")
	target, u, ok := c.target(line)
	if !ok {
		return nil
	}
	fields := strings.Count(rest, "\n") - 1 // the head ends with its empty line
	// The connection's header map and values, emptied (a third of a
	// kilobyte each request otherwise). This is a difference from
	// net/http, which lets a handler keep its request after returning: a
	// request kept here shows the connection's next request's fields. No
	// handler of the rundown route keeps one (docs/architecture.md).
	h := c.reqHeader
	if h == nil {
		h = make(http.Header, 8)
		c.reqHeader = h
	}
	clear(h)
	values := slices.Grow(c.reqValues[:0], fields)[:fields]
	c.reqValues = values
	host := ""
	for i := range fields {
		var line string
		line, rest, _ = strings.Cut(rest, "\r\n")
		key, v, ok := field(line)
		switch {
		case !ok:
			return nil
		case key == "Host": // net/http keeps it in r.Host only, and wants one
			if host != "" || v == "" || !httpguts.ValidHostHeader(v) {
				return nil
			}
			host = v
			continue
		}
		values[i] = v
		if h[key] == nil {
			h[key] = values[i : i+1 : i+1]
		} else {
			h[key] = append(h[key], v)
		}
	}
	if host == "" {
		return nil
	}
	if p := h["Pragma"]; len(p) > 0 && p[0] == "no-cache" && h["Cache-Control"] == nil {
		h["Cache-Control"] = []string{"no-cache"} // as net/http's fixPragmaCacheControl
	}
	// The connection's request is filled in place: the handler gets a copy
	// of it (answer's WithContext), so only that copy is allocated.
	c.req = http.Request{Method: http.MethodGet, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: http.NoBody, Host: host, RemoteAddr: c.remote, RequestURI: target}
	return &c.req
}

var crlf = []byte("\r\n")

// answer runs the handler on r and writes its response; false when the
// connection is to end after it. As in net/http, the write timeout runs
// from the end of the request's head, and the request's context ends
// with the handler.
func (c *laneConn) answer(r *http.Request) (keep bool) {
	srv, w := c.lane.srv, &c.w
	if srv.WriteTimeout > 0 {
		_ = c.conn.SetWriteDeadline(time.Now().Add(srv.WriteTimeout))
	}
	ctx, cancel := context.WithCancel(c.ctx)
	defer cancel()
	w.reset()
	defer w.release()
	defer func() {
		if v := recover(); v != nil {
			keep = false
			if v != http.ErrAbortHandler {
				c.lane.logf("http: panic serving %v: %v\n%s", c.remote, v, debug.Stack())
			}
		}
	}()
	srv.Handler.ServeHTTP(w, r.WithContext(ctx))
	out := w.finish(laneNow(), c.lane.closed.Load())
	if _, err := out.WriteTo(c.conn); err != nil { // one writev(2)
		return false
	}
	return !w.closes
}

// logf logs as net/http does: to srv.ErrorLog, or else the default logger.
func (l *Lane) logf(format string, args ...any) {
	if l.srv.ErrorLog != nil {
		l.srv.ErrorLog.Printf(format, args...)
		return
	}
	log.Printf(format, args...)
}

// laneWriter is the http.ResponseWriter of the lane. As net/http, it takes
// the handler's header fields as they are when the answer starts (the
// first WriteHeader or Write); it keeps the body, and the whole answer
// leaves in one writev(2) once the handler is done.
type laneWriter struct {
	h      http.Header // the handler's: the connection's, emptied for each request
	status int
	head   []byte  // the status line and the handler's fields
	body   *[]byte // from answerBuffers
	// What the handler's fields said when the answer started.
	hasType, coded, hasDate, closes bool
	out                             net.Buffers
	keys                            []string
}

func (w *laneWriter) reset() {
	// The connection's header map, emptied: a map of a rundown answer's
	// ten fields is a kilobyte, which made up a third of the bytes each
	// pull allocated. As in net/http, a handler may not use its
	// ResponseWriter, its Header included, once it has returned.
	h := w.h
	if h == nil {
		h = make(http.Header, 14) // 16 slots
	}
	clear(h)
	*w = laneWriter{h: h, head: w.head[:0], out: w.out[:0], keys: w.keys[:0]}
}

// release returns the body's buffer once the answer is written.
func (w *laneWriter) release() {
	if w.body != nil {
		putAnswerBuffer(w.body)
	}
	clear(w.out) // no hold on a body back in the pool
	w.body, w.out = nil, w.out[:0]
}

func (w *laneWriter) Header() http.Header { return w.h }

// WriteHeader starts the answer, as net/http: an invalid code panics; 1xx
// answers are not sent (no handler of the lane's sends one).
func (w *laneWriter) WriteHeader(code int) {
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	if w.status != 0 || code < 200 {
		return
	}
	w.status = code
	w.start()
}

func (w *laneWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	w.grow()
	*w.body = append(*w.body, p...)
	return len(p), nil
}

func (w *laneWriter) WriteString(s string) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	w.grow()
	*w.body = append(*w.body, s...)
	return len(s), nil
}

func (w *laneWriter) grow() {
	if w.body == nil {
		w.body = answerBuffers.Get().(*[]byte)
	}
}

// Flush does nothing: the answer leaves whole when the handler returns.
func (w *laneWriter) Flush() {}

// start writes the status line and the handler's fields as net/http writes
// them: sorted, invalid names left out, line breaks in values made spaces
// and values trimmed, less those the status forbids; the framing
// (Content-Length, Transfer-Encoding) is the lane's, added by finish.
func (w *laneWriter) start() {
	h, bodyAllowed := w.h, w.bodyAllowed()
	out := append(w.head[:0], "HTTP/1.1 "...)
	out = strconv.AppendInt(out, int64(w.status), 10)
	out = append(out, ' ')
	if text := http.StatusText(w.status); text != "" {
		out = append(out, text...)
	} else {
		out = append(out, "status code "...)
		out = strconv.AppendInt(out, int64(w.status), 10)
	}
	out = append(out, crlf...)
	keys := w.keys[:0]
	for k := range h {
		if httpguts.ValidHeaderFieldName(k) && k != "Content-Length" && k != "Transfer-Encoding" &&
			(bodyAllowed || k != "Content-Type") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			out = appendField(out, k, v)
		}
	}
	w.head, w.keys = out, keys
	_, w.hasType = h["Content-Type"]
	_, w.hasDate = h["Date"]
	w.coded = len(h["Content-Encoding"]) > 0 && h["Content-Encoding"][0] != ""
	w.closes = len(h["Connection"]) > 0 && h["Connection"][0] == "close" // as net/http reads it
}

// finish adds what net/http adds once the handler is done — a Content-Type
// sniffed from a body not coded and without one, Connection: close when
// the server is shutting down, Date, the Content-Length — and returns the
// whole answer. One difference: net/http chunks a body over 2 KB whose
// length the handler did not declare, and holds to a length it declared;
// the lane, which has the whole body, declares its length.
func (w *laneWriter) finish(date []byte, closing bool) net.Buffers {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	var body []byte
	if w.body != nil {
		body = *w.body
	}
	bodyAllowed := w.bodyAllowed()
	out := w.head
	if bodyAllowed && !w.hasType && !w.coded && len(body) > 0 {
		out = appendField(out, "Content-Type", http.DetectContentType(body))
	}
	if closing && !w.closes {
		out = appendField(out, "Connection", "close")
		w.closes = true
	}
	if !w.hasDate {
		out = append(out, "Date: "...)
		out = append(out, date...)
		out = append(out, crlf...)
	}
	if bodyAllowed {
		out = append(out, "Content-Length: "...)
		out = strconv.AppendInt(out, int64(len(body)), 10)
		out = append(out, crlf...)
	} else {
		body = nil
	}
	w.head = append(out, crlf...)
	w.out = append(w.out[:0], w.head)
	if len(body) > 0 {
		w.out = append(w.out, body)
	}
	return w.out
}

// bodyAllowed: the answer's status lets it have a body (and Content-Type
// and Content-Length).
func (w *laneWriter) bodyAllowed() bool {
	return w.status != http.StatusNoContent && w.status != http.StatusNotModified
}

// appendField appends a header line, its value's line breaks made spaces
// and the value then trimmed, as net/http writes header values.
func appendField(out []byte, k, v string) []byte {
	out = append(out, k...)
	out = append(out, ": "...)
	if strings.IndexByte(v, '\r') >= 0 || strings.IndexByte(v, '\n') >= 0 { // two vector scans, cheaper than ContainsAny's byte loop
		b := []byte(v)
		for i, c := range b {
			if c == '\r' || c == '\n' {
				b[i] = ' '
			}
		}
		v = string(b)
	}
	out = append(out, textproto.TrimString(v)...)
	return append(out, crlf...)
}

// laneDate is the Date header's value, made once a second.
var laneDate atomic.Pointer[laneStamp]

type laneStamp struct {
	sec  int64
	text []byte
}

func laneNow() []byte {
	now := time.Now()
	if d := laneDate.Load(); d != nil && d.sec == now.Unix() {
		return d.text
	}
	d := &laneStamp{sec: now.Unix(), text: now.UTC().AppendFormat(nil, http.TimeFormat)}
	laneDate.Store(d)
	return d.text
}

// handedConn is a connection given to net/http with the bytes the lane read
// and did not answer: its reads return those first, then the error that
// ended the lane's reading, if one did, for good (a header timeout is then
// net/http's as if it had waited itself, not a second wait).
type handedConn struct {
	net.Conn
	pending []byte
	late    error
	headBy  time.Time // the header deadline of the request handed over
}

func (c *handedConn) Read(p []byte) (int, error) {
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		return n, nil
	}
	if c.late != nil { // the connection's deadline has passed, or the client has gone: for good
		return 0, c.late
	}
	return c.Conn.Read(p)
}

// SetReadDeadline keeps the header deadline the lane was reading under: net/http's
// first deadline on a connection is its header timeout from then, which
// would give a head handed over midway a second one.
func (c *handedConn) SetReadDeadline(t time.Time) error {
	if by := c.headBy; !by.IsZero() {
		c.headBy = time.Time{}
		if t.IsZero() || t.After(by) {
			t = by
		}
	}
	return c.Conn.SetReadDeadline(t)
}

// CloseWrite keeps net/http's graceful close of TCP connections.
func (c *handedConn) CloseWrite() error { return closeWrite(c.Conn) }

// rundownRoute is the operators' rundown pull, the route the lane answers.
const rundownRoute = "/api/v1/stations/:id/rundown"

// isRundownPull reports whether path is rundownRoute's: its segments, any
// one non-empty segment for a :parameter.
func isRundownPull(path string) bool {
	route := rundownRoute
	for {
		want, moreRoute, more := strings.Cut(route, "/")
		got, morePath, morePathSegs := strings.Cut(path, "/")
		param := strings.HasPrefix(want, ":")
		switch {
		case more != morePathSegs, param && got == "", !param && got != want:
			return false
		case !more:
			return true
		}
		route, path = moreRoute, morePath
	}
}
