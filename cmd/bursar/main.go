// Command bursar serves the Budgets and Business finance APIs from one binary.
//
//	bursar [serve]   run the server and its background jobs (default)
//	bursar worker    run only the background jobs
//	bursar migrate   apply database migrations and exit
//	bursar bench     load-test a running server
//	bursar version   print the version
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/config"
	"github.com/bursar/bursar/internal/httpapi"
	"github.com/bursar/bursar/internal/ratelimit"
	"github.com/bursar/bursar/internal/store/sqlstore"
)

// version is set at build time with -ldflags "-X main.version=…"; else the module version.
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "bursar:", err)
		os.Exit(1)
	}
}

// run executes one subcommand; serving stops when ctx is cancelled (SIGINT/SIGTERM in main).
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "version":
		fmt.Fprintln(stdout, "bursar", versionString())
		return nil
	case "bench":
		return runBench(ctx, args, getenv, stdout, stderr)
	case "bench-ceiling":
		return runBenchCeiling(ctx, args, getenv, stdout, stderr)
	case "serve", "migrate", "worker":
	default:
		return fmt.Errorf("unknown command %q (want serve, worker, migrate, bench, bench-ceiling or version)", cmd)
	}
	cfg, err := config.Load(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)

	db, err := sqlstore.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	if err := migrateJobs(ctx, db); err != nil {
		return err
	}
	log.Info("database ready", "engine", db.Engine())
	switch cmd {
	case "migrate":
		return nil
	case "worker":
		return work(ctx, cfg, db, log)
	}
	return serve(ctx, cfg, db, log)
}

func serve(ctx context.Context, cfg *config.Config, db *sqlstore.DB, log *slog.Logger) error {
	secret, err := signingSecret(ctx, cfg, db)
	if err != nil {
		return err
	}
	clk := clock.Real{}
	authSvc, err := auth.NewService(db, auth.Config{Secret: secret, AccessTTL: cfg.AccessTTL, RefreshTTL: cfg.RefreshTTL,
		Rotation: cfg.RefreshRotation, Argon: cfg.Argon}, clk, log)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db.Writer(), "writer"))
	if db.Reader() != db.Writer() {
		reg.MustRegister(collectors.NewDBStatsCollector(db.Reader(), "reader"))
	}
	limits, err := rateLimits(cfg, log, reg)
	if err != nil {
		return err
	}
	api := httpapi.New(httpapi.Config{MaxBody: cfg.MaxBody, PublicURL: cfg.PublicURL, Location: cfg.Timezone,
		RequestTimeout: cfg.RequestTimeout, RateLimits: limits}, httpapi.Deps{
		DB: db, Auth: authSvc, Budgets: budgets.NewService(db, clk),
		Business: businessServices(db, clk, cfg, authSvc),
		Products: productServices(db, clk, cfg, authSvc),
		Billing:  billingServices(db, clk, cfg, authSvc), Log: log, Registry: reg,
		Unavailable: sqlstore.Unavailable,
	})
	srv := &http.Server{
		Addr: cfg.Addr, Handler: api,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: cfg.RequestTimeout + 10*time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	stopJobs, err := startJobs(ctx, cfg, db, log, reg)
	if err != nil {
		ln.Close()
		return err
	}
	stopPprof, err := servePprof(cfg.PprofAddr, log)
	if err != nil {
		ln.Close()
		_ = stopJobs(ctx)
		return err
	}
	defer stopPprof()
	log.Info("bursar listening", "addr", "http://"+ln.Addr().String(), "version", versionString())
	if listening != nil {
		listening(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	err = srv.Shutdown(sctx)
	if jerr := stopJobs(sctx); jerr != nil {
		err = errors.Join(err, fmt.Errorf("stop jobs: %w", jerr))
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// work runs only the background jobs (bursar worker) until ctx ends.
func work(ctx context.Context, cfg *config.Config, db *sqlstore.DB, log *slog.Logger) error {
	stop, err := startJobs(ctx, cfg, db, log, prometheus.NewRegistry())
	if err != nil {
		return err
	}
	log.Info("bursar worker running")
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	return stop(sctx)
}

// rateLimits picks the limiter: Redis when REDIS_URL is set (shared by every instance), else memory.
func rateLimits(cfg *config.Config, log *slog.Logger, reg *prometheus.Registry) (httpapi.RateLimits, error) {
	rl := httpapi.RateLimits{Minute: cfg.RateLimitMinute, Day: cfg.RateLimitDay, AuthMinute: cfg.RateLimitAuthMinute,
		AuthHour: cfg.RateLimitAuthHour, TrustedProxies: cfg.TrustedProxies}
	if cfg.RedisURL == "" {
		rl.Limiter = ratelimit.NewMemory(nil)
		return rl, nil
	}
	lim, _, err := ratelimit.NewRedis(cfg.RedisURL, log, reg)
	if err != nil {
		return rl, fmt.Errorf("REDIS_URL: %w", err)
	}
	rl.Limiter = lim
	log.Info("rate limits shared through redis")
	return rl, nil
}

// listening, when set (by tests), is told the address once the server accepts connections.
var listening func(addr string)

// signingSecret is BURSAR_SECRET, else a random secret generated once and kept in the database,
// so every instance on one database signs alike (conventions S15).
func signingSecret(ctx context.Context, cfg *config.Config, db *sqlstore.DB) ([]byte, error) {
	if cfg.Secret != "" {
		return []byte(cfg.Secret), nil
	}
	s, err := db.Setting(ctx, "jwt_secret", func() (string, error) {
		var b [32]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", err
		}
		return base64.RawStdEncoding.EncodeToString(b[:]), nil
	})
	if err != nil {
		return nil, fmt.Errorf("signing secret: %w", err)
	}
	return []byte(s), nil
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "dev"
}
