// Package field validates the fields of Business-family request bodies: text lengths, e-mails,
// choices, dates, booleans and references, with the predecessor's (DRF's) messages. Values
// arrive as opt.Opt (absent, null or a value, text already trimmed); every rule records its
// message in an apperr.Fields and says whether a value is to be applied.
//
// Null means "use the default" on every optional field (conventions S36): nullable fields
// become null, text fields that are never null become "", booleans their default. Null on a
// required field is an error.
package field

import (
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// DateLayout is how dates are written in requests and responses.
const DateLayout = "2006-01-02"

// Mode says whether a body creates an object (required fields must be present) or patches it
// (absent fields keep their values).
type Mode uint8

// The modes.
const (
	Create Mode = iota
	Patch
)

// Required validates a required text of at most max code points: absent (on Create), null or
// blank is an error.
func Required(f apperr.Fields, name string, v opt.Opt[string], max int, m Mode) (string, bool) {
	switch {
	case !v.Set:
		if m == Create {
			f.Add(name, apperr.MsgRequired)
		}
	case v.Null:
		f.Add(name, apperr.MsgNull)
	case v.V == "":
		f.Add(name, apperr.MsgBlank)
	case utf8.RuneCountInString(v.V) > max:
		f.Add(name, auth.MaxLenMsg(max))
	default:
		return v.V, true
	}
	return "", false
}

// Text validates an optional text that is never null (null and absent on Create are "").
func Text(f apperr.Fields, name string, v opt.Opt[string], max int, m Mode) (string, bool) {
	switch {
	case !v.Set:
		return "", m == Create
	case v.Null:
		return "", true
	case utf8.RuneCountInString(v.V) > max:
		f.Add(name, auth.MaxLenMsg(max))
		return "", false
	}
	return v.V, true
}

// Nullable validates an optional, nullable text of at most max code points (max 0: no limit).
func Nullable(f apperr.Fields, name string, v opt.Opt[string], max int, m Mode) (*string, bool) {
	switch {
	case !v.Set:
		return nil, m == Create
	case v.Null:
		return nil, true
	case max > 0 && utf8.RuneCountInString(v.V) > max:
		f.Add(name, auth.MaxLenMsg(max))
		return nil, false
	}
	s := v.V
	return &s, true
}

// Email validates a required e-mail address and returns it with the domain lower-cased.
func Email(f apperr.Fields, name string, v opt.Opt[string], m Mode) (string, bool) {
	s, ok := Required(f, name, v, 254, m)
	if !ok {
		return "", false
	}
	if e := auth.ValidEmail(f, name, s, 254); e != "" {
		return e, true
	}
	return "", false
}

// NullableEmail validates an optional, nullable e-mail address ("" counts as null).
func NullableEmail(f apperr.Fields, name string, v opt.Opt[string], m Mode) (*string, bool) {
	p, ok := Nullable(f, name, v, 254, m)
	if !ok || p == nil || *p == "" {
		return nil, ok
	}
	if e := auth.ValidEmail(f, name, *p, 254); e != "" {
		return &e, true
	}
	return nil, false
}

// Bool validates an optional boolean whose default is def.
func Bool(v opt.Opt[bool], def bool, m Mode) (bool, bool) {
	switch {
	case !v.Set:
		return def, m == Create
	case v.Null:
		return def, true
	}
	return v.V, true
}

// Choice validates an optional, nullable value that must be one of choices.
func Choice(f apperr.Fields, name string, v opt.Opt[string], choices []string, m Mode) (*string, bool) {
	p, ok := Nullable(f, name, v, 0, m)
	if !ok || p == nil {
		return p, ok
	}
	if !slices.Contains(choices, *p) {
		f.Add(name, ChoiceMsg(*p))
		return nil, false
	}
	return p, true
}

// ChoiceMsg is the message for a value that is not one of a field's choices.
func ChoiceMsg(v string) string { return fmt.Sprintf("%q is not a valid choice.", v) }

// Date validates an optional, nullable date written YYYY-MM-DD.
func Date(f apperr.Fields, name string, v opt.Opt[string], m Mode) (*string, bool) {
	p, ok := Nullable(f, name, v, 0, m)
	if !ok || p == nil {
		return p, ok
	}
	if _, err := time.Parse(DateLayout, *p); err != nil || len(*p) != len(DateLayout) {
		f.Add(name, "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")
		return nil, false
	}
	return p, true
}

// Money validates an optional, nullable amount (already parsed) of at most maxWhole digits
// before the point that may not be negative.
func Money(f apperr.Fields, name string, v opt.Opt[money.Cents], maxWhole int, m Mode) (*money.Cents, bool) {
	switch {
	case !v.Set:
		return nil, m == Create
	case v.Null:
		return nil, true
	case v.V.WholeDigits() > maxWhole:
		f.Add(name, fmt.Sprintf("Ensure that there are no more than %d digits before the decimal point.", maxWhole))
		return nil, false
	case v.V < 0:
		f.Add(name, "Ensure this value is greater than or equal to 0.")
		return nil, false
	}
	c := v.V
	return &c, true
}

// Ref validates an optional, nullable reference to another object: a ULID, returned in
// canonical form. Whether the object exists in the caller's business is the caller's check
// (NoSuchObject).
func Ref(f apperr.Fields, name string, v opt.Opt[string], m Mode) (*string, bool) {
	switch {
	case !v.Set:
		return nil, m == Create
	case v.Null || v.V == "":
		return nil, true
	}
	canon, ok := id.Normalize(v.V)
	if !ok {
		f.Add(name, NoSuchObject(v.V))
		return nil, false
	}
	return &canon, true
}

// NoSuchObject is the message for a reference to an object that does not exist or is not the
// caller's (defect 2, conventions S4).
func NoSuchObject(ref string) string {
	return fmt.Sprintf("Invalid pk %q - object does not exist.", ref)
}

// RequiredDate validates a required date written YYYY-MM-DD: absent is This field is
// required. on create (and no change on a patch), null is This field may not be null.
func RequiredDate(f apperr.Fields, name string, v opt.Opt[string], m Mode) (string, bool) {
	switch {
	case !v.Set:
		if m == Create {
			f.Add(name, apperr.MsgRequired)
		}
		return "", false
	case v.Null:
		f.Add(name, apperr.MsgNull)
		return "", false
	}
	d, ok := Date(f, name, v, m)
	if !ok || d == nil {
		return "", false
	}
	return *d, true
}
