package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/jobs/summary"
)

// The daily budgets summary e-mail (budgets-api.md §8, conventions S26, S30) runs in two
// kinds of job: at the configured local time a fan-out job lists the users due a summary and
// inserts, in one transaction, one send job per user and day, which River works and retries
// each on its own. Both are unique by their args (the day, the user and day), and the send
// additionally claims the day in summary_sends before mailing, so a summary never goes out
// twice for one day: not after a restart, a retry, a catch-up or with two instances.

const (
	// summaryAttempts bounds the retries of one summary: River waits attempt⁴ seconds between
	// tries, so 12 attempts give up about 11 hours after the first, before the next day's.
	summaryAttempts = 12
	// summaryCatchUp is how long after a day's summary time an instance that becomes leader
	// still runs that day's fan-out (a deploy or crash at the summary time); later, the day is
	// skipped rather than mailed at an odd hour.
	summaryCatchUp = 6 * time.Hour
	// summaryEarly allows River's periodic enqueuer to fire a little before the run time (it
	// does, by up to 100 ms): such a run still belongs to the coming day.
	summaryEarly = time.Minute
)

// SummaryFanOutArgs starts the summaries of one local day.
type SummaryFanOutArgs struct {
	Day string `json:"day"` // YYYY-MM-DD in the server zone
}

// Kind names the job.
func (SummaryFanOutArgs) Kind() string { return "budgets_summary_fan_out" }

// InsertOpts make the fan-out unique per day.
func (SummaryFanOutArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: summaryAttempts, UniqueOpts: Once()}
}

// SummaryArgs sends one user the summary of one day.
type SummaryArgs struct {
	UserID string `json:"user_id"`
	Day    string `json:"day"`
}

// Kind names the job.
func (SummaryArgs) Kind() string { return "budgets_summary" }

// InsertOpts make the send unique per user and day.
func (SummaryArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: summaryAttempts, UniqueOpts: Once()}
}

// RegisterSummary registers the daily summary: its two workers, and the periodic fan-out at
// sched's time every day (and, on becoming leader, for a run missed less than summaryCatchUp
// ago). clk tells the time of the fan-out's constructor.
func RegisterSummary(r *Registry, svc *summary.Service, sched Daily, clk clock.Clock, log *slog.Logger) {
	Register(r, &summaryFanOutWorker{svc: svc, log: log})
	Register(r, &summaryWorker{svc: svc, log: log})
	r.Periodic("budgets_summary", sched, SummaryFanOut(sched, clk), true)
}

// SummaryFanOut returns the constructor of the periodic fan-out job: the fan-out of the day of
// the last run at or before now (a run fired a little early counts as due), or none when that
// run is more than summaryCatchUp ago.
func SummaryFanOut(sched Daily, clk clock.Clock) river.PeriodicJobConstructor {
	return func() (river.JobArgs, *river.InsertOpts) {
		now := clk.Now()
		run := sched.Prev(now.Add(summaryEarly))
		if now.Sub(run) > summaryCatchUp {
			return nil, nil
		}
		return SummaryFanOutArgs{Day: sched.Day(run)}, nil
	}
}

type summaryFanOutWorker struct {
	river.WorkerDefaults[SummaryFanOutArgs]
	svc *summary.Service
	log *slog.Logger
}

// Timeout leaves time to list and insert the jobs of a large user base.
func (w *summaryFanOutWorker) Timeout(*river.Job[SummaryFanOutArgs]) time.Duration {
	return 10 * time.Minute
}

func (w *summaryFanOutWorker) Work(ctx context.Context, job *river.Job[SummaryFanOutArgs]) error {
	n, err := EnqueueSummaries(ctx, river.ClientFromContext[*sql.Tx](ctx), w.svc, job.Args.Day)
	if err != nil {
		return err
	}
	w.log.InfoContext(ctx, "budgets summaries enqueued", "day", job.Args.Day, "users", n)
	return nil
}

// Inserter inserts jobs in one transaction; *river.Client is one.
type Inserter interface {
	InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}

// EnqueueSummaries inserts, in one transaction, a send job for every user due day's summary,
// and returns how many were new (the others existed already).
func EnqueueSummaries(ctx context.Context, ins Inserter, svc *summary.Service, day string) (int, error) {
	ids, err := svc.Recipients(ctx, day)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	params := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = river.InsertManyParams{Args: SummaryArgs{UserID: id, Day: day}}
	}
	res, err := ins.InsertMany(ctx, params)
	if err != nil {
		return 0, fmt.Errorf("enqueue summaries of %s: %w", day, err)
	}
	n := 0
	for _, r := range res {
		if !r.UniqueSkippedAsDuplicate {
			n++
		}
	}
	return n, nil
}

type summaryWorker struct {
	river.WorkerDefaults[SummaryArgs]
	svc *summary.Service
	log *slog.Logger
}

func (w *summaryWorker) Work(ctx context.Context, job *river.Job[SummaryArgs]) error {
	res, err := w.svc.Send(ctx, job.Args.UserID, job.Args.Day)
	if err == nil && res != summary.Sent {
		w.log.DebugContext(ctx, "budgets summary not sent", "user_id", job.Args.UserID, "day", job.Args.Day, "reason", res.String())
	}
	return err
}
