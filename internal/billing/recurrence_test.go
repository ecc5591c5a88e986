package billing

import (
	"slices"
	"testing"
	"time"
)

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func dates(ts []time.Time) []string {
	out := make([]string, len(ts))
	for i, d := range ts {
		out[i] = d.Format(DateLayout)
	}
	return out
}

// TestDueDates: recurrence expansion as business-api.md §4.2 and conventions S25 settle it.
func TestDueDates(t *testing.T) {
	tests := []struct {
		name string
		due  string
		plan plan
		want []string // ending with "…": only the first dates
	}{
		{"once", "2025-03-10", plan{recurrence: Once}, nil},
		// Weekly: every Monday after the first one on or after due_at, to 31 December; the
		// original (a Thursday) keeps its date (defect 20).
		{"weekly across month ends", "2025-11-20", plan{recurrence: Weekly, weekday: time.Monday},
			[]string{"2025-12-01", "2025-12-08", "2025-12-15", "2025-12-22", "2025-12-29"}},
		{"weekly from its own weekday", "2025-12-15", plan{recurrence: Weekly, weekday: time.Monday},
			[]string{"2025-12-22", "2025-12-29"}},
		{"weekly ends on 31 December", "2025-12-03", plan{recurrence: Weekly, weekday: time.Wednesday},
			[]string{"2025-12-10", "2025-12-17", "2025-12-24", "2025-12-31"}},
		{"weekly, first weekday next year", "2025-12-30", plan{recurrence: Weekly, weekday: time.Monday}, nil},
		{"weekly, only the first weekday left", "2025-12-24", plan{recurrence: Weekly, weekday: time.Monday}, nil},
		{"weekly across February of a leap year", "2024-02-20", plan{recurrence: Weekly, weekday: time.Thursday},
			[]string{"2024-02-29", "2024-03-07", "…"}},
		// Monthly: day clamped to each month's end, never carried into the next month (S25).
		{"monthly from 31 January", "2025-01-31", plan{recurrence: Monthly},
			[]string{"2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31", "2025-06-30", "2025-07-31",
				"2025-08-31", "2025-09-30", "2025-10-31", "2025-11-30", "2025-12-31"}},
		{"monthly in a leap year", "2024-01-30", plan{recurrence: Monthly},
			[]string{"2024-02-29", "2024-03-30", "…"}},
		{"monthly from October", "2025-10-15", plan{recurrence: Monthly}, []string{"2025-11-15", "2025-12-15"}},
		{"monthly from December", "2025-12-01", plan{recurrence: Monthly}, nil},
		// Installments: due_at with its day set to due_day_of_month, plus k months, clamped.
		{"installments of the spec's example", "2025-05-25", plan{recurrence: Installments, count: 5, day: 1},
			[]string{"2025-06-01", "2025-07-01", "2025-08-01", "2025-09-01"}},
		{"installments on day 31 in short months", "2025-01-10", plan{recurrence: Installments, count: 6, day: 31},
			[]string{"2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31", "2025-06-30"}},
		{"installments on day 31 into a leap February", "2023-12-31", plan{recurrence: Installments, count: 4, day: 31},
			[]string{"2024-01-31", "2024-02-29", "2024-03-31"}},
		{"installments on day 30 across the year end", "2025-11-30", plan{recurrence: Installments, count: 4, day: 30},
			[]string{"2025-12-30", "2026-01-30", "2026-02-28"}},
		{"one installment", "2025-05-25", plan{recurrence: Installments, count: 1, day: 1}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := dates(tc.plan.dueDates(day(t, tc.due)))
			if n := len(tc.want) - 1; n >= 0 && tc.want[n] == "…" && len(got) > n {
				got = append(got[:n], "…")
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("due %s: got %v, want %v", tc.due, got, tc.want)
			}
		})
	}
}

// TestWeeklyCount: a weekly plan makes N−1 payments, N the number of its weekdays from due_at to
// 31 December (§4.2), for every weekday and start of a year.
func TestWeeklyCount(t *testing.T) {
	start := day(t, "2025-01-01")
	for d := start; d.Year() == 2025; d = d.AddDate(0, 0, 5) {
		for w := time.Sunday; w <= time.Saturday; w++ {
			n := 0
			for x := d; x.Year() == 2025; x = x.AddDate(0, 0, 1) {
				if x.Weekday() == w {
					n++
				}
			}
			got := plan{recurrence: Weekly, weekday: w}.dueDates(d)
			if len(got) != max(n-1, 0) {
				t.Fatalf("%s on %s: %d payments, want %d", d.Format(DateLayout), w, len(got), max(n-1, 0))
			}
			for _, g := range got {
				if g.Weekday() != w || g.Year() != 2025 || !g.After(d) {
					t.Fatalf("%s on %s: generated %s", d.Format(DateLayout), w, g.Format(DateLayout))
				}
			}
		}
	}
}

func TestAddMonthsClamps(t *testing.T) {
	tests := []struct {
		from    string
		k, day  int
		want    string
		comment string
	}{
		{"2025-01-31", 1, 31, "2025-02-28", "clamped, not 3 March"},
		{"2025-01-31", 2, 31, "2025-03-31", "from the original, not from 28 February"},
		{"2024-01-31", 1, 31, "2024-02-29", "leap year"},
		{"2025-12-15", 1, 15, "2026-01-15", "year end"},
		{"2025-03-31", -1, 31, "2025-02-28", "backwards"},
		{"2025-05-25", 1, 1, "2025-06-01", "another day of month"},
	}
	for _, tc := range tests {
		if got := addMonths(day(t, tc.from), tc.k, tc.day).Format(DateLayout); got != tc.want {
			t.Errorf("%s + %d months on day %d = %s, want %s (%s)", tc.from, tc.k, tc.day, got, tc.want, tc.comment)
		}
	}
}
