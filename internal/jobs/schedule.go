package jobs

import (
	"time"
)

// Daily is a river.PeriodicSchedule that runs once a day at a wall-clock time in a zone, such as
// 21:00 Europe/Warsaw whatever the UTC offset of the day (conventions S26).
//
// On the days the clocks change: a time the clocks skip (02:30 when 02:00 jumps to 03:00) runs
// as long after the jump as it was meant to be after 02:00, at 03:30, as time.Date does; a time
// that happens twice (02:30 when 03:00 falls back to 02:00) runs once, at the first of them.
type Daily struct {
	At  time.Duration // time of day since local midnight, in [0, 24h)
	Loc *time.Location
}

// Next returns the first run strictly after t.
func (d Daily) Next(t time.Time) time.Time {
	y, m, day := t.In(d.Loc).Date()
	for i := 0; ; i++ {
		if r := d.on(y, m, day+i); r.After(t) {
			return r
		}
	}
}

// Prev returns the last run at or before t.
func (d Daily) Prev(t time.Time) time.Time {
	y, m, day := t.In(d.Loc).Date()
	for i := 0; ; i-- {
		if r := d.on(y, m, day+i); !r.After(t) {
			return r
		}
	}
}

// Day returns the local date, YYYY-MM-DD, of a run.
func (d Daily) Day(run time.Time) string { return run.In(d.Loc).Format(time.DateOnly) }

// on returns the run of one local date (day may overflow the month, as in time.Date).
func (d Daily) on(y int, m time.Month, day int) time.Time {
	// The wanted wall clock, read as if it were UTC; an instant u shows it in Loc when
	// u + offset(u) == wall. Only the offsets in force a day before and a day after can apply.
	wall := time.Date(y, m, day, 0, 0, 0, 0, time.UTC).Add(d.At)
	var run time.Time
	for _, probe := range []time.Duration{-24 * time.Hour, 24 * time.Hour} {
		_, off := wall.Add(probe).In(d.Loc).Zone()
		u := wall.Add(-time.Duration(off) * time.Second)
		if _, o := u.In(d.Loc).Zone(); o == off && (run.IsZero() || u.Before(run)) {
			run = u
		}
	}
	if run.IsZero() { // skipped by a jump forward: keep the offset from before the jump
		_, off := wall.Add(-24 * time.Hour).In(d.Loc).Zone()
		run = wall.Add(-time.Duration(off) * time.Second)
	}
	return run
}
