package billing

import (
	"fmt"
	"time"
)

// Weekdays are the values of due_weekday, in time.Weekday order (Sunday first).
var Weekdays = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// Recurrences are the values of recurrence.
var Recurrences = []string{string(Once), string(Weekly), string(Monthly), string(Installments)}

// MaxInstallments bounds installment_count: thirty years of monthly installments, far beyond
// any plan, and a guard against a request creating millions of rows.
const MaxInstallments = 360

// plan is a validated recurrence: what to generate besides the original.
type plan struct {
	recurrence Recurrence
	weekday    time.Weekday // Weekly
	count      int          // Installments: n
	day        int          // Installments: due_day_of_month
}

// addMonths adds k months to t, clamping the day to the target month's last day (conventions
// S25: Jan 31 → Feb 28/29 → Mar 31, never normalising overflow into the next month). day is the
// day of month wanted (t's own day for monthly recurrences).
func addMonths(t time.Time, k, day int) time.Time {
	first := time.Date(t.Year(), t.Month()+time.Month(k), 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, 0, min(day, daysIn(first.Year(), first.Month()))-1)
}

// daysIn is the number of days of a month.
func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// dueDates returns the due dates of the payments a plan generates besides the original due on
// due (business-api.md §4.2, conventions S25), in order:
//   - weekly on W: every W from the first W on or after due, but that first one, to 31 December
//     of due's year (the original keeps its date, defect 20);
//   - monthly: due plus k months, k ≥ 1, while on or before 31 December of due's year;
//   - installments of n on day d: due with its day set to d, plus k months, k = 1..n−1.
func (pl plan) dueDates(due time.Time) []time.Time {
	var out []time.Time
	end := time.Date(due.Year(), time.December, 31, 0, 0, 0, 0, time.UTC)
	switch pl.recurrence {
	case Weekly:
		first := due.AddDate(0, 0, (int(pl.weekday)-int(due.Weekday())+7)%7)
		for d := first.AddDate(0, 0, 7); !d.After(end); d = d.AddDate(0, 0, 7) {
			out = append(out, d)
		}
	case Monthly:
		for k := 1; ; k++ {
			d := addMonths(due, k, due.Day())
			if d.After(end) {
				break
			}
			out = append(out, d)
		}
	case Installments:
		for k := 1; k < pl.count; k++ {
			out = append(out, addMonths(due, k, pl.day))
		}
	}
	return out
}

// instalmentNotes is the notes of instalment k (1-based) of n: "<notes> | instalment [k of n]".
func instalmentNotes(notes string, k, n int) string {
	return fmt.Sprintf("%s | instalment [%d of %d]", notes, k, n)
}
