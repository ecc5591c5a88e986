package sqlstore_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// TestStoredTotalsMatchTheRows: after any mix of creates, updates and deletes, a budget's stored
// incomes, expenses and cash-flow count equal what its rows add up to.
func TestStoredTotalsMatchTheRows(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBudgetFixture(t, db)
		rng := rand.New(rand.NewPCG(1, 2))
		var flows []*budgets.CashFlow
		for i := 0; i < 300; i++ {
			switch op := rng.IntN(4); {
			case op <= 1 || len(flows) == 0:
				cf := &budgets.CashFlow{ID: id.New(), BudgetID: f.budget.ID, Name: "x", Amount: money.Cents(1 + rng.IntN(100000)),
					Type: budgets.FlowType(1 + rng.IntN(2)), CreatedAt: time.Now()}
				check(t, db.CreateCashFlow(ctx, cf))
				flows = append(flows, cf)
			case op == 2:
				cf := flows[rng.IntN(len(flows))]
				cf.Amount, cf.Type = money.Cents(1+rng.IntN(100000)), budgets.FlowType(1+rng.IntN(2))
				check(t, db.UpdateCashFlow(ctx, cf))
			default:
				k := rng.IntN(len(flows))
				check(t, db.DeleteCashFlow(ctx, flows[k].ID))
				flows = append(flows[:k], flows[k+1:]...)
			}
		}
		var want budgets.Totals
		for _, cf := range flows {
			if cf.Type == budgets.Income {
				want.Incomes += cf.Amount
			} else {
				want.Expenses += cf.Amount
			}
		}
		got, err := db.BudgetTotals(ctx, f.budget.ID, "")
		check(t, err)
		if got != want {
			t.Fatalf("stored totals %+v, rows add up to %+v", got, want)
		}
		_, n, err := db.ListCashFlows(ctx, f.alice.ID, f.budget.ID, budgets.Page{Limit: 50})
		check(t, err)
		var rows int
		check(t, db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM cash_flows WHERE budget_id = $1`, f.budget.ID).Scan(&rows))
		if n != len(flows) || rows != len(flows) {
			t.Fatalf("stored count %d, rows %d, want %d", n, rows, len(flows))
		}
	})
}
