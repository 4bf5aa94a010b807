// Command floor serves one file's bytes from memory with net/http alone: no
// router, no middleware, no authentication, no log; a Content-Type and a
// Content-Length, then the body. It is the floor under any Go handler of
// the rundown pull, measured by bench/rundown/run.sh beside the service and
// nginx, so that the ratio the service reaches can be read against the
// ratio Go's HTTP server reaches on the same machine in the same run.
//
// With -headers it is dressed as the service: every response also carries
// the header lines of that file (as curl -D writes them: the service's
// security headers, ETag, Vary, Cache-Control, request id; its status line,
// Date, Content-Type and Content-Length are left out, net/http and the floor
// write those), and it serves through api.HTTPServer, the service's server
// settings (timeouts, header limit, connection context). What the service
// costs beyond that is its own code: router, middleware, token, stamps, log.
//
// With -lane as well it serves through the service's lane (api.FastLane)
// instead of net/http's connection loop, as the service serves its rundown
// pulls: what the lane itself costs, under a handler that only writes. Only
// rundown paths (/api/v1/stations/ID/rundown) take the lane.
//
//	go run ./bench/rundown/floor -addr 127.0.0.1:18082 -file rundown.json [-headers headers.txt [-lane]]
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"

	"github.com/lantoa/lantoa/api"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18082", "where to listen")
	file := flag.String("file", "rundown.json", "the bytes to serve")
	headers := flag.String("headers", "", "a file of header lines to send as well, served with the service's server settings")
	lane := flag.Bool("lane", false, "with -headers: serve rundown paths through the service's lane")
	flag.Parse()
	body, err := os.ReadFile(*file)
	if err != nil {
		fail(err)
	}
	var extra []line
	if *headers != "" {
		if extra, err = readHeaders(*headers); err != nil {
			fail(err)
		}
	}
	ctype, length := []string{"application/json; charset=utf-8"}, []string{strconv.Itoa(len(body))}
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		for _, l := range extra { // set one by one, as the service's middleware does: no map walk per request
			h[l.key] = l.values
		}
		h["Content-Type"], h["Content-Length"] = ctype, length
		_, _ = w.Write(body)
	})
	switch {
	case *headers != "" && *lane:
		srv := api.HTTPServer(*addr, h)
		ln, lerr := net.Listen("tcp", *addr)
		if lerr != nil {
			fail(lerr)
		}
		err = srv.Serve(api.FastLane(ln, srv))
	case *headers != "":
		err = api.HTTPServer(*addr, h).ListenAndServe()
	default:
		err = http.ListenAndServe(*addr, h)
	}
	fail(err)
}

// line is one header of the dressed floor, its key canonical.
type line struct {
	key    string
	values []string
}

// readHeaders reads a response's head as curl -D writes it, less the
// headers the floor or net/http write themselves.
func readHeaders(name string) ([]line, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	resp, err := http.ReadResponse(bufio.NewReader(f), nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var out []line
	for k, v := range resp.Header {
		if k != "Date" && k != "Content-Type" && k != "Content-Length" {
			out = append(out, line{k, v})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no header lines", name)
	}
	return out, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "floor:", err)
	os.Exit(1)
}
