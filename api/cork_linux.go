//go:build linux

package api

import (
	"net"
	"syscall"
)

// corked runs write with TCP_CORK set on conn, so that what it writes
// (headers and a body larger than net/http's 4 KB buffer, which go out
// in two write(2) calls) leaves as full segments when the cork is pulled,
// instead of one small segment per write: nginx's tcp_nopush. Any error
// setting the option only means the body goes out uncorked.
func corked(conn net.Conn, write func()) {
	tc, ok := conn.(*net.TCPConn)
	if !ok {
		write()
		return
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		write()
		return
	}
	set := func(v int) {
		_ = rc.Control(func(fd uintptr) { _ = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK, v) })
	}
	set(1)
	defer set(0)
	write()
}
