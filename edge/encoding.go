package edge

import (
	"strings"
)

// The content codings (RFC 9110 §8.4.1) the service answers with.
const (
	Identity = "identity"
	Gzip     = "gzip"
	Brotli   = "br"
	Zstd     = "zstd"
)

// Codings returns the compressed codings in the service's order of
// preference when a client weighs them equally: brotli and zstd make
// smaller bodies than gzip (docs/architecture.md, "Compression", has the
// figures), and a browser that sends "gzip, deflate, br, zstd" weighs them
// all 1.
func Codings() []string { return []string{Brotli, Zstd, Gzip} }

// coding indexes in AcceptEncoding.q.
const (
	iIdentity = iota
	iGzip
	iBrotli
	iZstd
	nCodings
)

// AcceptEncoding is a parsed Accept-Encoding request header (RFC 9110
// §12.5.3): one more than the weight, in thousandths, the client gives each
// coding the service knows, 0 where it does not name it. The zero value is
// a request that names none: identity only.
type AcceptEncoding struct {
	q    [nCodings]int16
	star int16
}

// ParseAcceptEncoding parses the value of Accept-Encoding (several fields
// joined by commas). Coding names and the "q" parameter are
// case-insensitive, white space around elements and parameters is allowed,
// "x-gzip" is gzip (RFC 9110 §8.4.1.3), codings the service does not know
// are ignored, an element whose weight is not a valid qvalue is ignored,
// and of a coding named twice the first element counts. An empty value
// (and a missing header) leaves only identity acceptable: a client that
// names no coding cannot be expected to decode one, whatever §12.5.3 allows.
func ParseAcceptEncoding(v string) AcceptEncoding {
	var a AcceptEncoding
	for v != "" {
		var elem string
		elem, v, _ = strings.Cut(v, ",")
		name, params, _ := strings.Cut(elem, ";")
		name = strings.TrimSpace(name)
		w, ok := weight(params)
		if !ok || name == "" {
			continue
		}
		slot := &a.star
		switch {
		case name == "*":
		case strings.EqualFold(name, Gzip), strings.EqualFold(name, "x-gzip"):
			slot = &a.q[iGzip]
		case strings.EqualFold(name, Brotli):
			slot = &a.q[iBrotli]
		case strings.EqualFold(name, Zstd):
			slot = &a.q[iZstd]
		case strings.EqualFold(name, Identity):
			slot = &a.q[iIdentity]
		default:
			continue
		}
		if *slot == 0 {
			*slot = w + 1
		}
	}
	return a
}

// weight reads the q parameter among an element's parameters ("q=0.5",
// " Q = 1.0"), 1000 when there is none; ok is false when it is malformed.
func weight(params string) (w int16, ok bool) {
	w = 1000
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, val, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		return qvalue(strings.TrimSpace(val))
	}
	return w, true
}

// qvalue parses RFC 9110 §12.4.2's qvalue: "0" or "1", optionally
// followed by a point and up to three digits, never above 1.
func qvalue(s string) (int16, bool) {
	if s == "" || len(s) > 5 || (s[0] != '0' && s[0] != '1') || (len(s) > 1 && s[1] != '.') {
		return 0, false
	}
	w := int16(s[0]-'0') * 1000
	scale := int16(100)
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		w += int16(s[i]-'0') * scale
		scale /= 10
	}
	if w > 1000 {
		return 0, false
	}
	return w, true
}

// index returns the slot of a coding the service knows, or -1.
func index(coding string) int {
	switch coding {
	case Identity:
		return iIdentity
	case Gzip:
		return iGzip
	case Brotli:
		return iBrotli
	case Zstd:
		return iZstd
	}
	return -1
}

