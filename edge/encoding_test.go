package edge_test

import (
	"testing"

	"github.com/lantoa/lantoa/edge"
)

// offers is what edge.Compress offers a compressible body.
var offers = []string{edge.Brotli, edge.Zstd, edge.Gzip, edge.Identity}

func TestNegotiate(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		header string
		want   string // "" when nothing offered is acceptable
	}{
		{"", edge.Identity}, // absent or empty: a client that names nothing decodes nothing
		{"gzip", edge.Gzip},
		{"gzip, deflate", edge.Gzip},
		{"gzip, deflate, br", edge.Brotli},       // equal weights: the server's preference
		{"gzip, deflate, br, zstd", edge.Brotli}, // a current browser
		{"zstd, gzip", edge.Zstd},
		{"br;q=0.5, gzip", edge.Gzip},         // the client's weights come first
		{"br;q=0.5, gzip;q=0.5", edge.Brotli}, // a tie again
		{"gzip;q=0.001", edge.Gzip},           // the smallest weight still beats an unnamed identity
		{"gzip;q=0", edge.Identity},           // refused
		{"gzip;q=0.0, br;q=0.000", edge.Identity},
		{"GZIP", edge.Gzip},                               // names are case-insensitive
		{"x-gzip", edge.Gzip},                             // RFC 9110 §8.4.1.3
		{"Br;Q=0.9, Gzip;Q=1", edge.Gzip},                 // so is the parameter
		{"  gzip ; q=0.5 ,  br ; q = 0.7  ", edge.Brotli}, // white space around everything
		{"gzip;q=1.0", edge.Gzip},
		{"compress, deflate, sdch", edge.Identity}, // unknown codings are ignored
		{"foo;q=1, gzip;q=0.2", edge.Gzip},
		{"*", edge.Brotli},                 // the wildcard names every coding
		{"*;q=0.5, gzip", edge.Gzip},       // a named coding beats the wildcard's weight
		{"*;q=0", ""},                      // everything refused, identity too
		{"*;q=0, identity", edge.Identity}, // a more specific entry for identity wins
		{"*;q=0, gzip", edge.Gzip},
		{"gzip;q=0, *", edge.Brotli}, // the wildcard covers only codings not named
		{"identity;q=0", ""},         // identity refused and nothing else offered
		{"identity;q=0, gzip", edge.Gzip},
		{"identity, gzip;q=0.5", edge.Identity}, // the client prefers identity here
		{"identity;q=0.5, gzip;q=0.5", edge.Gzip},
		{"gzip;q=2", edge.Identity},     // not a qvalue: the element is ignored
		{"gzip;q=0.5x", edge.Identity},  // nor is this
		{"gzip;q=1.001", edge.Identity}, // above 1
		{"gzip;q=0.1234", edge.Identity},
		{"gzip;q=", edge.Identity},
		{"gzip;level=9", edge.Gzip},       // other parameters are ignored
		{"gzip;q=0, gzip", edge.Identity}, // a coding named twice: the first counts
		{",,, ,gzip,", edge.Gzip},         // empty list elements
		{";q=1", edge.Identity},
	} {
		got := edge.ParseAcceptEncoding(c.header).Negotiate(offers...)
		if got != c.want {
			t.Errorf("Accept-Encoding %q: %q, want %q", c.header, got, c.want)
		}
	}
}

func TestAcceptsIdentity(t *testing.T) {
	t.Parallel()
	for header, want := range map[string]bool{
		"": true, "gzip": true, "gzip;q=0": true, "identity;q=0": false, "*;q=0": false, "*;q=0, identity;q=0.1": true,
		"*": true, "identity;q=0.001": true, "IDENTITY;Q=0": false,
	} {
		if got := edge.ParseAcceptEncoding(header).Accepts(edge.Identity); got != want {
			t.Errorf("%q accepts identity: %v", header, got)
		}
	}
	var zero edge.AcceptEncoding
	if !zero.Accepts(edge.Identity) || zero.Accepts(edge.Gzip) {
		t.Error("the zero AcceptEncoding must take identity only")
	}
}

func TestCodedETag(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ tag, coding, want string }{
		{`"abc"`, edge.Gzip, `"abc-gz"`},
		{`"abc"`, edge.Brotli, `"abc-br"`},
		{`"abc"`, edge.Zstd, `"abc-zst"`},
		{`W/"abc"`, edge.Brotli, `W/"abc-br"`},
		{`"abc"`, edge.Identity, `"abc"`},
		{`"abc"`, "deflate", `"abc"`},
		{`abc`, edge.Gzip, `abc`}, // malformed: left alone
		{``, edge.Gzip, ``},
	} {
		if got := edge.CodedETag(c.tag, c.coding); got != c.want {
			t.Errorf("CodedETag(%s, %s) = %s, want %s", c.tag, c.coding, got, c.want)
		}
	}
}

func TestNoneMatch(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		header, tag string
		want        string // "" when it does not match
	}{
		{`"abc"`, `"abc"`, `"abc"`},
		{`"abc-gz"`, `"abc"`, `"abc-gz"`}, // the client holds the gzip form
		{`"abc-br"`, `"abc"`, `"abc-br"`},
		{`"abc-zst"`, `"abc"`, `"abc-zst"`},
		{`W/"abc-br"`, `"abc"`, `"abc-br"`},   // weak comparison
		{`"abc-br"`, `W/"abc"`, `W/"abc-br"`}, // a weak tag stays weak
		{`"x", "abc-gz" , "y"`, `"abc"`, `"abc-gz"`},
		{`*`, `"abc"`, `"abc"`},
		{`"abc-deflate"`, `"abc"`, ""}, // not a coding of ours
		{`"abcd"`, `"abc"`, ""},
		{`"ab"`, `"abc"`, ""},
		{`"abc-gz-gz"`, `"abc"`, ""},
		{``, `"abc"`, ""},
		{`"abc"`, ``, ""},
		{`abc`, `"abc"`, ""},
	} {
		got, ok := edge.NoneMatch(c.header, c.tag)
		if ok != (c.want != "") || got != c.want {
			t.Errorf("NoneMatch(%s, %s) = %s %v, want %s", c.header, c.tag, got, ok, c.want)
		}
	}
}

func TestCompressible(t *testing.T) {
	t.Parallel()
	yes := []string{"text/html; charset=utf-8", "text/css", "text/javascript", "application/javascript", "application/json",
		"application/json; charset=utf-8", "application/problem+json", "application/atom+xml; charset=utf-8",
		"text/calendar; charset=utf-8", "image/svg+xml", "text/csv", "text/plain", "TEXT/HTML", "application/xml"}
	no := []string{"", "image/png", "image/jpeg", "image/webp", "audio/mpeg", "video/mp4", "application/pdf", "application/zip",
		"application/gzip", "application/octet-stream", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"text/event-stream", "html", "font/woff2"}
	for _, ct := range yes {
		if !edge.Compressible(ct) {
			t.Errorf("%q should be compressible", ct)
		}
	}
	for _, ct := range no {
		if edge.Compressible(ct) {
			t.Errorf("%q should not be compressed", ct)
		}
	}
}
