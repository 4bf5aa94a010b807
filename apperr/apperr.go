// Package apperr holds the error kinds every domain package returns, so that
// api/errors.go can map them to HTTP status codes in one place. Domain
// packages wrap these sentinels with %w and add their own context.
package apperr

import (
	"errors"
	"fmt"
)

var (
	// ErrNotFound means the record does not exist in the caller's commune.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the record is not in a state that allows the action.
	ErrConflict = errors.New("conflict")
	// ErrForbidden means the caller may not do this to this record.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthenticated means credentials are missing, wrong or expired.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrNoScope means a repository was called without a commune scope: a
	// programming error, never the user's.
	ErrNoScope = errors.New("no commune scope in context")
)

// ValidationError says which input field is wrong and why, in words a user
// can act on.
type ValidationError struct {
	Field  string
	Reason string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("%s: %s", e.Field, e.Reason)
}

// Invalid returns a *ValidationError for field.
func Invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Conflict returns an error wrapping ErrConflict with a user-facing reason.
func Conflict(format string, args ...any) error {
	return &reasoned{kind: ErrConflict, msg: fmt.Sprintf(format, args...)}
}

// Forbidden returns an error wrapping ErrForbidden with a user-facing reason.
func Forbidden(format string, args ...any) error {
	return &reasoned{kind: ErrForbidden, msg: fmt.Sprintf(format, args...)}
}

// NotFound returns an error wrapping ErrNotFound naming what was missing.
func NotFound(what string) error {
	return &reasoned{kind: ErrNotFound, msg: what + " not found"}
}

// reasoned is a sentinel kind with a message safe to show to users.
type reasoned struct {
	kind error
	msg  string
}

func (e *reasoned) Error() string { return e.msg }
func (e *reasoned) Unwrap() error { return e.kind }

// Message returns the user-facing text of errors made by this package's
// constructors, and "" for anything else.
func Message(err error) string {
	var r *reasoned
	if errors.As(err, &r) {
		return r.msg
	}
	var v *ValidationError
	if errors.As(err, &v) {
		return v.Error()
	}
	return ""
}
