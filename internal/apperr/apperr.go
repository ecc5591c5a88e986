// Package apperr defines the one error type a client may see. Every layer returns *Error (or wraps
// one); the HTTP layer maps Kind to a status in exactly one place.
package apperr

import (
	"errors"
	"fmt"
)

// Kind classifies an Error; the HTTP layer maps each kind to one status.
type Kind uint8

// The kinds of client-visible errors.
const (
	Internal Kind = iota
	Invalid
	Unauthenticated
	Forbidden
	NotFound
	Conflict
	RateLimited
	TooLarge
	UnsupportedMediaType
	MethodNotAllowed
	// Unavailable: a dependency (the database) failed or the request's deadline passed; the
	// client may retry.
	Unavailable
)

// Messages shared by both API families (conventions S2).
const (
	MsgValidation   = "Validation failed."
	MsgNotFound     = "Not found."
	MsgForbidden    = "You do not have permission to perform this action."
	MsgNoCredential = "Authentication credentials were not provided."
	MsgBadToken     = "Given token not valid for any token type"
	MsgRequired     = "This field is required."
	MsgBlank        = "This field may not be blank."
	MsgNull         = "This field may not be null."
)

// Error is an error a client may see. Err is the cause: logged, never sent.
type Error struct {
	Kind    Kind
	Message string              // "Not found."
	Fields  map[string][]string // per-field messages, for Invalid
	Code    string              // machine-readable code such as "token_not_valid"; optional
	Invalid []string            // unknown body keys (Business family rule); optional
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Field returns a validation error for one field.
func Field(name, msg string) *Error {
	return &Error{Kind: Invalid, Message: MsgValidation, Fields: map[string][]string{name: {msg}}}
}

// New returns an error of the given kind with a client message.
func New(kind Kind, msg string) *Error { return &Error{Kind: kind, Message: msg} }

// Errorf returns an error of the given kind with a formatted client message.
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// ErrNotFound is the generic "not found or not visible" error (conventions S2).
func ErrNotFound() *Error { return New(NotFound, MsgNotFound) }

// ErrForbidden is the generic permission error (conventions S2).
func ErrForbidden() *Error { return New(Forbidden, MsgForbidden) }

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsKind reports whether err carries an *Error of kind k.
func IsKind(err error, k Kind) bool {
	e, ok := As(err)
	return ok && e.Kind == k
}

// Fields collects per-field validation messages and turns into one Invalid error.
type Fields map[string][]string

// Add records msg for field name.
func (f Fields) Add(name, msg string) { f[name] = append(f[name], msg) }

// Has reports whether name already has a message (so later rules can skip it).
func (f Fields) Has(name string) bool { return len(f[name]) > 0 }

// Err returns nil when no message was recorded, else an Invalid error with all of them.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Message: MsgValidation, Fields: f}
}

// Merge copies the fields of an Invalid error into f; it reports false (and copies nothing) when
// err is not an Invalid *Error with fields, so the caller can return err as it is.
func (f Fields) Merge(err error) bool {
	e, ok := As(err)
	if !ok || e.Kind != Invalid || len(e.Fields) == 0 {
		return false
	}
	for k, v := range e.Fields {
		f[k] = append(f[k], v...)
	}
	return true
}
