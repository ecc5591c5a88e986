// Package money holds exact amounts as int64 hundredths. Amounts are parsed from the JSON token's
// text or a string, never through float64, and rendered with exactly two decimals.
package money

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
)

// Cents is an exact amount in hundredths of the currency unit.
type Cents int64

// Limit is the largest magnitude a stored sum (a balance, a budget total) may reach:
// ±(10^15 − 1) cents (conventions S21).
const Limit Cents = 999_999_999_999_999

// MaxWholeDigits is the most digits Parse accepts before the point; callers narrow it per field.
const MaxWholeDigits = 16

// Errors returned by Parse.
var (
	ErrSyntax = errors.New("money: not a decimal number")
	ErrPlaces = errors.New("money: more than 2 decimal places")
	ErrRange  = errors.New("money: too many digits before the decimal point")
)

// Parse reads "12", "12.5", "-0.05" or "+3"; more than two decimals is ErrPlaces, more than
// MaxWholeDigits digits before the point is ErrRange, anything else not a plain decimal
// (exponents, NaN, Infinity, spaces, empty parts) is ErrSyntax.
func Parse(s string) (Cents, error) {
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if (whole == "" && frac == "") || !digits(whole) || !digits(frac) {
		return 0, ErrSyntax
	}
	if len(frac) > 2 {
		return 0, ErrPlaces
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > MaxWholeDigits {
		return 0, ErrRange
	}
	n, err := strconv.ParseInt("0"+whole+(frac + "00")[:2], 10, 64)
	if err != nil {
		return 0, ErrRange
	}
	if neg {
		n = -n
	}
	return Cents(n), nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// WholeDigits returns how many digits c has before the decimal point (at least 1).
func (c Cents) WholeDigits() int {
	w := c / 100
	if w < 0 {
		w = -w
	}
	n := 1
	for w >= 10 {
		w /= 10
		n++
	}
	return n
}

// String renders c with exactly two decimals: "300.00", "-0.05".
func (c Cents) String() string {
	return string(c.Append(nil))
}

// Append appends the rendering of c to b.
func (c Cents) Append(b []byte) []byte {
	u := uint64(c)
	if c < 0 {
		b = append(b, '-')
		u = uint64(-c)
	}
	b = strconv.AppendUint(b, u/100, 10)
	f := u % 100
	return append(b, '.', byte('0'+f/10), byte('0'+f%10))
}

// MarshalJSON renders c as a JSON string: "300.00".
func (c Cents) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 24)
	b = append(b, '"')
	b = c.Append(b)
	return append(b, '"'), nil
}

// UnmarshalJSON accepts a JSON number or a string holding a decimal, read exactly.
func (c *Cents) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		s, err := strconv.Unquote(string(data))
		if err != nil {
			return ErrSyntax
		}
		data = []byte(strings.TrimSpace(s))
	}
	v, err := Parse(string(data))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Add returns a+b and false when the sum leaves ±Limit.
func Add(a, b Cents) (Cents, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) || s > Limit || s < -Limit {
		return 0, false
	}
	return s, true
}
