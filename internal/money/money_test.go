package money_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/bursar/bursar/internal/money"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    money.Cents
		wantErr error
	}{
		{"0", 0, nil},
		{"12", 1200, nil},
		{"12.5", 1250, nil},
		{"-0.05", -5, nil},
		{"+3", 300, nil},
		{".5", 50, nil},
		{"-.5", -50, nil},
		{"5.", 500, nil},
		{"0012.30", 1230, nil},
		{"-0", 0, nil},
		{"-0.00", 0, nil},
		{"9999999999999999.99", 999_999_999_999_999_999, nil},
		{"-9999999999999999.99", -999_999_999_999_999_999, nil},
		{"00000000000000000000001.01", 101, nil}, // leading zeros are not digits that count

		{"", 0, money.ErrSyntax},
		{".", 0, money.ErrSyntax},
		{"-", 0, money.ErrSyntax},
		{"+", 0, money.ErrSyntax},
		{"-.", 0, money.ErrSyntax},
		{"--1", 0, money.ErrSyntax},
		{"+-1", 0, money.ErrSyntax},
		{"1e3", 0, money.ErrSyntax},
		{"1E3", 0, money.ErrSyntax},
		{"NaN", 0, money.ErrSyntax},
		{"Infinity", 0, money.ErrSyntax},
		{"-Infinity", 0, money.ErrSyntax},
		{" 1", 0, money.ErrSyntax},
		{"1 ", 0, money.ErrSyntax},
		{"1,5", 0, money.ErrSyntax},
		{"1_000", 0, money.ErrSyntax},
		{"1.2.3", 0, money.ErrSyntax},
		{"0x10", 0, money.ErrSyntax},
		{"١٢", 0, money.ErrSyntax}, // Arabic-Indic digits
		{"1.x", 0, money.ErrSyntax},
		{"1.234", 0, money.ErrPlaces},
		{"1.500", 0, money.ErrPlaces}, // strict like Django's DecimalField
		{"-0.001", 0, money.ErrPlaces},
		{"12345678901234567", 0, money.ErrRange},
		{"-12345678901234567.5", 0, money.ErrRange},
		{"99999999999999999999999", 0, money.ErrRange},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := money.Parse(tc.in)
			if got != tc.want || !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Errorf("Parse(%q) = %d, %v; want %d, %v", tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		in   money.Cents
		want string
	}{
		{30000, "300.00"},
		{-5, "-0.05"},
		{0, "0.00"},
		{1230, "12.30"},
		{1, "0.01"},
		{-100, "-1.00"},
		{money.Limit, "9999999999999.99"},
		{math.MaxInt64, "92233720368547758.07"},
		{math.MinInt64, "-92233720368547758.08"},
	}
	for _, tc := range tests {
		if got := tc.in.String(); got != tc.want {
			t.Errorf("Cents(%d).String() = %q; want %q", int64(tc.in), got, tc.want)
		}
		if got, err := tc.in.MarshalJSON(); err != nil || string(got) != `"`+tc.want+`"` {
			t.Errorf("Cents(%d).MarshalJSON() = %s, %v; want %q, nil", int64(tc.in), got, err, tc.want)
		}
	}
}

func TestUnmarshalJSON(t *testing.T) {
	const unset money.Cents = 7 // what an error must leave in place
	tests := []struct {
		in      string
		want    money.Cents
		wantErr error
	}{
		{`12.5`, 1250, nil},
		{`-0.05`, -5, nil},
		{`0`, 0, nil},
		{`"12.50"`, 1250, nil},
		{`" 3 "`, 300, nil}, // surrounding space in a string is trimmed, as Django REST framework does
		{`"\u0031\u0032"`, 1200, nil},
		{`"+3"`, 300, nil},
		{`"abc"`, unset, money.ErrSyntax},
		{`""`, unset, money.ErrSyntax},
		{`"1 000"`, unset, money.ErrSyntax},
		{`null`, unset, money.ErrSyntax}, // a null amount is not an amount; optional ones are *Cents
		{`true`, unset, money.ErrSyntax},
		{`[1]`, unset, money.ErrSyntax},
		{`1e3`, unset, money.ErrSyntax},
		{`"NaN"`, unset, money.ErrSyntax},
		{`"12.5`, unset, money.ErrSyntax},
		{`1.234`, unset, money.ErrPlaces},
		{`"1.500"`, unset, money.ErrPlaces},
		{`12345678901234567`, unset, money.ErrRange},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := unset
			err := got.UnmarshalJSON([]byte(tc.in))
			if got != tc.want || !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Errorf("UnmarshalJSON(%s) = %d, %v; want %d, %v", tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

// TestJSONFields checks Cents inside structs through encoding/json, as handlers use it.
func TestJSONFields(t *testing.T) {
	type body struct {
		Amount   money.Cents  `json:"amount"`
		Discount *money.Cents `json:"discount"`
	}
	tests := []struct {
		in           string
		wantAmount   money.Cents
		wantDiscount string // "" for nil
		wantErr      error
	}{
		{`{"amount": 12.5}`, 1250, "", nil},
		{`{"amount": "0.10", "discount": "1.5"}`, 10, "1.50", nil},
		{`{"amount": 1, "discount": null}`, 100, "", nil},
		{`{"amount": null}`, 0, "", money.ErrSyntax},
		{`{"amount": 1.001}`, 0, "", money.ErrPlaces},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			var b body
			err := json.Unmarshal([]byte(tc.in), &b)
			discount := ""
			if b.Discount != nil {
				discount = b.Discount.String()
			}
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Fatalf("Unmarshal(%s) error = %v; want %v", tc.in, err, tc.wantErr)
			}
			if tc.wantErr == nil && (b.Amount != tc.wantAmount || discount != tc.wantDiscount) {
				t.Errorf("Unmarshal(%s) = %s, %q; want %s, %q", tc.in, b.Amount, discount, tc.wantAmount, tc.wantDiscount)
			}
		})
	}
	out, err := json.Marshal(body{Amount: -5})
	if want := `{"amount":"-0.05","discount":null}`; err != nil || string(out) != want {
		t.Errorf("Marshal = %s, %v; want %s", out, err, want)
	}
}

