package publishers

import (
	"errors"
	"net"
	"net/http"
	"net/url"
)

// The sent-or-not rule. A call that creates something on a platform (a
// mutation: a post, an article, a webhook) and fails may still have been
// carried out; resending it blindly posts twice. So every client classifies
// a failed exchange with the functions below, and only a failure that
// proves nothing was carried out is Transient for a mutation: the request
// never left (NotSent), or the platform answered that it did not act. Any
// other failure of a mutation is Unknown, and the dispatcher reconciles
// before resending. A read is always safe to repeat.

// NotSent reports whether err shows that the request never left this
// process: the connection could not be made (a dial error: refused,
// unreachable, timed out while connecting) or the host name did not
// resolve. A connection that was made and then dropped, or a timeout while
// waiting for the answer, is not "not sent".
func NotSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// TransportClass is the class of a call that got no answer, or whose
// answer broke off: Transient when the request was not sent or is a read,
// Unknown for a mutation that may have reached the platform (a dropped
// connection, a timeout after sending).
func TransportClass(err error, mutation bool) Class {
	if mutation && !NotSent(err) {
		return Unknown
	}
	return Transient
}

// AnsweredClass is the class of a call that got an answer this client
// cannot use (an undecodable body, a success without the id it needs):
// something answered, so a mutation may have been carried out (Unknown); a
// read is Transient.
func AnsweredClass(mutation bool) Class {
	if mutation {
		return Unknown
	}
	return Transient
}

// StatusClass is the class of an HTTP answer with a status of 300 or more
// that carries no platform error the client understands: 429 is
// Throttled; 408 (the server gave up waiting for the request) and 5xx are
// Transient, except 504 on a mutation, which is Unknown (a gateway gave up
// waiting for the platform, which may have acted); redirects and other 4xx
// are Permanent (the same request cannot succeed).
func StatusClass(status int, mutation bool) Class {
	switch {
	case status == http.StatusGatewayTimeout && mutation:
		return Unknown
	case status == http.StatusTooManyRequests:
		return Throttled
	case status >= 500 || status == http.StatusRequestTimeout:
		return Transient
	default:
		return Permanent
	}
}

// TransportError is the *Error of a call that got no answer (err from
// http.Client.Do, or from reading the answer's body), of class
// TransportClass. The URL of a *url.Error in err is reduced by SafeURL
// (its query may hold a token), and the message is passed through redact
// when it is not nil.
func TransportError(err error, mutation bool, redact func(string) string) *Error {
	class := TransportClass(err, mutation)
	var ue *url.Error
	if errors.As(err, &ue) {
		err = &url.Error{Op: ue.Op, URL: SafeURL(ue.URL), Err: ue.Err}
	}
	msg := err.Error()
	if redact != nil {
		msg = redact(msg)
	}
	return &Error{Class: class, Message: msg, Err: err}
}

// Undecodable is the *Error of an answer from platform whose body could
// not be decoded, of class AnsweredClass; the message is "undecodable
// <platform> answer: …", passed through redact when it is not nil.
func Undecodable(err error, mutation bool, platform string, redact func(string) string) *Error {
	msg := err.Error()
	if redact != nil {
		msg = redact(msg)
	}
	return &Error{Class: AnsweredClass(mutation), Message: "undecodable " + platform + " answer: " + msg, Err: err}
}

// SafeURL is what of a URL may appear in a message or a log: raw without
// its user info, query and fragment, which may carry credentials. A URL
// that does not parse gives "(invalid URL)".
func SafeURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid URL)"
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return u.String()
}
