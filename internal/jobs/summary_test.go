package jobs_test

import (
	"context"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/jobs"
	"github.com/bursar/bursar/internal/jobs/summary"
	"github.com/bursar/bursar/internal/mail"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

var ctx = context.Background()

// TestSummaryFanOutDay checks which day the periodic fan-out starts, by the clock at the time
// River calls its constructor: on schedule (River may fire up to 100 ms early), on becoming
// leader within the catch-up window, or not at all.
func TestSummaryFanOutDay(t *testing.T) {
	warsaw := zone(t, "Europe/Warsaw")
	sched := jobs.Daily{At: 21 * time.Hour, Loc: warsaw}
	cases := []struct {
		name string
		now  string // UTC
		want string // "" for no job
	}{
		{name: "on time", now: "2026-06-01T19:00:00Z", want: "2026-06-01"},
		{name: "fired 100 ms early", now: "2026-06-01T18:59:59.9Z", want: "2026-06-01"},
		{name: "leader elected 30 minutes after", now: "2026-06-01T19:30:00Z", want: "2026-06-01"},
		{name: "leader elected 5 h 59 after", now: "2026-06-02T00:59:00Z", want: "2026-06-01"},
		{name: "leader elected 6 h 1 after: skipped", now: "2026-06-02T01:01:00Z"},
		{name: "leader elected in the morning: nothing due", now: "2026-06-02T06:00:00Z"},
		{name: "an hour before: nothing due", now: "2026-06-02T18:00:00Z"},
		{name: "day the clocks go forward", now: "2026-03-29T19:00:00Z", want: "2026-03-29"},
		{name: "day the clocks go back", now: "2026-10-25T20:00:00Z", want: "2026-10-25"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args, opts := jobs.SummaryFanOut(sched, clock.NewFixed(utc(tc.now)))()
			if opts != nil {
				t.Errorf("opts = %+v, want the args' own", opts)
			}
			if tc.want == "" {
				if args != nil {
					t.Fatalf("got %+v, want no job", args)
				}
				return
			}
			if args != (jobs.SummaryFanOutArgs{Day: tc.want}) {
				t.Fatalf("got %+v, want day %s", args, tc.want)
			}
		})
	}
}

func TestSummaryJobsAreUniqueAndRetried(t *testing.T) {
	for _, args := range []interface {
		river.JobArgs
		river.JobArgsWithInsertOpts
	}{jobs.SummaryFanOutArgs{}, jobs.SummaryArgs{}} {
		o := args.InsertOpts()
		if !o.UniqueOpts.ByArgs || o.MaxAttempts < 2 {
			t.Errorf("%s: %+v, want unique by args and retried", args.Kind(), o)
		}
		for _, s := range []rivertype.JobState{rivertype.JobStateCompleted, rivertype.JobStateDiscarded, rivertype.JobStateRunning} {
			found := false
			for _, have := range o.UniqueOpts.ByState {
				found = found || have == s
			}
			if !found {
				t.Errorf("%s: unique states %v lack %s", args.Kind(), o.UniqueOpts.ByState, s)
			}
		}
	}
}

// inserter records InsertMany calls; the ids in dup come back as duplicates.
type inserter struct {
	calls [][]river.InsertManyParams
	dup   map[string]bool
}

func (r *inserter) InsertMany(_ context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	r.calls = append(r.calls, params)
	var out []*rivertype.JobInsertResult
	for _, p := range params {
		out = append(out, &rivertype.JobInsertResult{Job: &rivertype.JobRow{}, UniqueSkippedAsDuplicate: r.dup[p.Args.(jobs.SummaryArgs).UserID]})
	}
	return out, nil
}

// neighbours makes three opted-in users with e-mail and budgets (ana, bea, gil), gil through a
// share of bea's budget, and one who opted out (fabi). It returns the users by name.
func neighbours(t *testing.T, db *sqlstore.DB) map[string]*auth.User {
	t.Helper()
	users := map[string]*auth.User{}
	for _, name := range []string{"ana", "bea", "gil", "fabi"} {
		n := name
		u := &auth.User{ID: id.New(), Username: &n, Email: n + "@example.com", PasswordHash: "!", IsActive: true,
			GetNotification: n != "fabi", CreatedAt: time.Now()}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		users[n] = u
	}
	for _, owner := range []string{"ana", "bea", "fabi"} {
		b := &budgets.Budget{ID: id.New(), CreatorID: users[owner].ID, Name: "Budget of " + owner, CreatedAt: time.Now()}
		if err := db.CreateBudget(ctx, b); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateCashFlow(ctx, &budgets.CashFlow{ID: id.New(), BudgetID: b.ID, Name: "salary", Amount: money.Cents(250075),
			Type: budgets.Income, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if owner == "bea" {
			if err := db.CreateShare(ctx, &budgets.Share{ID: id.New(), BudgetID: b.ID, UserID: users["gil"].ID,
				Role: budgets.RoleReadOnly, CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return users
}

type nobody struct{}

func (nobody) Send(context.Context, mail.Message) error { return nil }

func TestEnqueueSummariesInsertsOneJobPerRecipientAtOnce(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		users := neighbours(t, db)
		svc := summary.NewService(db, nobody{}, "bursar@example.com", clock.NewFixed(utc("2026-06-01T19:00:00Z")),
			slog.New(slog.DiscardHandler))
		ins := &inserter{dup: map[string]bool{users["bea"].ID: true}}
		n, err := jobs.EnqueueSummaries(ctx, ins, svc, "2026-06-01")
		if err != nil {
			t.Fatal(err)
		}
		if len(ins.calls) != 1 {
			t.Fatalf("%d InsertMany calls, want 1 (one transaction)", len(ins.calls))
		}
		got := map[jobs.SummaryArgs]bool{}
		for _, p := range ins.calls[0] {
			if p.InsertOpts != nil {
				t.Errorf("insert opts %+v, want the args' own", p.InsertOpts)
			}
			got[p.Args.(jobs.SummaryArgs)] = true
		}
		want := map[jobs.SummaryArgs]bool{}
		for _, name := range []string{"ana", "bea", "gil"} {
			want[jobs.SummaryArgs{UserID: users[name].ID, Day: "2026-06-01"}] = true
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("jobs = %v, want %v", got, want)
		}
		if n != 2 {
			t.Fatalf("new jobs = %d, want 2 (bea's existed)", n)
		}
	})
}
