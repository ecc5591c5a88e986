package field

import (
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/opt"
)

// FuzzDate: a body date (issued_at, due_at, effective_date, hire_date, …) is accepted exactly
// when it is a real YYYY-MM-DD day, and then kept as sent; a refusal names the field.
func FuzzDate(f *testing.F) {
	for _, s := range []string{"2025-06-01", "2024-02-29", "2025-02-29", "2025-6-1", "0000-01-01", "9999-12-31", "2025-06-01T00:00:00Z",
		" 2025-06-01", "2025-13-01", "+002025-06-01", "２０２５-06-01", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fs := apperr.Fields{}
		d, ok := RequiredDate(fs, "due_at", opt.Of(s), Create)
		if !ok {
			if len(fs) != 1 || !fs.Has("due_at") {
				t.Fatalf("%q refused with fields %v; want one message under due_at", s, fs)
			}
			return
		}
		tm, err := time.Parse(DateLayout, s)
		if err != nil || d != s || tm.Format(DateLayout) != s {
			t.Fatalf("%q accepted as %q; parse %v, %v", s, d, tm, err)
		}
	})
}
