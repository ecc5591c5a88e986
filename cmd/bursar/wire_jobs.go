package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/bursar/bursar/internal/billing"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/config"
	"github.com/bursar/bursar/internal/jobs"
	"github.com/bursar/bursar/internal/jobs/summary"
	"github.com/bursar/bursar/internal/mail"
	"github.com/bursar/bursar/internal/store/sqlstore"
)

// migrateJobs applies the job queue's migrations (River's tables, beside the application's).
func migrateJobs(ctx context.Context, db *sqlstore.DB) error {
	jdb, done, err := jobsDatabase(ctx, "", db)
	if err != nil {
		return err
	}
	defer done()
	return jdb.Migrate(ctx)
}

// startJobs starts the background jobs; stop waits for running jobs to finish (bounded by its
// context). New periodic jobs are registered here (see package jobs).
func startJobs(ctx context.Context, cfg *config.Config, db *sqlstore.DB, log *slog.Logger, reg *prometheus.Registry) (stop func(context.Context) error, err error) {
	jdb, done, err := jobsDatabase(ctx, cfg.DatabaseURL, db)
	if err != nil {
		return nil, err
	}
	sender, err := mail.New(cfg.SMTPURL, log)
	if err != nil {
		done()
		return nil, fmt.Errorf("BURSAR_SMTP_URL: %w", err)
	}
	clk := clock.Real{}
	r := jobs.NewRegistry()
	jobs.RegisterSummary(r, summary.NewService(db, sender, cfg.MailFrom, clk, log),
		jobs.Daily{At: cfg.SummaryAt, Loc: cfg.Timezone}, clk, log)
	jobs.RegisterStatusRefresh(r, billing.NewService(db, clk), clk, log)

	client, err := jobs.New(jdb, r, jobs.Config{Log: log, Metrics: reg})
	if err == nil {
		err = client.Start(ctx)
	}
	if err != nil {
		done()
		return nil, err
	}
	log.Info("background jobs started", "summary_at", fmt.Sprintf("%02d:%02d", int(cfg.SummaryAt.Hours()), int(cfg.SummaryAt.Minutes())%60),
		"timezone", cfg.Timezone.String(), "smtp", cfg.SMTPURL != "",
		"payment_status_refresh_every", jobs.StatusRefreshEvery.String())
	return func(ctx context.Context) error {
		defer done()
		return client.Stop(ctx)
	}, nil
}

// jobsDatabase returns River's view of the store's database. On PostgreSQL with a URL, a
// one-connection pgx pool on the same URL carries LISTEN/NOTIFY; done closes it.
func jobsDatabase(ctx context.Context, url string, db *sqlstore.DB) (jdb jobs.Database, done func(), err error) {
	if db.Engine() != sqlstore.Postgres {
		return jobs.SQLite(db.Writer()), func() {}, nil
	}
	if url == "" {
		return jobs.Postgres(db.Writer(), nil), func() {}, nil
	}
	pc, err := pgxpool.ParseConfig(url)
	if err != nil {
		return jdb, nil, fmt.Errorf("job listener: %w", err)
	}
	pc.MinConns, pc.MaxConns = 0, 1
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return jdb, nil, fmt.Errorf("job listener: %w", err)
	}
	return jobs.Postgres(db.Writer(), pool), pool.Close, nil
}
