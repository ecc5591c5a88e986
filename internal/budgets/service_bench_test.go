package budgets_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// The Budgets service's authorization checks with the real store under them, on SQLite and, when
// BURSAR_TEST_POSTGRES_URL is set, on PostgreSQL:
//
//	go test -run '^$' -bench . -benchmem ./internal/budgets/

// benchBudget is a budget with 100 cash flows, its creator, an editor, a reader and a stranger.
type benchBudget struct {
	svc                               *budgets.Service
	budget, flow                      string
	creator, editor, reader, stranger string
}

func eachBenchStore(b *testing.B, fn func(b *testing.B, bb *benchBudget)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, newBenchBudget(b, sqlstoretest.SQLite(b))) })
	b.Run("postgres", func(b *testing.B) {
		base := os.Getenv(sqlstoretest.EnvPostgres)
		if base == "" {
			b.Skip(sqlstoretest.EnvPostgres + " not set")
		}
		fn(b, newBenchBudget(b, sqlstoretest.Postgres(b, base)))
	})
}

func newBenchBudget(b *testing.B, db *sqlstore.DB) *benchBudget {
	b.Helper()
	c := context.Background()
	bb := &benchBudget{svc: budgets.NewService(db, clock.Real{})}
	user := func(name string) string {
		u := &auth.User{ID: id.New(), Username: &name, Email: name + "@example.com", PasswordHash: "!",
			IsActive: true, CreatedAt: time.Now()}
		if err := db.CreateUser(c, u); err != nil {
			b.Fatal(err)
		}
		return u.ID
	}
	bb.creator, bb.editor, bb.reader, bb.stranger = user("alice"), user("bob"), user("carol"), user("mallory")
	bu, err := bb.svc.CreateBudget(c, bb.creator, budgets.BudgetInput{Name: opt.Of("Home")})
	if err != nil {
		b.Fatal(err)
	}
	bb.budget = bu.ID
	for name, role := range map[string]int64{"bob": int64(budgets.RoleEditor), "carol": int64(budgets.RoleReadOnly)} {
		if _, err := bb.svc.CreateShare(c, bb.creator, budgets.ShareInput{Budget: opt.Of(bu.ID), SharedWith: opt.Of(name),
			Role: opt.Of(role)}); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 100 {
		f, err := bb.svc.CreateCashFlow(c, bb.editor, flowInput(bu.ID, i))
		if err != nil {
			b.Fatal(err)
		}
		bb.flow = f.ID
	}
	return bb
}

func flowInput(budget string, i int) budgets.CashFlowInput {
	return budgets.CashFlowInput{Budget: opt.Of(budget), Name: opt.Of(fmt.Sprintf("Flow %d", i)),
		Amount: opt.Of(money.Cents(100 + i)), Type: opt.Of(int64(1 + i%2))}
}

// BenchmarkServiceCashFlow reads one cash flow as each kind of user: the read is the
// authorization check (a stranger gets NotFound).
func BenchmarkServiceCashFlow(b *testing.B) {
	c := context.Background()
	eachBenchStore(b, func(b *testing.B, bb *benchBudget) {
		for _, who := range []struct{ name, user string }{{"creator", bb.creator}, {"reader", bb.reader},
			{"stranger", bb.stranger}} {
			b.Run(who.name, func(b *testing.B) {
				for b.Loop() {
					if _, err := bb.svc.CashFlow(c, who.user, bb.flow); (err != nil) != (who.user == bb.stranger) {
						b.Fatal(err)
					}
				}
			})
		}
	})
}

// BenchmarkServiceBudget is the budget detail (creator, shares, totals) as a sharee.
func BenchmarkServiceBudget(b *testing.B) {
	c := context.Background()
	eachBenchStore(b, func(b *testing.B, bb *benchBudget) {
		for b.Loop() {
			if _, err := bb.svc.Budget(c, bb.reader, bb.budget); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkServiceCreateCashFlow is a cash-flow creation by an editor: validation, the locked
// write check, the insert and the budget's totals. A reader is refused (Forbidden) by the same check.
func BenchmarkServiceCreateCashFlow(b *testing.B) {
	c := context.Background()
	eachBenchStore(b, func(b *testing.B, bb *benchBudget) {
		b.Run("editor", func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				if _, err := bb.svc.CreateCashFlow(c, bb.editor, flowInput(bb.budget, i)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("reader-refused", func(b *testing.B) {
			for b.Loop() {
				if _, err := bb.svc.CreateCashFlow(c, bb.reader, flowInput(bb.budget, 1)); err == nil {
					b.Fatal("a reader created a cash flow")
				}
			}
		})
	})
}
