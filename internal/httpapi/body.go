package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// Body is a decoded request body: a JSON object or a form, read field by field. Accessors record
// type errors under the field name (DRF's messages); Err returns them all at once.
type Body struct {
	raw  map[string]json.RawMessage
	form bool
	errs apperr.Fields
}

// readBody reads and decodes the request body: JSON or form-encoded, at most the server's limit
// (413), other content types 415 (conventions S28), malformed JSON or a non-object 400. An empty
// body is an empty object.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) (*Body, error) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, apperr.New(apperr.TooLarge, fmt.Sprintf("Request body is larger than %d bytes.", s.cfg.MaxBody))
		}
		return nil, fmt.Errorf("read body: %w", errClientGone)
	}
	b := &Body{raw: map[string]json.RawMessage{}, errs: apperr.Fields{}}
	if len(bytes.TrimSpace(data)) == 0 {
		return b, nil
	}
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil {
		return nil, apperr.New(apperr.UnsupportedMediaType, `Unsupported media type "`+ct+`" in request.`)
	}
	switch {
	case mt == "application/json":
		return b, decodeJSONObject(data, b)
	case mt == "application/x-www-form-urlencoded":
		vals, err := url.ParseQuery(string(data))
		if err != nil {
			return nil, apperr.New(apperr.Invalid, "Malformed form body.")
		}
		b.form = true
		for k, vs := range vals {
			q, _ := json.Marshal(vs[len(vs)-1]) // the last value wins, as in Django's QueryDict
			b.raw[k] = q
		}
		return b, nil
	default:
		return nil, apperr.New(apperr.UnsupportedMediaType, `Unsupported media type "`+mt+`" in request.`)
	}
}

func decodeJSONObject(data []byte, b *Body) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		msg := "JSON parse error."
		if err != nil {
			msg = "JSON parse error - " + err.Error() + "."
		}
		return apperr.New(apperr.Invalid, msg)
	}
	if _, ok := v.(map[string]any); !ok {
		return apperr.Field("non_field_errors", fmt.Sprintf("Invalid data. Expected a dictionary, but got %s.", jsonKind(v)))
	}
	if err := json.Unmarshal(data, &b.raw); err != nil {
		return apperr.New(apperr.Invalid, "JSON parse error.")
	}
	return nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "list"
	case string:
		return "str"
	case json.Number:
		return "number"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return "value"
}

// Empty reports whether the body had no fields.
func (b *Body) Empty() bool { return len(b.raw) == 0 }

// Has reports whether the body has the key.
func (b *Body) Has(name string) bool { _, ok := b.raw[name]; return ok }

// Unknown returns the body's keys that are not in allowed, sorted.
func (b *Body) Unknown(allowed ...string) []string {
	var out []string
	for k := range b.raw {
		if !slices.Contains(allowed, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// Err returns the type errors recorded so far, or nil.
func (b *Body) Err() error { return b.errs.Err() }

// field returns the raw value, or the absent/null states.
func (b *Body) field(name string) (json.RawMessage, bool, bool) {
	v, ok := b.raw[name]
	if !ok {
		return nil, false, false
	}
	if string(bytes.TrimSpace(v)) == "null" {
		return nil, true, true
	}
	return v, true, false
}

// scalarText returns a JSON string's content, or a number's or boolean's literal text.
func scalarText(v json.RawMessage) (s string, isString, ok bool) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "", false, false
	}
	switch v[0] {
	case '"':
		if err := json.Unmarshal(v, &s); err != nil {
			return "", false, false
		}
		return s, true, true
	case '{', '[':
		return "", false, false
	}
	return string(v), false, true
}

// Text reads a text field, trimmed of surrounding whitespace (conventions S29). Numbers are taken
// as their text, as DRF did; objects, arrays and booleans are errors.
func (b *Body) Text(name string) opt.Opt[string] {
	v := b.rawText(name, "Not a valid string.")
	if v.Has() {
		v.V = strings.TrimSpace(v.V)
	}
	return v
}

// Password reads a text field without trimming it.
func (b *Body) Password(name string) opt.Opt[string] { return b.rawText(name, "Not a valid string.") }

func (b *Body) rawText(name, msg string) opt.Opt[string] {
	v, set, null := b.field(name)
	if !set || null {
		return opt.Opt[string]{Set: set, Null: null}
	}
	s, isString, ok := scalarText(v)
	if !ok || (!isString && (s == "true" || s == "false")) {
		b.errs.Add(name, msg)
		return opt.Opt[string]{Set: true}
	}
	return opt.Of(s)
}

// Int reads an integer given as a JSON number or its string form (conventions S28).
func (b *Body) Int(name string) opt.Opt[int64] {
	v, set, null := b.field(name)
	if !set || null {
		return opt.Opt[int64]{Set: set, Null: null}
	}
	s, _, ok := scalarText(v)
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if !ok || err != nil {
		b.errs.Add(name, "A valid integer is required.")
		return opt.Opt[int64]{Set: true}
	}
	return opt.Of(n)
}

// Bool reads a boolean given as true/false or "true", "True", "false", "False", "1", "0", 1, 0.
func (b *Body) Bool(name string) opt.Opt[bool] {
	v, set, null := b.field(name)
	if !set || null {
		return opt.Opt[bool]{Set: set, Null: null}
	}
	s, _, _ := scalarText(v)
	switch s {
	case "true", "True", "1":
		return opt.Of(true)
	case "false", "False", "0":
		return opt.Of(false)
	}
	b.errs.Add(name, "Must be a valid boolean.")
	return opt.Opt[bool]{Set: true}
}

// Money reads an amount given as a JSON number or a string, exactly, with at most 2 decimal
// places and maxWhole digits before the point.
func (b *Body) Money(name string, maxWhole int) opt.Opt[money.Cents] {
	v, set, null := b.field(name)
	if !set || null {
		return opt.Opt[money.Cents]{Set: set, Null: null}
	}
	s, _, ok := scalarText(v)
	var c money.Cents
	err := errors.New("not scalar")
	if ok {
		c, err = money.Parse(strings.TrimSpace(s))
	}
	switch {
	case errors.Is(err, money.ErrPlaces):
		b.errs.Add(name, "Ensure that there are no more than 2 decimal places.")
	case errors.Is(err, money.ErrRange) || (err == nil && c.WholeDigits() > maxWhole):
		b.errs.Add(name, fmt.Sprintf("Ensure that there are no more than %d digits before the decimal point.", maxWhole))
	case err != nil:
		b.errs.Add(name, "A valid number is required.")
	default:
		return opt.Of(c)
	}
	return opt.Opt[money.Cents]{Set: true}
}
