// Command floor serves one file's bytes from memory with net/http alone: no
// router, no middleware, no authentication, no log; a Content-Type and a
// Content-Length, then the body. It is the floor under any Go handler of
// the rundown pull, measured by bench/rundown/run.sh beside the service and
// nginx, so that the ratio the service reaches can be read against the
// ratio Go's HTTP server reaches on the same machine in the same run.
//
//	go run ./bench/rundown/floor -addr 127.0.0.1:18082 -file rundown.json
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18082", "where to listen")
	file := flag.String("file", "rundown.json", "the bytes to serve")
	flag.Parse()
	body, err := os.ReadFile(*file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	ctype, length := []string{"application/json; charset=utf-8"}, []string{strconv.Itoa(len(body))}
	err = http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h["Content-Type"], h["Content-Length"] = ctype, length
		_, _ = w.Write(body)
	}))
	fmt.Fprintln(os.Stderr, "floor:", err)
	os.Exit(1)
}
