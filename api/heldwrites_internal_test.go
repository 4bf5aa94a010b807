package api

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
)

// countingListener counts the write(2) calls on its connections.
type countingListener struct {
	net.Listener
	writes *atomic.Int32
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.writes}, nil
}

type countingConn struct {
	net.Conn
	writes *atomic.Int32
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// TestWholeResponseLeavesInOneWrite: a 9 KB response written through whole
// leaves in one write(2) where net/http alone takes two (its 4 KB buffer),
// with its bytes intact, on a connection that stays open for the next
// request; on a connection that is not the lane's whole just writes.
func TestWholeResponseLeavesInOneWrite(t *testing.T) {
	body := bytes.Repeat([]byte("Bản tin phát thanh. "), 400) // 9.2 KB
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		send := func() {
			w.Write(body)
			w.(http.Flusher).Flush()
		}
		if r.URL.Path == "/whole" {
			conn, _ := r.Context().Value(connKey{}).(net.Conn)
			whole(conn, send)
			return
		}
		send()
	})
	serve := func(t *testing.T, hold bool) (addr string, writes *atomic.Int32) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		writes = new(atomic.Int32)
		var l net.Listener = countingListener{ln, writes}
		srv := HTTPServer("", handler)
		if hold { // as the service serves: through the lane, which hands these paths to net/http
			l = newLane(l, srv, func(string) bool { return false })
		}
		go srv.Serve(l)
		t.Cleanup(func() { srv.Close() })
		return ln.Addr().String(), writes
	}
	// get sends one request per path on one connection and returns how
	// many writes each response took.
	get := func(t *testing.T, addr string, writes *atomic.Int32, paths ...string) []int32 {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		r := bufio.NewReader(conn)
		var out []int32
		for _, p := range paths {
			before := writes.Load()
			fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", p)
			res, err := http.ReadResponse(r, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(res.Body)
			if !bytes.Equal(got, body) || res.ContentLength != int64(len(body)) {
				t.Fatalf("%s: %d bytes (declared %d), want %d", p, len(got), res.ContentLength, len(body))
			}
			out = append(out, writes.Load()-before)
		}
		return out
	}
	addr, writes := serve(t, true)
	if n := get(t, addr, writes, "/whole", "/whole", "/plain"); n[0] != 1 || n[1] != 1 || n[2] != 2 {
		t.Errorf("through the lane: writes per response %v, want [1 1 2]", n)
	}
	addr, writes = serve(t, false)
	if n := get(t, addr, writes, "/whole", "/plain"); n[0] != 2 || n[1] != 2 {
		t.Errorf("plain listener: writes per response %v, want [2 2]", n)
	}
}
