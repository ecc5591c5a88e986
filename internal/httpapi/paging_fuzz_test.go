package httpapi

import (
	"net/http/httptest"
	"net/url"
	"testing"
)

// FuzzPageOf: any ?page= value is a valid page (1-based, offset a whole number of pages,
// never negative or overflowing) or 404 Invalid page., never a panic.
// Run longer with: go test -run '^$' -fuzz FuzzPageOf -fuzztime 60s ./internal/httpapi
func FuzzPageOf(f *testing.F) {
	for _, s := range []string{"1", "2", "0", "-1", "", "abc", "1e3", "99999999999999999999", "42949673", " 1", "+1", "0x10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		r := httptest.NewRequest("GET", "/budgets?page="+url.QueryEscape(v), nil)
		p, err := pageOf(r)
		if err != nil {
			if err.Error() != errInvalidPage().Error() {
				t.Fatalf("page %q: %v", v, err)
			}
			return
		}
		if p.Number < 1 || p.Offset < 0 || p.Offset != (p.Number-1)*PageSize || p.Limit != PageSize {
			t.Fatalf("page %q: %+v", v, p)
		}
	})
}
