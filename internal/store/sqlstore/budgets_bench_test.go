package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/bench"
	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// The SQL behind the Budgets family's hot routes, on SQLite and, when BURSAR_TEST_POSTGRES_URL is
// set, on PostgreSQL. The hot budget holds BURSAR_BENCH_CASH_FLOWS cash flows (default 10,000;
// try 1000000 for the data-at-scale figures), loaded like `bursar bench --direct` does.
//
//	go test -run '^$' -bench . -benchmem ./internal/store/sqlstore/

// benchWorld is one user who created 20 budgets, the hot one shared with 15 other users, with its
// categories and cash flows.
type benchWorld struct {
	db               *sqlstore.DB
	creator, sharee  string
	stranger         string
	hot              string
	flows            int
	firstFlow, share string
}

func eachBenchBackend(b *testing.B, fn func(b *testing.B, w *benchWorld)) {
	flows := 10_000
	if v := os.Getenv("BURSAR_BENCH_CASH_FLOWS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("BURSAR_BENCH_CASH_FLOWS=%q: want a positive number", v)
		}
		flows = n
	}
	b.Run("sqlite", func(b *testing.B) { fn(b, newBenchWorld(b, sqlstoretest.SQLite(b), flows)) })
	b.Run("postgres", func(b *testing.B) {
		base := os.Getenv(sqlstoretest.EnvPostgres)
		if base == "" {
			b.Skip(sqlstoretest.EnvPostgres + " not set")
		}
		fn(b, newBenchWorld(b, sqlstoretest.Postgres(b, base), flows))
	})
}

func newBenchWorld(b *testing.B, db *sqlstore.DB, flows int) *benchWorld {
	b.Helper()
	ctx := context.Background()
	w := &benchWorld{db: db, flows: flows}
	user := func(name string) string {
		u := &auth.User{ID: id.New(), Username: &name, Email: name + "@example.com", PasswordHash: "!",
			IsActive: true, CreatedAt: time.Now()}
		if err := db.CreateUser(ctx, u); err != nil {
			b.Fatal(err)
		}
		return u.ID
	}
	w.creator, w.stranger = user("creator"), user("stranger")
	for i := range 20 {
		bu := &budgets.Budget{ID: id.New(), CreatorID: w.creator, Name: fmt.Sprintf("Budget %d", i), CreatedAt: time.Now()}
		if err := db.CreateBudget(ctx, bu); err != nil {
			b.Fatal(err)
		}
		w.hot = bu.ID // the newest: first in the creator's list
	}
	for i := range 15 {
		sh := &budgets.Share{ID: id.New(), BudgetID: w.hot, UserID: user(fmt.Sprintf("sharee%d", i)),
			Role: budgets.RoleEditor, CreatedAt: time.Now()}
		if err := db.CreateShare(ctx, sh); err != nil {
			b.Fatal(err)
		}
		w.sharee, w.share = sh.UserID, sh.ID
	}
	var cats []string
	for i := range 5 {
		c := &budgets.Category{ID: id.New(), BudgetID: w.hot, Name: fmt.Sprintf("Category %d", i), CreatedAt: time.Now()}
		if err := db.CreateCategory(ctx, c); err != nil {
			b.Fatal(err)
		}
		cats = append(cats, c.ID)
	}
	if _, err := bench.LoadCashFlows(ctx, db, bench.FlowLoad{BudgetID: w.hot, Categories: cats, N: flows,
		Batch: 20_000, End: time.Now().Add(-time.Minute), Span: 365 * 24 * time.Hour}, nil); err != nil {
		b.Fatal(err)
	}
	if db.Engine() == sqlstore.Postgres {
		if _, err := db.Writer().ExecContext(ctx, `VACUUM (ANALYZE) cash_flows`); err != nil {
			b.Fatal(err)
		}
	}
	page, _, err := db.ListCashFlows(ctx, w.creator, w.hot, budgets.Page{Limit: 1})
	if err != nil || len(page) != 1 {
		b.Fatalf("first cash flow: %v", err)
	}
	w.firstFlow = page[0].ID
	return w
}

