package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
)

// Wire protocol constants (MongoDB wire protocol: a 16-byte header of
// messageLength, requestID, responseTo and opCode, all little-endian int32).
const (
	opMsg          = 2013
	flagMoreToCome = 1 << 1
	maxMessage     = 48 << 20
)

// Proxy serves the embedded engine to other processes (`lantoa db`) while
// executing one command at a time: each whole request/reply exchange is
// forwarded to the engine under a single lock. The engine applies an update
// as a read and a write outside a transaction, so without this two replicas
// could interleave them (a lost $inc, two winners of one claim).
type Proxy struct {
	ln      net.Listener
	backend func() (net.Conn, error)
	log     *slog.Logger
	mu      sync.Mutex // held for one exchange at a time, across all clients
	wg      sync.WaitGroup
}

// ErrNotLoopback refuses a listen address other processes on the network
// could reach: the embedded store has no authentication.
var ErrNotLoopback = errors.New("the embedded store has no authentication: listen on a loopback address, or allow remote access explicitly")

// NewProxy listens on addr and forwards to the engine. It refuses a
// non-loopback address unless allowRemote.
func NewProxy(addr string, allowRemote bool, eng *Engine, log *slog.Logger) (*Proxy, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--listen %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); !allowRemote && host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("--listen %q: %w", addr, ErrNotLoopback)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--listen %q: %w", addr, err)
	}
	network, target := "unix", eng.Socket
	if target == "" {
		network, target = "tcp", eng.TCPAddr()
	}
	return &Proxy{ln: ln, log: log, backend: func() (net.Conn, error) { return net.Dial(network, target) }}, nil
}

// Addr is the address the proxy listens on.
func (p *Proxy) Addr() net.Addr { return p.ln.Addr() }

// Serve accepts clients until ctx ends, then closes and waits for them.
func (p *Proxy) Serve(ctx context.Context) error {
	go func() { <-ctx.Done(); p.ln.Close() }()
	var conns sync.Map
	defer func() {
		conns.Range(func(k, _ any) bool { k.(net.Conn).Close(); return true })
		p.wg.Wait()
	}()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		conns.Store(c, true)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer conns.Delete(c)
			if err := p.serveConn(c); err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				p.log.Debug("store proxy connection ended", "err", err)
			}
		}()
	}
}

// serveConn relays one client over its own engine connection.
func (p *Proxy) serveConn(client net.Conn) error {
	defer client.Close()
	engine, err := p.backend()
	if err != nil {
		return fmt.Errorf("connecting to the engine: %w", err)
	}
	defer engine.Close()
	for {
		req, err := readMessage(client)
		if err != nil {
			return err
		}
		if err := p.exchange(req, client, engine); err != nil {
			return err
		}
	}
}

// exchange forwards one request and its replies, under the lock unless the
// command only asks about the server: the driver's heartbeat (hello) must
// not wait behind a long write, or the driver would give up on the server
// and drop its connections.
func (p *Proxy) exchange(req []byte, client, engine net.Conn) error {
	if !handshake[commandName(req)] {
		p.mu.Lock()
		defer p.mu.Unlock()
	}
	if _, err := engine.Write(req); err != nil {
		return err
	}
	if moreToCome(req) {
		return nil // the client expects no reply
	}
	for {
		reply, err := readMessage(engine)
		if err != nil {
			return err
		}
		if _, err := client.Write(reply); err != nil {
			return err
		}
		if !moreToCome(reply) {
			return nil
		}
	}
}

// readMessage reads one whole wire message, header included.
func readMessage(r io.Reader) ([]byte, error) {
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, err
	}
	n := int(binary.LittleEndian.Uint32(head[:]))
	if n < 16 || n > maxMessage {
		return nil, fmt.Errorf("wire message of %d bytes", n)
	}
	msg := make([]byte, n)
	copy(msg, head[:])
	_, err := io.ReadFull(r, msg[4:])
	return msg, err
}

// moreToCome reports an OP_MSG with the moreToCome flag: a request that
// expects no reply, or a reply followed by another.
func moreToCome(msg []byte) bool {
	return len(msg) >= 20 && binary.LittleEndian.Uint32(msg[12:]) == opMsg &&
		binary.LittleEndian.Uint32(msg[16:])&flagMoreToCome != 0
}

// handshake lists the read-only commands that describe the server.
var handshake = map[string]bool{"hello": true, "isMaster": true, "ismaster": true, "ping": true, "buildInfo": true, "buildinfo": true}

// commandName returns the first key of an OP_MSG's body document (the
// command's name), or "" for anything else.
func commandName(msg []byte) string {
	// header (16) + flagBits (4) + section kind (1) + document length (4) + element type (1)
	const start = 16 + 4 + 1 + 4 + 1
	if len(msg) <= start || binary.LittleEndian.Uint32(msg[12:]) != opMsg || msg[20] != 0 {
		return ""
	}
	end := bytes.IndexByte(msg[start:], 0)
	if end < 0 {
		return ""
	}
	return string(msg[start : start+end])
}
