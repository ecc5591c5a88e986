package id_test

import (
	"strings"
	"testing"

	"github.com/bursar/bursar/internal/id"
)

func TestNormalize(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"01ARZ3NDEKTSV4RRFFQ69G5FAV", "01ARZ3NDEKTSV4RRFFQ69G5FAV", true},
		{"01arz3ndektsv4rrffq69g5fav", "01ARZ3NDEKTSV4RRFFQ69G5FAV", true},
		{"81ARZ3NDEKTSV4RRFFQ69G5FAV", "", false}, // overflows 128 bits
		{"01ARZ3NDEKTSV4RRFFQ69G5FA", "", false},
		{"01ARZ3NDEKTSV4RRFFQ69G5FAU", "", false}, // U is not Crockford base32
		{"", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := id.Normalize(tc.in)
			if got != tc.want || ok != tc.ok || id.Valid(tc.in) != tc.ok {
				t.Fatalf("Normalize(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// FuzzNormalize: an id is accepted exactly when it is 26 Crockford base32 characters within
// 128 bits, in either case; the canonical form is the upper-case one, a fixed point, and Valid
// agrees.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{id.New(), "01ARZ3NDEKTSV4RRFFQ69G5FAV", "01arz3ndektsv4rrffq69g5fav", "7ZZZZZZZZZZZZZZZZZZZZZZZZZ",
		"80000000000000000000000000", "0000000000000000000000000I", "", "01ARZ3NDEKTSV4RRFFQ69G5FA\u00e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := id.Normalize(s)
		if ok != id.Valid(s) {
			t.Fatalf("%q: Normalize ok %v, Valid %v", s, ok, id.Valid(s))
		}
		if !ok {
			if n != "" {
				t.Fatalf("%q: rejected but returned %q", s, n)
			}
			return
		}
		if n != strings.ToUpper(s) || len(n) != 26 {
			t.Fatalf("%q: canonical %q, want its upper case", s, n)
		}
		if again, ok := id.Normalize(n); !ok || again != n {
			t.Fatalf("%q → %q → %q, %v: not a fixed point", s, n, again, ok)
		}
	})
}
