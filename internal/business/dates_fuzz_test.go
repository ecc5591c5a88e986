package business_test

import (
	"testing"
	"time"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/opt"
)

// FuzzDateFilter: any query values give an error or a span of days (non-empty for `date`),
// never a panic, in any zone.
// Run longer with: go test -run '^$' -fuzz FuzzDateFilter -fuzztime 60s ./internal/business
func FuzzDateFilter(f *testing.F) {
	for _, s := range [][3]string{{"today", "", ""}, {"week", "", ""}, {"month", "", ""}, {"2026-02-29", "", ""},
		{"", "2026-01-01", "2026-01-31"}, {"", "2026-12-31", "2026-01-01"}, {"2026-1-1", "", ""}, {"", "9999-12-31", "0000-01-01"},
		{"", "2026-03-29", "2026-03-29"}} {
		f.Add(s[0], s[1], s[2], int64(1796568880))
	}
	zones := []*time.Location{time.UTC}
	for _, name := range []string{"America/Recife", "Europe/Warsaw", "Pacific/Kiritimati", "America/St_Johns"} {
		if l, err := time.LoadLocation(name); err == nil {
			zones = append(zones, l)
		}
	}
	f.Fuzz(func(t *testing.T, date, start, end string, unix int64) {
		val := func(s string) opt.Opt[string] {
			if s == "" {
				return opt.Opt[string]{}
			}
			return opt.Of(s)
		}
		now := time.Unix(unix%(1<<33), 0)
		for _, loc := range zones {
			span, err := business.DateFilter(loc, now, val(date), val(start), val(end))
			if err != nil || span == nil {
				continue
			}
			if date != "" && !span.From.Before(span.To) {
				t.Fatalf("date %q in %s: empty span %v", date, loc, span)
			}
			// Days start at midnight (in UTC always; a zone may skip its midnight on a DST day).
			if h, m, s := span.From.In(loc).Clock(); loc == time.UTC && (h != 0 || m != 0 || s != 0) {
				t.Fatalf("%q %q %q: span starts at %v, not midnight", date, start, end, span.From)
			}
		}
	})
}