// Weight returns the client's weight of coding in thousandths: its own
// element's, else that of "*", else 0. Identity is the exception of RFC
// 9110 §12.5.3: unnamed, it is acceptable (weight 1, below any coding the
// client names) unless "*;q=0" refuses it.
func (a AcceptEncoding) Weight(coding string) int {
	i := index(coding)
	switch {
	case i < 0:
		return 0
	case a.q[i] > 0:
		return int(a.q[i]) - 1
	case a.star > 0 && (i != iIdentity || a.star == 1):
		return int(a.star) - 1
	case i == iIdentity:
		return 1
	}
	return 0
}

// Accepts reports whether the client accepts coding (weight above 0).
func (a AcceptEncoding) Accepts(coding string) bool { return a.Weight(coding) > 0 }

// Negotiate returns the acceptable coding of offers with the highest
// weight, ties going to the earlier offer, or "" when the client accepts
// none of them. Offers are in the server's order of preference; identity,
// when offered, should come last.
func (a AcceptEncoding) Negotiate(offers ...string) string {
	best, bestW := "", 0
	for _, o := range offers {
		if w := a.Weight(o); w > bestW {
			best, bestW = o, w
		}
	}
	return best
}

// suffixes mark an entity tag as that of a coded representation, inside
// the quotes: "abc" is the identity body, "abc-gz" its gzip form.
var suffixes = map[string]string{Gzip: "-gz", Brotli: "-br", Zstd: "-zst"}

// CodedETag returns the entity tag of tag's representation in coding: the
// coding's suffix inside the quotes ("abc" → "abc-br", W/"abc" →
// W/"abc-br"), so that a cache never takes one coding's bytes for
// another's. Identity, an unknown coding and a malformed tag leave tag as
// it is.
func CodedETag(tag, coding string) string {
	suffix := suffixes[coding]
	if suffix == "" || len(tag) < 2 || tag[len(tag)-1] != '"' {
		return tag
	}
	return tag[:len(tag)-1] + suffix + `"`
}

// NoneMatch checks an If-None-Match header value against tag, the entity
// tag of the identity representation, with the weak comparison of RFC 9110
// §13.1.2 (W/ ignored on both sides). A listed tag matches when it is tag
// in any coding (CodedETag): every coding carries the same content, so a
// client holding the gzip form need not fetch the brotli one. It returns
// the tag to answer the 304 with — the one the client holds, weak if tag
// is — and whether the header matched ("*" matches tag itself).
func NoneMatch(header, tag string) (string, bool) {
	opaque := strings.TrimPrefix(tag, "W/")
	if header == "" || len(opaque) < 2 || opaque[len(opaque)-1] != '"' {
		return "", false
	}
	inner := opaque[1 : len(opaque)-1]
	for header != "" {
		var t string
		t, header, _ = strings.Cut(header, ",")
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == opaque {
			return tag, true
		}
		if len(t) < len(opaque) || t[0] != '"' || t[len(t)-1] != '"' || !strings.HasPrefix(t[1:], inner) {
			continue
		}
		rest := t[1+len(inner) : len(t)-1]
		for coding, suffix := range suffixes {
			if rest == suffix {
				return CodedETag(tag, coding), true
			}
		}
	}
	return "", false
}

// Compressible reports whether a body of this Content-Type gains from
// compression: text of any kind (HTML, CSS, CSV, iCalendar, plain),
// JavaScript, JSON and XML (Atom, SVG, problem+json: any "+json" or
// "+xml" type). Images other than SVG, audio, video, PDF and the zip-based
// office files are compressed already and are never compressed again; an
// unknown or missing type is left alone. Event streams are left alone too.
func Compressible(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	typ, sub, ok := strings.Cut(mt, "/")
	switch {
	case !ok:
		return false
	case typ == "text":
		return sub != "event-stream"
	case strings.HasSuffix(sub, "+json"), strings.HasSuffix(sub, "+xml"):
		return true
	case typ == "application":
		switch sub {
		case "json", "javascript", "ecmascript", "xml", "x-javascript", "wasm", "x-ndjson", "manifest+json":
			return true
		}
	}
	return false
}
