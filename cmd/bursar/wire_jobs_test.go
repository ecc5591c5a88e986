package main

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// logWatch is a log destination that tells when a line containing a given text was written.
type logWatch struct {
	mu   sync.Mutex
	buf  strings.Builder
	want string
	seen chan struct{}
}

func (w *logWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.seen != nil && strings.Contains(w.buf.String(), w.want) {
		close(w.seen)
		w.seen = nil
	}
	return len(p), nil
}

func (w *logWatch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestWorkerRunsTheJobsAlone runs `bursar migrate` twice (River's migrations are idempotent),
// then `bursar worker` until it reports running, and stops it as SIGTERM would.
func TestWorkerRunsTheJobsAlone(t *testing.T) {
	sqlstoretest.Backends(t, func(t *testing.T, dsn string) {
		env := map[string]string{"DATABASE_URL": dsn, "BURSAR_SUMMARY_AT": "06:30", "BURSAR_TIMEZONE": "Europe/Warsaw"}
		getenv := func(k string) string { return env[k] }
		for range 2 {
			if err := run(context.Background(), []string{"migrate"}, getenv, &logWatch{}, &logWatch{}); err != nil {
				t.Fatalf("migrate: %v", err)
			}
		}
		db, err := sqlstore.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.Reader().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM river_job`).Scan(&n); err != nil {
			t.Fatalf("River's tables are missing: %v", err)
		}

		logs := &logWatch{want: "bursar worker running", seen: make(chan struct{})}
		seen := logs.seen
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- run(ctx, []string{"worker"}, getenv, &logWatch{}, logs) }()
		select {
		case <-seen:
		case err := <-done:
			t.Fatalf("worker ended early: %v\n%s", err, logs)
		case <-time.After(30 * time.Second):
			t.Fatalf("worker did not start:\n%s", logs)
		}
		if out := logs.String(); !strings.Contains(out, "summary_at=06:30") || !strings.Contains(out, "timezone=Europe/Warsaw") {
			t.Errorf("start-up log does not name the summary schedule:\n%s", out)
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("worker stop: %v\n%s", err, logs)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("worker did not stop:\n%s", logs)
		}
	})
}
