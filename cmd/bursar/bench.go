package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/bursar/bursar/internal/bench"
)

// runBench runs the load generator (internal/bench) against a running server.
func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := bench.ParseArgs(args, getenv, stderr)
	if err != nil {
		return err
	}
	return bench.Run(ctx, cfg, stdout, stderr)
}

// runBenchCeiling serves the bare-stack ceiling of the read scenarios (bench.ServeCeiling) over a
// Bursar database, for `bursar bench --target` to measure beside the product.
func runBenchCeiling(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bursar bench-ceiling", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg bench.CeilingConfig
	dbURL := getenv("DATABASE_URL")
	if dbURL == "" {
		dbURL = "bursar.db"
	}
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8081", "address to listen on")
	fs.StringVar(&cfg.DatabaseURL, "database-url", dbURL, "the measured server's database (env DATABASE_URL)")
	fs.IntVar(&cfg.PageSize, "page-size", 50, "rows of a page (Bursar's is 50)")
	fs.StringVar(&cfg.Secret, "secret", getenv("BURSAR_SECRET"), "the measured server's BURSAR_SECRET (unset: the one kept in the database)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: bursar bench-ceiling [flags]\n\n"+
			"Serves GET /healthz, /budgets/, /budgets/{id}/, /cash-flows/?budget= and /finance/transactions, and\n"+
			"POST /finance/transactions, over a Bursar database with the bare stack (HS256 verify, one indexed\n"+
			"statement, encoding/json; no validation, logging, authorization or sessions), so that\n"+
			"`bursar bench --target` can measure the ceiling beside the product. A measuring instrument for a\n"+
			"scratch database only: it shows any budget to any signed token, and its writes skip the hourly\n"+
			"counts Bursar keeps.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	return bench.ServeCeiling(ctx, cfg, func(addr string) {
		fmt.Fprintf(stdout, "bursar bench-ceiling: listening on http://%s over %s\n", addr, cfg.DatabaseURL)
	})
}
