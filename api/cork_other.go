//go:build !linux

package api

import "net"

// corked runs write; TCP_CORK is Linux's (see cork_linux.go).
func corked(_ net.Conn, write func()) { write() }
