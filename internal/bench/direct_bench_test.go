package bench_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/bench"
	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// BenchmarkLoadCashFlows is the --direct fast path: rows a second into one budget.
//
//	go test -run '^$' -bench LoadCashFlows -benchtime 5x ./internal/bench/
func BenchmarkLoadCashFlows(b *testing.B) {
	run := func(b *testing.B, db *sqlstore.DB) {
		ctx := context.Background()
		name := "owner"
		u := &auth.User{ID: id.New(), Username: &name, PasswordHash: "!", IsActive: true, CreatedAt: time.Now()}
		bu := &budgets.Budget{ID: id.New(), CreatorID: u.ID, Name: "Hot", CreatedAt: time.Now()}
		if err := db.CreateUser(ctx, u); err != nil {
			b.Fatal(err)
		}
		if err := db.CreateBudget(ctx, bu); err != nil {
			b.Fatal(err)
		}
		const rows = 100_000
		for b.Loop() {
			if _, err := bench.LoadCashFlows(ctx, db, bench.FlowLoad{BudgetID: bu.ID, N: rows, Batch: 20_000,
				End: time.Now(), Span: time.Hour}, nil); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
	}
	b.Run("sqlite", func(b *testing.B) { run(b, sqlstoretest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) {
		base := os.Getenv(sqlstoretest.EnvPostgres)
		if base == "" {
			b.Skip(sqlstoretest.EnvPostgres + " not set")
		}
		run(b, sqlstoretest.Postgres(b, base))
	})
}
