package main

import (
	"context"
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
