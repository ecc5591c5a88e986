package business

import (
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/opt"
)

// Messages of the date filters (business-api.md §1.7).
const (
	MsgDateFormat = "Make sure the date is in the format: YYYY-MM-DD."
	MsgDateBoth   = "Pick a single date or a range not both."
)

// Span is a half-open interval of time [From, To).
type Span struct {
	From, To time.Time
}

// DateFilter reads the date filters of a list (business-api.md §1.7, defects 24 and 30) in the
// business's zone loc at now: date is today, week (Sunday to Saturday), month or a
// YYYY-MM-DD day; start and end, both YYYY-MM-DD, are an inclusive range of days that applies
// only when both are present. date with either of start or end is MsgDateBoth. It returns nil
// when no filter applies.
func DateFilter(loc *time.Location, now time.Time, date, start, end opt.Opt[string]) (*Span, error) {
	if date.Set && (start.Set || end.Set) {
		return nil, apperr.New(apperr.Invalid, MsgDateBoth)
	}
	now = now.In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	if date.Set {
		switch date.V {
		case "today":
			return &Span{today, today.AddDate(0, 0, 1)}, nil
		case "week":
			sunday := today.AddDate(0, 0, -int(today.Weekday()))
			return &Span{sunday, sunday.AddDate(0, 0, 7)}, nil
		case "month":
			first := today.AddDate(0, 0, 1-today.Day())
			return &Span{first, first.AddDate(0, 1, 0)}, nil
		}
		d, err := day(loc, date.V)
		if err != nil {
			return nil, err
		}
		return &Span{d, d.AddDate(0, 0, 1)}, nil
	}
	if !start.Set || !end.Set {
		return nil, nil
	}
	from, err := day(loc, start.V)
	if err != nil {
		return nil, err
	}
	to, err := day(loc, end.V)
	if err != nil {
		return nil, err
	}
	return &Span{from, to.AddDate(0, 0, 1)}, nil
}

// day reads a YYYY-MM-DD date as the start of that day in loc.
func day(loc *time.Location, s string) (time.Time, error) {
	d, err := time.ParseInLocation("2006-01-02", s, loc)
	if err != nil || len(s) != 10 {
		return time.Time{}, apperr.New(apperr.Invalid, MsgDateFormat)
	}
	return d, nil
}
