// Package id makes and checks the ULIDs every object carries (conventions "Identifiers").
package id

import (
	"github.com/oklog/ulid/v2"
)

// New returns a new ULID as its 26-character canonical text. ULIDs made by one process are
// monotonic, so ordering by id is ordering by creation.
func New() string { return ulid.Make().String() }

// Valid reports whether s is a well-formed ULID in canonical (upper-case) or lower-case form.
func Valid(s string) bool {
	if len(s) != ulid.EncodedSize {
		return false
	}
	_, err := ulid.ParseStrict(s)
	return err == nil
}

// Normalize returns the canonical upper-case form of a valid ULID, and false when s is malformed.
func Normalize(s string) (string, bool) {
	if len(s) != ulid.EncodedSize {
		return "", false
	}
	u, err := ulid.ParseStrict(s)
	if err != nil {
		return "", false
	}
	return u.String(), true
}
