package jobs_test

import (
	"testing"
	"time"

	"github.com/bursar/bursar/internal/jobs"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDailyNextAndPrev(t *testing.T) {
	cases := []struct {
		name string
		zone string
		at   string // HH:MM
		now  string // RFC 3339, UTC
		next string
		prev string
		day  string // local date of next
	}{
		{name: "later today", zone: "Europe/Warsaw", at: "21:00",
			now: "2026-03-28T12:00:00Z", next: "2026-03-28T20:00:00Z", prev: "2026-03-27T20:00:00Z", day: "2026-03-28"},
		{name: "exactly at a run: the next is tomorrow's", zone: "Europe/Warsaw", at: "21:00",
			now: "2026-03-28T20:00:00Z", next: "2026-03-29T19:00:00Z", prev: "2026-03-28T20:00:00Z", day: "2026-03-29"},
		{name: "a moment before a run", zone: "Europe/Warsaw", at: "21:00",
			now: "2026-03-28T19:59:59.9Z", next: "2026-03-28T20:00:00Z", prev: "2026-03-27T20:00:00Z", day: "2026-03-28"},
		{name: "day the clocks go forward is 23 hours", zone: "Europe/Warsaw", at: "21:00",
			now: "2026-03-28T20:00:01Z", next: "2026-03-29T19:00:00Z", prev: "2026-03-28T20:00:00Z", day: "2026-03-29"},
		{name: "day the clocks go back is 25 hours", zone: "Europe/Warsaw", at: "21:00",
			now: "2026-10-24T19:00:00Z", next: "2026-10-25T20:00:00Z", prev: "2026-10-24T19:00:00Z", day: "2026-10-25"},
		{name: "skipped time runs after the jump (02:30 → 03:30 CEST)", zone: "Europe/Warsaw", at: "02:30",
			now: "2026-03-28T23:00:00Z", next: "2026-03-29T01:30:00Z", prev: "2026-03-28T01:30:00Z", day: "2026-03-29"},
		{name: "after the skipped run", zone: "Europe/Warsaw", at: "02:30",
			now: "2026-03-29T01:30:00Z", next: "2026-03-30T00:30:00Z", prev: "2026-03-29T01:30:00Z", day: "2026-03-30"},
		{name: "repeated time runs at its first occurrence", zone: "Europe/Warsaw", at: "02:30",
			now: "2026-10-24T23:00:00Z", next: "2026-10-25T00:30:00Z", prev: "2026-10-24T00:30:00Z", day: "2026-10-25"},
		{name: "and not again at the second", zone: "Europe/Warsaw", at: "02:30",
			now: "2026-10-25T00:30:00Z", next: "2026-10-26T01:30:00Z", prev: "2026-10-25T00:30:00Z", day: "2026-10-26"},
		{name: "between the two occurrences", zone: "Europe/Warsaw", at: "02:30",
			now: "2026-10-25T01:00:00Z", next: "2026-10-26T01:30:00Z", prev: "2026-10-25T00:30:00Z", day: "2026-10-26"},
		{name: "midnight on the day New York springs forward", zone: "America/New_York", at: "00:00",
			now: "2026-03-08T04:59:00Z", next: "2026-03-08T05:00:00Z", prev: "2026-03-07T05:00:00Z", day: "2026-03-08"},
		{name: "midnight after New York springs forward", zone: "America/New_York", at: "00:00",
			now: "2026-03-08T05:00:00Z", next: "2026-03-09T04:00:00Z", prev: "2026-03-08T05:00:00Z", day: "2026-03-09"},
		{name: "half-hour change, repeated time (Lord Howe)", zone: "Australia/Lord_Howe", at: "01:45",
			now: "2026-04-04T12:00:00Z", next: "2026-04-04T14:45:00Z", prev: "2026-04-03T14:45:00Z", day: "2026-04-05"},
		{name: "local date ahead of UTC", zone: "Pacific/Auckland", at: "08:00",
			now: "2026-06-01T19:00:00Z", next: "2026-06-01T20:00:00Z", prev: "2026-05-31T20:00:00Z", day: "2026-06-02"},
		{name: "UTC", zone: "UTC", at: "21:00",
			now: "2026-01-01T21:00:00Z", next: "2026-01-02T21:00:00Z", prev: "2026-01-01T21:00:00Z", day: "2026-01-02"},
		{name: "last minute of the day", zone: "UTC", at: "23:59",
			now: "2026-12-31T23:59:30Z", next: "2027-01-01T23:59:00Z", prev: "2026-12-31T23:59:00Z", day: "2027-01-01"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			at, err := time.Parse("15:04", tc.at)
			if err != nil {
				t.Fatal(err)
			}
			d := jobs.Daily{At: time.Duration(at.Hour())*time.Hour + time.Duration(at.Minute())*time.Minute, Loc: zone(t, tc.zone)}
			now := utc(tc.now)
			if got := d.Next(now); !got.Equal(utc(tc.next)) {
				t.Errorf("Next(%s) = %s, want %s", tc.now, got.UTC().Format(time.RFC3339), tc.next)
			}
			if got := d.Prev(now); !got.Equal(utc(tc.prev)) {
				t.Errorf("Prev(%s) = %s, want %s", tc.now, got.UTC().Format(time.RFC3339), tc.prev)
			}
			if got := d.Day(d.Next(now)); got != tc.day {
				t.Errorf("Day(Next(%s)) = %s, want %s", tc.now, got, tc.day)
			}
		})
	}
}

// TestDailyEveryDayOfTheYear walks two years of runs in zones with and without daylight saving
// time: each run is the day after the previous one, 23 to 25 hours later, at the wanted wall
// clock unless the clocks skipped it.
func TestDailyEveryDayOfTheYear(t *testing.T) {
	for _, name := range []string{"UTC", "Europe/Warsaw", "America/New_York", "America/Santiago", "Australia/Lord_Howe", "Asia/Kolkata"} {
		for _, at := range []time.Duration{0, 90 * time.Minute, 150 * time.Minute, 21 * time.Hour, 23*time.Hour + 59*time.Minute} {
			d := jobs.Daily{At: at, Loc: zone(t, name)}
			run := d.Next(utc("2025-12-31T00:00:00Z"))
			for i := 0; i < 730; i++ {
				next := d.Next(run)
				if gap := next.Sub(run); gap < 23*time.Hour || gap > 25*time.Hour {
					t.Fatalf("%s %v: %s → %s is %v apart", name, at, run, next, gap)
				}
				y, m, day := run.In(d.Loc).Date()
				if want := time.Date(y, m, day+1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly); d.Day(next) != want {
					t.Fatalf("%s %v: run after %s is on %s", name, at, d.Day(run), d.Day(next))
				}
				if p := d.Prev(next); !p.Equal(next) {
					t.Fatalf("%s %v: Prev(%s) = %s", name, at, next, p)
				}
				if p := d.Prev(next.Add(-time.Nanosecond)); !p.Equal(run) {
					t.Fatalf("%s %v: Prev just before %s = %s, want %s", name, at, next, p, run)
				}
				local := next.In(d.Loc)
				wall := time.Duration(local.Hour())*time.Hour + time.Duration(local.Minute())*time.Minute
				_, before := next.Add(-3 * time.Hour).In(d.Loc).Zone()
				if _, after := local.Zone(); wall != at && before == after {
					t.Fatalf("%s %v: run %s shows %v though the clocks did not change", name, at, local, wall)
				}
				run = next
			}
		}
	}
}
