// Package jobs runs Bursar's background work with River (github.com/riverqueue/river) in the
// application's own database, so a job can be enqueued in the transaction of the write it
// follows: SQLite through riversqlite on the store's writer pool (polling), PostgreSQL through
// riverdatabasesql with a pgx pool for LISTEN/NOTIFY. Jobs are durable and retried with
// backoff; periodic jobs are enqueued by the elected leader only, so any number of instances
// (bursar serve, bursar worker) on one database run each schedule once.
//
// Workers are thin like HTTP handlers: decode the args, call one domain service method,
// return its error. They must be idempotent (a job may run again after a crash), and work that
// must happen once per period (mail, payments) is made unique per period by its args.
//
// # Adding a periodic job
//
// The payment status refresh (statusrefresh.go) is a complete example of what follows.
//
// First the args: a struct with a stable Kind() and an InsertOpts() whose UniqueOpts make a
// second insert for the same period a no-op, usually Once() with args that name the period:
//
//	type StatusRefreshArgs struct {
//		BusinessID string `json:"business_id"`
//		Date       string `json:"date"` // the business's local date
//	}
//
//	func (StatusRefreshArgs) Kind() string { return "payment_status_refresh" }
//
//	func (StatusRefreshArgs) InsertOpts() river.InsertOpts {
//		return river.InsertOpts{UniqueOpts: jobs.Once()}
//	}
//
// Then the worker: embed river.WorkerDefaults[StatusRefreshArgs] and write Work(ctx, job) to
// call the domain service. When a run covers many items (users, businesses), a fan-out job
// lists what is due and inserts one job per item with
// river.ClientFromContext[*sql.Tx](ctx).InsertMany, in one transaction, so a failing item is
// retried alone (see the budgets summary in summary.go).
//
// Last, register both in cmd/bursar/wire_jobs.go, before the client starts:
//
//	jobs.Register(reg, &statusRefreshWorker{svc: billing})
//	jobs.Register(reg, &statusRefreshFanOutWorker{svc: billing})
//	reg.Periodic("payment_status_refresh", river.PeriodicInterval(15*time.Minute),
//		func() (river.JobArgs, *river.InsertOpts) { return StatusRefreshFanOutArgs{}, nil }, true)
//
// Schedules: Daily{At, Loc} runs at a wall-clock time in a zone, safe across clock changes;
// river.PeriodicInterval(d) runs every d from the time an instance becomes leader. A
// constructor that returns nil args skips that run. Every job's outcome is counted in
// bursar_jobs_total{kind, outcome} and failures are logged.
package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// Once makes a job unique by its args for as long as River keeps the job, whatever its state,
// discarded and cancelled included: with a period in the args, one job per period.
func Once() river.UniqueOpts {
	return river.UniqueOpts{ByArgs: true, ByState: append(rivertype.UniqueOptsByStateDefault(),
		rivertype.JobStateCancelled, rivertype.JobStateDiscarded)}
}

// Database is where River keeps its jobs: the application's database.
type Database struct {
	driver   riverdriver.Driver[*sql.Tx]
	pollOnly bool
}

// SQLite returns the SQLite Database over the store's writer pool (one connection, so River's
// writes queue with the application's instead of failing with SQLITE_BUSY). River polls.
func SQLite(writer *sql.DB) Database {
	return Database{driver: riversqlite.New(writer), pollOnly: true}
}

// Postgres returns the PostgreSQL Database over the store's pool. listener, a pgx pool on the
// same database and schema, carries LISTEN/NOTIFY so jobs start at once; with nil River polls
// (enough for migrations and inserts).
func Postgres(db *sql.DB, listener *pgxpool.Pool) Database {
	if listener == nil {
		return Database{driver: riverdatabasesql.New(db), pollOnly: true}
	}
	return Database{driver: riverdatabasesql.NewWithPgxListener(db, listener)}
}

// Migrate applies River's own migrations (its tables beside the application's).
func (d Database) Migrate(ctx context.Context) error {
	m, err := rivermigrate.New(d.driver, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("job migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job migrations: %w", err)
	}
	return nil
}

// Registry collects the workers and periodic jobs of a client before it starts.
type Registry struct {
	workers  *river.Workers
	periodic []*river.PeriodicJob
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry { return &Registry{workers: river.NewWorkers()} }

// Register adds w as the worker of T's kind; it panics if the kind is registered twice.
func Register[T river.JobArgs](r *Registry, w river.Worker[T]) { river.AddWorker(r.workers, w) }

// Periodic adds a periodic job: each time sched comes due on the leader, construct is called
// and the job it returns inserted (nil args: nothing this time). With runOnStart, construct is
// also called whenever an instance becomes leader, to catch up on a run missed while no
// instance was up; its uniqueness must make that harmless. id names the job in logs.
func (r *Registry) Periodic(id string, sched river.PeriodicSchedule, construct river.PeriodicJobConstructor, runOnStart bool) {
	r.periodic = append(r.periodic, river.NewPeriodicJob(sched, construct, &river.PeriodicJobOpts{ID: id, RunOnStart: runOnStart}))
}

// Config tunes a Client; the zero value is the production setting, but for logging.
type Config struct {
	Log     *slog.Logger          // River's and the jobs' logs; nil: none
	Metrics prometheus.Registerer // job outcomes; nil: not registered
	// Workers is how many jobs run at once (default 10).
	Workers int
	// PollInterval is how often to look for jobs when nothing notifies (default 1s); tests
	// shorten it.
	PollInterval time.Duration
	// TestOnly skips River's start-up jitter; tests only.
	TestOnly bool
}

// Client works the jobs of a Registry.
type Client struct {
	river *river.Client[*sql.Tx]
}

// New returns a Client for the registry's workers and periodic jobs; Start starts it.
func New(db Database, reg *Registry, cfg Config) (*Client, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	o, err := newOutcomes(cfg.Metrics, cfg.Log)
	if err != nil {
		return nil, err
	}
	rc := &river.Config{
		Logger:            cfg.Log,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cmp.Or(cfg.Workers, 10)}},
		Workers:           reg.workers,
		PeriodicJobs:      reg.periodic,
		PollOnly:          db.pollOnly,
		FetchPollInterval: cfg.PollInterval,
		Middleware:        []rivertype.Middleware{o},
		TestOnly:          cfg.TestOnly,
	}
	if cfg.PollInterval > 0 && cfg.PollInterval < river.FetchCooldownDefault {
		rc.FetchCooldown = cfg.PollInterval
	}
	c, err := river.NewClient(db.driver, rc)
	if err != nil {
		return nil, fmt.Errorf("job client: %w", err)
	}
	return &Client{river: c}, nil
}

// Start starts working jobs and, on the leader, enqueuing periodic ones. The client runs until
// Stop, whatever becomes of ctx.
func (c *Client) Start(ctx context.Context) error {
	if err := c.river.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for the running ones to finish. When ctx ends first, the
// running jobs' contexts are cancelled and Stop waits a little more for them to return, so the
// database is not closed under them; a job cut short this way is retried later.
func (c *Client) Stop(ctx context.Context) error {
	err := c.river.Stop(ctx)
	if err == nil || ctx.Err() == nil {
		return err
	}
	hctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return errors.Join(err, c.river.StopAndCancel(hctx))
}

// River returns the River client, to insert jobs (InsertTx in an application transaction) and,
// in tests, to subscribe to job events.
func (c *Client) River() *river.Client[*sql.Tx] { return c.river }
