package api

import (
	"net"
	"sync"
)

// net/http writes a response's headers into a 4 KB buffer and a body larger
// than what is left of it in a second write(2): a rundown (about 9 KB) left
// in two segments, two syscalls each sending. TCP_CORK joined them, but at
// two setsockopt(2) calls per pull, the uncorking one doing the send: a
// third of the whole pull's CPU under wrk. Instead the listener's
// connections can hold their writes while a handler writes a whole
// response (whole), which then leaves in one write(2): nginx's writev of
// headers and body. The connections the lane hands to net/http are such
// connections (FastLane); the lane's own answers leave whole anyway.

// holdingConn collects writes while held. net/http writes a connection's
// responses from the one goroutine serving it, so held and buf need no
// lock.
type holdingConn struct {
	net.Conn
	held bool
	buf  []byte
}

func (c *holdingConn) Write(p []byte) (int, error) {
	if c.held {
		c.buf = append(c.buf, p...)
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// CloseWrite keeps net/http's graceful close of TCP connections (it looks
// for the method on the connection).
func (c *holdingConn) CloseWrite() error { return closeWrite(c.Conn) }

// closeWrite half-closes conn when it can, as a wrapped connection must
// for net/http's graceful close to reach the socket.
func closeWrite(conn net.Conn) error {
	if cw, ok := conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// answerBuffers are the buffers of whole answers being written (a held
// response, a lane answer's body), shared by connections: an idle one
// holds none.
var answerBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// putAnswerBuffer returns a buffer to answerBuffers, unless an unusually
// large answer grew it.
func putAnswerBuffer(bp *[]byte) {
	if cap(*bp) <= 64<<10 {
		*bp = (*bp)[:0]
		answerBuffers.Put(bp)
	}
}

// whole runs write, which must write and flush a whole response, with conn's
// writes held, and sends what it wrote in one write(2). A connection of
// another listener is written to as it is. A failed write is net/http's to
// find: the connection's next use fails.
func whole(conn net.Conn, write func()) {
	c, ok := conn.(*holdingConn)
	if !ok || c.held {
		write()
		return
	}
	bp := answerBuffers.Get().(*[]byte)
	c.held, c.buf = true, (*bp)[:0]
	write()
	c.held = false
	_, _ = c.Conn.Write(c.buf)
	*bp = c.buf
	putAnswerBuffer(bp)
	c.buf = nil
}
