package sqlstore

import "testing"

func TestShiftParams(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`a = $1 AND b IN ($2, $3)`, `a = $4 AND b IN ($5, $6)`},
		{`x = $10`, `x = $13`},
		{`price $ 5, $`, `price $ 5, $`},
	} {
		if got := shiftParams(tc.in, 3); got != tc.want {
			t.Errorf("shiftParams(%q, 3) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestValuesList(t *testing.T) {
	for _, tc := range []struct {
		rows, cols int
		numbered   bool
		want       string
	}{
		{1, 1, true, "($1)"},
		{1, 3, true, "($1, $2, $3)"},
		{2, 2, true, "($1, $2), ($3, $4)"},
		{2, 2, false, "(?, ?), (?, ?)"},
	} {
		if got := ValuesList(tc.rows, tc.cols, tc.numbered); got != tc.want {
			t.Errorf("ValuesList(%d, %d) = %q, want %q", tc.rows, tc.cols, got, tc.want)
		}
	}
}
