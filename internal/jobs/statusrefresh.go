package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/bursar/bursar/internal/billing"
	"github.com/bursar/bursar/internal/clock"
)

// The payment status refresh (business-api.md §4.1, conventions S27, defect 19) keeps the
// stored status of payables and receivables current: reads derive it anyway, but the stored
// one is what filters and reports use. Every StatusRefreshEvery a fan-out job lists the
// businesses whose local date has changed since their last refresh and inserts, in one
// transaction, one refresh job per business and date; each is unique by those args, so a
// business is refreshed once a day, soon after its own midnight, and a failing one is retried
// alone.

// StatusRefreshEvery is how often the fan-out looks for businesses due a refresh.
const StatusRefreshEvery = 15 * time.Minute

// statusRefreshAttempts bounds the retries of a refresh (about 11 hours of backoff).
const statusRefreshAttempts = 12

// StatusRefresher is the billing service as the status refresh jobs use it.
type StatusRefresher interface {
	DueStatusRefreshes(ctx context.Context, now time.Time) ([]billing.StatusRefresh, error)
	RefreshStatuses(ctx context.Context, businessID string, now time.Time) (int, error)
}

// StatusRefreshFanOutArgs starts the refreshes due in one StatusRefreshEvery slot.
type StatusRefreshFanOutArgs struct {
	Slot string `json:"slot"` // start of the slot, RFC 3339 in UTC
}

// Kind names the job.
func (StatusRefreshFanOutArgs) Kind() string { return "payment_status_refresh_fan_out" }

// InsertOpts make the fan-out unique per slot, so a new leader's catch-up run is harmless.
func (StatusRefreshFanOutArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: Once()}
}

// StatusRefreshArgs refreshes the payment statuses of one business for its local date.
type StatusRefreshArgs struct {
	BusinessID string `json:"business_id"`
	Date       string `json:"date"` // YYYY-MM-DD in the business's zone
}

// Kind names the job.
func (StatusRefreshArgs) Kind() string { return "payment_status_refresh" }

// InsertOpts make the refresh unique per business and date.
func (StatusRefreshArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: statusRefreshAttempts, UniqueOpts: Once()}
}

// RegisterStatusRefresh registers the payment status refresh: its two workers and the periodic
// fan-out every StatusRefreshEvery (and when an instance becomes leader). clk tells the time of
// the fan-out's slot and of each refresh.
func RegisterStatusRefresh(r *Registry, svc StatusRefresher, clk clock.Clock, log *slog.Logger) {
	Register(r, &statusRefreshFanOutWorker{svc: svc, clk: clk, log: log})
	Register(r, &statusRefreshWorker{svc: svc, clk: clk, log: log})
	r.Periodic("payment_status_refresh", river.PeriodicInterval(StatusRefreshEvery), StatusRefreshFanOut(clk), true)
}

// StatusRefreshFanOut returns the constructor of the periodic fan-out: the job of the slot
// that holds the clock's time.
func StatusRefreshFanOut(clk clock.Clock) river.PeriodicJobConstructor {
	return func() (river.JobArgs, *river.InsertOpts) {
		slot := clk.Now().UTC().Truncate(StatusRefreshEvery)
		return StatusRefreshFanOutArgs{Slot: slot.Format(time.RFC3339)}, nil
	}
}

type statusRefreshFanOutWorker struct {
	river.WorkerDefaults[StatusRefreshFanOutArgs]
	svc StatusRefresher
	clk clock.Clock
	log *slog.Logger
}

// Timeout leaves time to list and insert the jobs of many businesses.
func (w *statusRefreshFanOutWorker) Timeout(*river.Job[StatusRefreshFanOutArgs]) time.Duration {
	return 10 * time.Minute
}

func (w *statusRefreshFanOutWorker) Work(ctx context.Context, job *river.Job[StatusRefreshFanOutArgs]) error {
	n, err := EnqueueStatusRefreshes(ctx, river.ClientFromContext[*sql.Tx](ctx), w.svc, w.clk.Now())
	if err != nil {
		return err
	}
	if n > 0 {
		w.log.InfoContext(ctx, "payment status refreshes enqueued", "slot", job.Args.Slot, "businesses", n)
	}
	return nil
}

// EnqueueStatusRefreshes inserts, in one transaction, a refresh job for every business due one
// at now, and returns how many were new (the others existed already).
func EnqueueStatusRefreshes(ctx context.Context, ins Inserter, svc StatusRefresher, now time.Time) (int, error) {
	due, err := svc.DueStatusRefreshes(ctx, now)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	params := make([]river.InsertManyParams, len(due))
	for i, d := range due {
		params[i] = river.InsertManyParams{Args: StatusRefreshArgs{BusinessID: d.BusinessID, Date: d.Date}}
	}
	res, err := ins.InsertMany(ctx, params)
	if err != nil {
		return 0, fmt.Errorf("enqueue payment status refreshes: %w", err)
	}
	n := 0
	for _, r := range res {
		if !r.UniqueSkippedAsDuplicate {
			n++
		}
	}
	return n, nil
}

type statusRefreshWorker struct {
	river.WorkerDefaults[StatusRefreshArgs]
	svc StatusRefresher
	clk clock.Clock
	log *slog.Logger
}

func (w *statusRefreshWorker) Work(ctx context.Context, job *river.Job[StatusRefreshArgs]) error {
	n, err := w.svc.RefreshStatuses(ctx, job.Args.BusinessID, w.clk.Now())
	if err == nil && n > 0 {
		w.log.DebugContext(ctx, "payment statuses refreshed", "business_id", job.Args.BusinessID, "date", job.Args.Date, "changed", n)
	}
	return err
}
