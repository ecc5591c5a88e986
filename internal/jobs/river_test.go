package jobs_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/jobs"
	"github.com/bursar/bursar/internal/jobs/summary"
	"github.com/bursar/bursar/internal/mail"
	"github.com/bursar/bursar/internal/mail/mailtest"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// openJobsDB opens and migrates the store at dsn and River's tables beside it, as bursar serve
// does; on PostgreSQL the returned Database listens through a pgx pool of its own.
func openJobsDB(t *testing.T, dsn string) (*sqlstore.DB, jobs.Database) {
	t.Helper()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	jdb := jobs.SQLite(db.Writer())
	if db.Engine() == sqlstore.Postgres {
		pool, err := pgxpool.New(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		jdb = jobs.Postgres(db.Writer(), pool)
	}
	if err := jdb.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db, jdb
}

// instance is one Bursar process's job client, as startJobs builds it.
type instance struct {
	client *jobs.Client
	events <-chan *river.Event
}

func newInstance(t *testing.T, dsn string, db *sqlstore.DB, svc *summary.Service, sched jobs.Daily, clk clock.Clock,
	reg prometheus.Registerer, log *slog.Logger) *instance {
	t.Helper()
	jdb := jobs.SQLite(db.Writer())
	if db.Engine() == sqlstore.Postgres {
		pool, err := pgxpool.New(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		jdb = jobs.Postgres(db.Writer(), pool)
	}
	r := jobs.NewRegistry()
	jobs.RegisterSummary(r, svc, sched, clk, log)
	c, err := jobs.New(jdb, r, jobs.Config{Log: log, Metrics: reg, PollInterval: 50 * time.Millisecond, TestOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	events, cancel := c.River().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	t.Cleanup(cancel)
	return &instance{client: c, events: events}
}

func (in *instance) start(t *testing.T) {
	t.Helper()
	if err := in.client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.stop(t) })
}

func (in *instance) stop(t *testing.T) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := in.client.Stop(sctx); err != nil {
		t.Errorf("stop: %v", err)
	}
}

// await reads the instances' job events until every "kind/event" count in want is reached,
// and fails after a generous timeout; no fixed sleeps.
func await(t *testing.T, want map[string]int, ins ...*instance) {
	t.Helper()
	got := map[string]int{}
	done := func() bool {
		for k, n := range want {
			if got[k] < n {
				return false
			}
		}
		return true
	}
	timeout := time.After(60 * time.Second)
	var a, b <-chan *river.Event
	a = ins[0].events
	if len(ins) > 1 {
		b = ins[1].events
	}
	for !done() {
		var ev *river.Event
		select {
		case ev = <-a:
		case ev = <-b:
		case <-timeout:
			t.Fatalf("job events %v, want at least %v", got, want)
		}
		got[ev.Job.Kind+"/"+string(ev.Kind)]++
	}
}

// TestSummaryThroughRiver runs the daily summary end to end through River on each database,
// with two instances (clients) sharing it and a real SMTP server: the fan-out inserted by hand
// is worked once, each user gets one message even though one send fails and is retried, and the
// next day's fan-out comes from the periodic job itself when a new leader starts after 21:00.
func TestSummaryThroughRiver(t *testing.T) {
	sqlstoretest.Backends(t, func(t *testing.T, dsn string) {
		db, _ := openJobsDB(t, dsn)
		users := neighbours(t, db)

		srv := mailtest.NewServer(t, mailtest.Options{})
		srv.Reject("bea@example.com", 1)
		sender, err := mail.New(srv.URL("", ""), slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
		clk := clock.NewFixed(utc("2026-06-01T19:30:00Z")) // 21:30 in Warsaw
		sched := jobs.Daily{At: 21 * time.Hour, Loc: zone(t, "Europe/Warsaw")}
		svc := summary.NewService(db, sender, "bursar@example.com", clk, log)
		reg := prometheus.NewRegistry()
		a := newInstance(t, dsn, db, svc, sched, clk, reg, log)
		b := newInstance(t, dsn, db, svc, sched, clk, reg, log)

		// The fan-out of the day, inserted through either instance: once.
		if res, err := a.client.River().Insert(ctx, jobs.SummaryFanOutArgs{Day: "2026-06-01"}, nil); err != nil || res.UniqueSkippedAsDuplicate {
			t.Fatalf("insert fan-out: %+v, %v", res, err)
		}
		if res, err := b.client.River().Insert(ctx, jobs.SummaryFanOutArgs{Day: "2026-06-01"}, nil); err != nil || !res.UniqueSkippedAsDuplicate {
			t.Fatalf("second insert of the day's fan-out: %+v, %v; want a duplicate", res, err)
		}
		a.start(t)
		b.start(t)
		await(t, map[string]int{
			"budgets_summary_fan_out/job_completed": 1,
			"budgets_summary/job_failed":            1, // bea's first try
			"budgets_summary/job_completed":         3,
		}, a, b)

		perUser := func() map[string]int {
			n := map[string]int{}
			for _, m := range srv.Messages() {
				if m.Subject != "Your budgets summary" || !strings.Contains(m.Body, "incomes 2500.75, expenses 0.00, total 2500.75") {
					t.Errorf("message to %v: subject %q, body %q", m.To, m.Subject, m.Body)
				}
				n[strings.Join(m.To, ",")]++
			}
			return n
		}
		want := map[string]int{"ana@example.com": 1, "bea@example.com": 1, "gil@example.com": 1}
		if got := perUser(); !equalCounts(got, want) {
			t.Fatalf("messages per recipient = %v, want %v", got, want)
		}
		if got := jobCounts(t, db); got["budgets_summary_fan_out"] != 1 || got["budgets_summary"] != 3 {
			t.Fatalf("jobs in the queue = %v, want one fan-out and three sends", got)
		}
		for _, c := range []struct {
			kind, outcome string
			want          float64
		}{
			{"budgets_summary", "completed", 3}, {"budgets_summary", "failed", 1}, {"budgets_summary_fan_out", "completed", 1},
		} {
			if got := jobsTotal(t, reg, c.kind, c.outcome); got != c.want {
				t.Errorf("bursar_jobs_total{kind=%q,outcome=%q} = %v, want %v", c.kind, c.outcome, got, c.want)
			}
		}

		// Both instances go; the next evening a new one becomes leader at 21:05 and the periodic
		// job itself starts the day's fan-out.
		a.stop(t)
		b.stop(t)
		clk.Set(utc("2026-06-02T19:05:00Z"))
		c := newInstance(t, dsn, db, svc, sched, clk, reg, log)
		c.start(t)
		await(t, map[string]int{"budgets_summary_fan_out/job_completed": 1, "budgets_summary/job_completed": 3}, c)
		want = map[string]int{"ana@example.com": 2, "bea@example.com": 2, "gil@example.com": 2}
		if got := perUser(); !equalCounts(got, want) {
			t.Fatalf("messages per recipient after the second day = %v, want %v", got, want)
		}
		var days int
		if err := db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM summary_sends WHERE user_id = $1 AND sent_at IS NOT NULL`,
			users["ana"].ID).Scan(&days); err != nil || days != 2 {
			t.Fatalf("ana's sent records = %d, %v; want 2", days, err)
		}
	})
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func jobCounts(t *testing.T, db *sqlstore.DB) map[string]int {
	t.Helper()
	rows, err := db.Reader().QueryContext(ctx, `SELECT kind, COUNT(*) FROM river_job GROUP BY kind`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		out[k] = n
	}
	return out
}

// jobsTotal reads bursar_jobs_total{kind, outcome} from the registry.
func jobsTotal(t *testing.T, reg *prometheus.Registry, kind, outcome string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "bursar_jobs_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["kind"] == kind && labels["outcome"] == outcome {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}