// BenchmarkAuthorizeBudget is the authorization check every budget route starts with: the
// budget, if the user may see it, and the user's role on it.
func BenchmarkAuthorizeBudget(b *testing.B) {
	ctx := context.Background()
	eachBenchBackend(b, func(b *testing.B, w *benchWorld) {
		for _, who := range []struct{ name, user string }{{"creator", w.creator}, {"sharee", w.sharee}, {"stranger", w.stranger}} {
			b.Run(who.name, func(b *testing.B) {
				for b.Loop() {
					_, _, err := w.db.VisibleBudget(ctx, w.hot, who.user, false)
					if (err != nil) != (who.user == w.stranger) {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run("cash-flow", func(b *testing.B) {
			for b.Loop() {
				if _, _, err := w.db.VisibleCashFlow(ctx, w.firstFlow, w.sharee); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// BenchmarkListBudgets is the SQL of GET /budgets/: the count and the first page.
func BenchmarkListBudgets(b *testing.B) {
	ctx := context.Background()
	eachBenchBackend(b, func(b *testing.B, w *benchWorld) {
		for _, who := range []struct{ name, user string }{{"creator", w.creator}, {"sharee", w.sharee}} {
			b.Run(who.name, func(b *testing.B) {
				for b.Loop() {
					if _, _, err := w.db.ListBudgets(ctx, who.user, budgets.Page{Limit: 50}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}

// BenchmarkBudgetDetail is the SQL of GET /budgets/{id}/: the budget with the caller's role, its
// creator, its shares and its totals.
func BenchmarkBudgetDetail(b *testing.B) {
	ctx := context.Background()
	eachBenchBackend(b, func(b *testing.B, w *benchWorld) {
		b.Run("all", func(b *testing.B) {
			for b.Loop() {
				bu, _, err := w.db.VisibleBudget(ctx, w.hot, w.sharee, false)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := w.db.UserByID(ctx, bu.CreatorID); err != nil {
					b.Fatal(err)
				}
				if _, err := w.db.BudgetShares(ctx, bu.ID); err != nil {
					b.Fatal(err)
				}
				if _, err := w.db.BudgetTotals(ctx, bu.ID, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("totals", func(b *testing.B) {
			for b.Loop() {
				if _, err := w.db.BudgetTotals(ctx, w.hot, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("shares", func(b *testing.B) {
			for b.Loop() {
				if _, err := w.db.BudgetShares(ctx, w.hot); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// BenchmarkCashFlowsPage is the SQL of GET /cash-flows/?budget=: the count and the first page of
// the hot budget, and a page deep in it.
func BenchmarkCashFlowsPage(b *testing.B) {
	ctx := context.Background()
	eachBenchBackend(b, func(b *testing.B, w *benchWorld) {
		for _, p := range []struct {
			name   string
			offset int
		}{{"first", 0}, {"middle", w.flows / 2 / 50 * 50}} {
			b.Run(p.name, func(b *testing.B) {
				for b.Loop() {
					items, n, err := w.db.ListCashFlows(ctx, w.sharee, w.hot, budgets.Page{Limit: 50, Offset: p.offset})
					if err != nil || n != w.flows || len(items) != min(50, w.flows-p.offset) {
						b.Fatalf("%d items of %d, %v", len(items), n, err)
					}
				}
			})
		}
	})
}

// BenchmarkCreateCashFlow is the SQL of POST /cash-flows/ without HTTP: the locked authorization
// check, the category check and the insert with the budget's totals, in one transaction.
func BenchmarkCreateCashFlow(b *testing.B) {
	ctx := context.Background()
	eachBenchBackend(b, func(b *testing.B, w *benchWorld) {
		for b.Loop() {
			err := w.db.BudgetsTx(ctx, func(tx budgets.Store) error {
				if _, _, err := tx.VisibleBudget(ctx, w.hot, w.sharee, true); err != nil {
					return err
				}
				return tx.CreateCashFlow(ctx, &budgets.CashFlow{ID: id.New(), BudgetID: w.hot, Name: "Bench",
					Amount: 100, Type: budgets.Expense, CreatedAt: time.Now()})
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
