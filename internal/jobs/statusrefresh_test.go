package jobs_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/bursar/bursar/internal/billing"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/jobs"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// refresher stands in for the billing service: businesses are due once per date (the date is
// the UTC date of now), and the refresh of "b2" fails on its first try.
type refresher struct {
	mu       sync.Mutex
	done     map[string]bool // business|date refreshed
	calls    map[string]int  // business|date → refresh calls
	failures map[string]int  // business → failures left
}

func newRefresher() *refresher {
	return &refresher{done: map[string]bool{}, calls: map[string]int{}, failures: map[string]int{"b2": 1}}
}

func (r *refresher) DueStatusRefreshes(_ context.Context, now time.Time) ([]billing.StatusRefresh, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	day := now.UTC().Format(time.DateOnly)
	var out []billing.StatusRefresh
	for _, b := range []string{"b1", "b2"} {
		if !r.done[b+"|"+day] {
			out = append(out, billing.StatusRefresh{BusinessID: b, Date: day})
		}
	}
	return out, nil
}

func (r *refresher) RefreshStatuses(_ context.Context, id string, now time.Time) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := id + "|" + now.UTC().Format(time.DateOnly)
	r.calls[key]++
	if r.failures[id] > 0 {
		r.failures[id]--
		return 0, errors.New("database went away")
	}
	r.done[key] = true
	return 1, nil
}

func (r *refresher) callCount(key string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[key]
}

// TestStatusRefreshThroughRiver runs the payment status refresh through River on each
// database: a leader's start fans out one refresh per due business, a failing business is
// retried alone, a second instance in the same slot adds nothing, and the next day's slot
// refreshes every business again.
func TestStatusRefreshThroughRiver(t *testing.T) {
	sqlstoretest.Backends(t, func(t *testing.T, dsn string) {
		db, jdb := openJobsDB(t, dsn)
		log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
		clk := clock.NewFixed(utc("2026-06-01T03:07:00Z"))
		svc := newRefresher()
		reg := prometheus.NewRegistry()
		newClient := func() *instance {
			r := jobs.NewRegistry()
			jobs.RegisterStatusRefresh(r, svc, clk, log)
			c, err := jobs.New(jdb, r, jobs.Config{Log: log, Metrics: reg, PollInterval: 50 * time.Millisecond, TestOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			events, cancel := c.River().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
			t.Cleanup(cancel)
			return &instance{client: c, events: events}
		}

		a := newClient()
		a.start(t)
		await(t, map[string]int{
			"payment_status_refresh_fan_out/job_completed": 1,
			"payment_status_refresh/job_failed":            1, // b2's first try
			"payment_status_refresh/job_completed":         2,
		}, a)
		a.stop(t)
		if n1, n2 := svc.callCount("b1|2026-06-01"), svc.callCount("b2|2026-06-01"); n1 != 1 || n2 != 2 {
			t.Fatalf("refresh calls b1 %d, b2 %d; want 1 and 2 (one retry)", n1, n2)
		}

		// Another instance becomes leader in the same slot: the fan-out is a duplicate.
		b := newClient()
		if res, err := b.client.River().Insert(ctx, jobs.StatusRefreshFanOutArgs{Slot: "2026-06-01T03:00:00Z"}, nil); err != nil || !res.UniqueSkippedAsDuplicate {
			t.Fatalf("second fan-out of the slot: %+v, %v; want a duplicate", res, err)
		}
		if got := jobCounts(t, db); got["payment_status_refresh_fan_out"] != 1 || got["payment_status_refresh"] != 2 {
			t.Fatalf("jobs = %v, want one fan-out and two refreshes", got)
		}

		// The next day, the periodic job of a new leader refreshes both again.
		clk.Set(utc("2026-06-02T03:07:00Z"))
		b.start(t)
		await(t, map[string]int{"payment_status_refresh_fan_out/job_completed": 1, "payment_status_refresh/job_completed": 2}, b)
		if n1, n2 := svc.callCount("b1|2026-06-02"), svc.callCount("b2|2026-06-02"); n1 != 1 || n2 != 1 {
			t.Fatalf("second day's refresh calls b1 %d, b2 %d; want 1 each", n1, n2)
		}
		if got := jobsTotal(t, reg, "payment_status_refresh", "completed"); got != 4 {
			t.Errorf("bursar_jobs_total{payment_status_refresh,completed} = %v, want 4", got)
		}
	})
}

func TestStatusRefreshFanOutSlot(t *testing.T) {
	for now, want := range map[string]string{
		"2026-06-01T03:07:00Z":      "2026-06-01T03:00:00Z",
		"2026-06-01T03:14:59Z":      "2026-06-01T03:00:00Z",
		"2026-06-01T03:15:00Z":      "2026-06-01T03:15:00Z",
		"2026-06-01T23:59:59-03:00": "2026-06-02T02:45:00Z",
	} {
		args, opts := jobs.StatusRefreshFanOut(clock.NewFixed(utc(now)))()
		if opts != nil || args != (jobs.StatusRefreshFanOutArgs{Slot: want}) {
			t.Errorf("at %s: %+v %+v, want slot %s", now, args, opts, want)
		}
	}
	for _, o := range []river.InsertOpts{jobs.StatusRefreshFanOutArgs{}.InsertOpts(), jobs.StatusRefreshArgs{}.InsertOpts()} {
		if !o.UniqueOpts.ByArgs || o.MaxAttempts < 2 {
			t.Errorf("%+v, want unique by args and retried", o)
		}
	}
}

// refreshInserter records the refresh jobs inserted; business ids in dup come back as
// duplicates.
type refreshInserter struct {
	args []jobs.StatusRefreshArgs
	dup  map[string]bool
}

func (r *refreshInserter) InsertMany(_ context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	var out []*rivertype.JobInsertResult
	for _, p := range params {
		a := p.Args.(jobs.StatusRefreshArgs)
		r.args = append(r.args, a)
		out = append(out, &rivertype.JobInsertResult{Job: &rivertype.JobRow{}, UniqueSkippedAsDuplicate: r.dup[a.BusinessID]})
	}
	return out, nil
}

// TestEnqueueStatusRefreshes: the fan-out, run directly with a fixed clock, inserts one job per
// due business and date in one call, and counts only the new ones.
func TestEnqueueStatusRefreshes(t *testing.T) {
	svc := newRefresher()
	ins := &refreshInserter{dup: map[string]bool{"b2": true}}
	n, err := jobs.EnqueueStatusRefreshes(ctx, ins, svc, utc("2026-06-01T03:07:00Z"))
	if err != nil || n != 1 {
		t.Fatalf("enqueued %d, %v; want 1 new (b2 a duplicate)", n, err)
	}
	want := []jobs.StatusRefreshArgs{{BusinessID: "b1", Date: "2026-06-01"}, {BusinessID: "b2", Date: "2026-06-01"}}
	if !slices.Equal(ins.args, want) {
		t.Fatalf("inserted %+v, want %+v", ins.args, want)
	}
	// Nothing due: nothing inserted.
	svc.done["b1|2026-06-01"], svc.done["b2|2026-06-01"] = true, true
	ins.args = nil
	if n, err := jobs.EnqueueStatusRefreshes(ctx, ins, svc, utc("2026-06-01T09:00:00Z")); err != nil || n != 0 || len(ins.args) != 0 {
		t.Fatalf("with nothing due: %d, %v, %+v", n, err, ins.args)
	}
}