func TestAdd(t *testing.T) {
	tests := []struct {
		a, b   money.Cents
		want   money.Cents
		wantOK bool
	}{
		{1, 2, 3, true},
		{-5, 3, -2, true},
		{money.Limit, 0, money.Limit, true},
		{money.Limit - 1, 1, money.Limit, true},
		{-money.Limit + 1, -1, -money.Limit, true},
		{money.Limit, -money.Limit, 0, true},
		{money.Limit, 1, 0, false},
		{-money.Limit, -1, 0, false},
		{money.Limit, money.Limit, 0, false},
		{math.MaxInt64, 1, 0, false}, // int64 overflow must not wrap into range
		{math.MinInt64, -1, 0, false},
		{1, math.MaxInt64, 0, false},
	}
	for _, tc := range tests {
		if got, ok := money.Add(tc.a, tc.b); got != tc.want || ok != tc.wantOK {
			t.Errorf("Add(%d, %d) = %d, %v; want %d, %v", int64(tc.a), int64(tc.b), int64(got), ok, int64(tc.want), tc.wantOK)
		}
	}
}

func TestWholeDigits(t *testing.T) {
	tests := []struct {
		in   money.Cents
		want int
	}{
		{0, 1},
		{5, 1},
		{-5, 1},
		{999, 1},
		{1000, 2},
		{-1000, 2},
		{money.Limit, 13},
		{999_999_999_999_999_999, money.MaxWholeDigits},
		{math.MaxInt64, 17},
		{math.MinInt64, 17},
	}
	for _, tc := range tests {
		if got := tc.in.WholeDigits(); got != tc.want {
			t.Errorf("Cents(%d).WholeDigits() = %d; want %d", int64(tc.in), got, tc.want)
		}
	}
}

// plainDecimal is what Parse should accept apart from its limits on places and digits.
var plainDecimal = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$`)

// FuzzParse checks the round trip through String and compares Parse with an oracle built on
// math/big and a regular expression.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"0", "12.5", "-0.01", "+3", ".5", "5.", "1e3", ".", "-", "1.500",
		"9999999999999999.99", "12345678901234567", "0012.30", " 1", "NaN"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := money.Parse(s)
		if err != nil {
			if !errors.Is(err, money.ErrSyntax) && !errors.Is(err, money.ErrPlaces) && !errors.Is(err, money.ErrRange) {
				t.Fatalf("Parse(%q) error %v is not a sentinel", s, err)
			}
			if plainDecimal.MatchString(s) && errors.Is(err, money.ErrSyntax) {
				t.Fatalf("Parse(%q) = ErrSyntax for a plain decimal", s)
			}
			return
		}
		if !plainDecimal.MatchString(s) {
			t.Fatalf("Parse(%q) = %s, nil; want an error for a non-decimal", s, c)
		}
		r, ok := new(big.Rat).SetString(s)
		if !ok || r.Mul(r, big.NewRat(100, 1)).Cmp(new(big.Rat).SetInt64(int64(c))) != 0 {
			t.Fatalf("Parse(%q) = %d cents; math/big reads %v", s, int64(c), r)
		}
		if back, err := money.Parse(c.String()); err != nil || back != c {
			t.Fatalf("%q → %s → %d, %v", s, c, int64(back), err)
		}
	})
}

// FuzzUnmarshalJSON checks that UnmarshalJSON never panics, leaves the value alone on error,
// agrees with Parse on number tokens and round-trips through MarshalJSON.
func FuzzUnmarshalJSON(f *testing.F) {
	for _, s := range []string{`12.5`, `"12.50"`, `" 3 "`, `"abc"`, `null`, `1e3`, `"\u0031"`,
		`-0.05`, `""`, `"1.500"`, `true`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const unset money.Cents = 7
		c := unset
		if err := c.UnmarshalJSON(data); err != nil {
			if c != unset {
				t.Fatalf("UnmarshalJSON(%q) = %v and changed the value to %s", data, err, c)
			}
			return
		}
		s := strings.TrimSpace(string(data))
		if !strings.HasPrefix(s, `"`) {
			if p, err := money.Parse(s); err != nil || p != c {
				t.Fatalf("UnmarshalJSON(%q) = %s; Parse = %s, %v", data, c, p, err)
			}
		}
		out, err := c.MarshalJSON()
		if err != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON(%s) = %q, %v; want valid JSON", c, out, err)
		}
		var back money.Cents
		if err := back.UnmarshalJSON(out); err != nil || back != c {
			t.Fatalf("%q → %s → %q → %s, %v", data, c, out, back, err)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := money.Parse("-1234567.89"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkString(b *testing.B) {
	c := money.Cents(-123456789)
	for b.Loop() {
		_ = c.String()
	}
}
