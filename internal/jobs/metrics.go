package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// The outcomes of a job run, the outcome label of bursar_jobs_total.
const (
	outcomeCompleted = "completed"
	outcomeFailed    = "failed"    // River retries it later
	outcomeDiscarded = "discarded" // failed for the last time, or cancelled: never retried
	outcomeSnoozed   = "snoozed"
)

// outcomes is a River worker middleware that counts and logs the outcome of every job run.
type outcomes struct {
	river.WorkerMiddlewareDefaults
	total *prometheus.CounterVec
	log   *slog.Logger
}

func newOutcomes(reg prometheus.Registerer, log *slog.Logger) (*outcomes, error) {
	o := &outcomes{log: log, total: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "bursar_jobs_total",
		Help: "Background job runs by job kind and outcome (completed, failed and to be retried, discarded, snoozed).",
	}, []string{"kind", "outcome"})}
	if reg == nil {
		return o, nil
	}
	if err := reg.Register(o.total); err != nil {
		var dup prometheus.AlreadyRegisteredError
		if !errors.As(err, &dup) {
			return nil, fmt.Errorf("job metrics: %w", err)
		}
		o.total = dup.ExistingCollector.(*prometheus.CounterVec)
	}
	return o, nil
}

// Work runs the job and records how it ended, panics included.
func (o *outcomes) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) (err error) {
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			o.record(ctx, job, start, fmt.Errorf("panic: %v", p))
			panic(p)
		}
		o.record(ctx, job, start, err)
	}()
	return doInner(ctx)
}

func (o *outcomes) record(ctx context.Context, job *rivertype.JobRow, start time.Time, err error) {
	var cancel *rivertype.JobCancelError
	var snooze *rivertype.JobSnoozeError
	outcome := outcomeCompleted
	switch {
	case err == nil:
	case errors.As(err, &snooze):
		outcome = outcomeSnoozed
	case errors.As(err, &cancel) || job.Attempt >= job.MaxAttempts:
		outcome = outcomeDiscarded
	default:
		outcome = outcomeFailed
	}
	o.total.WithLabelValues(job.Kind, outcome).Inc()
	attrs := []any{"job_id", job.ID, "job_kind", job.Kind, "attempt", job.Attempt, "max_attempts", job.MaxAttempts,
		"outcome", outcome, "duration_ms", time.Since(start).Milliseconds()}
	switch outcome {
	case outcomeFailed:
		o.log.WarnContext(ctx, "job failed; it will be retried", append(attrs, "error", err.Error())...)
	case outcomeDiscarded:
		o.log.ErrorContext(ctx, "job failed for good", append(attrs, "error", err.Error())...)
	default:
		o.log.DebugContext(ctx, "job done", attrs...)
	}
}
