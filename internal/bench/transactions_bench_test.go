package bench

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/opt"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// BenchmarkTransactionsPage is the SQL behind the transaction reads of `bursar bench`, one
// goroutine, on a ledger of BURSAR_BENCH_TRANSACTIONS transactions (default 10,000; try 1000000)
// spread over a year, loaded with LoadTransactions: the first page with its count, the account
// (its stored balance), the last week's first page and the search's.
//
//	go test -run '^$' -bench TransactionsPage ./internal/bench/
func BenchmarkTransactionsPage(b *testing.B) {
	n := 10_000
	if v := os.Getenv("BURSAR_BENCH_TRANSACTIONS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("BURSAR_BENCH_TRANSACTIONS=%q: want a positive number", v)
		}
	}
	run := func(b *testing.B, db *sqlstore.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		actor, owner := newBusiness(b, db, now)
		ledger, err := finance.NewService(db, clock.Real{}).CreateAccount(ctx, actor, finance.AccountInput{Name: opt.Of("Ledger")})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := LoadTransactions(ctx, db, TxnLoad{AccountID: ledger.ID, OperatorID: owner, N: n, Batch: 20_000,
			End: now.Add(-time.Minute), Span: 365 * 24 * time.Hour}, nil); err != nil {
			b.Fatal(err)
		}
		if err := settle(ctx, db); err != nil {
			b.Fatal(err)
		}
		today := now.Truncate(24 * time.Hour)
		week := &business.Span{From: today.AddDate(0, 0, -7), To: today.AddDate(0, 0, 2)}
		list := func(f finance.Filter) func(b *testing.B) {
			return func(b *testing.B) {
				for b.Loop() {
					if _, _, err := db.ListFinanceTransactions(ctx, actor.BusinessID, f, business.Page{Limit: 50}); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
		b.Run("first", list(finance.Filter{}))
		b.Run("account", func(b *testing.B) {
			for b.Loop() {
				if _, err := db.FinanceAccount(ctx, actor.BusinessID, ledger.ID, false); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("week", list(finance.Filter{Span: week}))
		b.Run("search", list(finance.Filter{Search: "coffee"}))
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
