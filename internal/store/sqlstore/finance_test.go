package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

func TestFinanceStore(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBizFixture(t, db)
		t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
		acc := &finance.Account{ID: id.New(), BusinessID: f.bizA.ID, Name: "A", IsActive: true, CreatedAt: t0}
		bizOK(t, db.CreateFinanceAccount(ctx, acc))
		if _, err := db.FinanceAccount(ctx, f.bizB.ID, acc.ID, false); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("account through another business: %v", err)
		}
		var ids []string
		for i, amount := range []money.Cents{12345, -500, 7} {
			tr := &finance.Transaction{ID: id.New(), BusinessID: f.bizA.ID, Type: finance.Credit, Amount: amount,
				Description: []string{"Venda ÀVISTA", "Café 100%", "x_y"}[i], Account: finance.Ref{ID: acc.ID},
				Operator: finance.Ref{ID: f.ownerA.ID}, Timestamp: t0.Add(time.Duration(i) * 24 * time.Hour)}
			bizOK(t, db.CreateFinanceTransaction(ctx, tr))
			// as finance's record does: the balance and the stored count the list counts with
			if ok, err := db.AddFinanceBalance(ctx, acc.ID, amount, 1); !ok || err != nil {
				t.Fatalf("add balance: %v, %v", ok, err)
			}
			ids = append(ids, tr.ID)
		}
		list := func(fl finance.Filter) []string {
			t.Helper()
			ts, total, err := db.ListFinanceTransactions(ctx, f.bizA.ID, fl, business.Page{Limit: 50})
			bizOK(t, err)
			if total != len(ts) {
				t.Fatalf("count %d, %d rows", total, len(ts))
			}
			var out []string
			for _, tr := range ts {
				out = append(out, tr.ID)
			}
			return out
		}
		if got := list(finance.Filter{}); len(got) != 3 || got[0] != ids[2] || got[2] != ids[0] {
			t.Fatalf("newest first: %v", got)
		}
		day := &business.Span{From: t0.Add(-time.Hour), To: t0.Add(23 * time.Hour)}
		for name, c := range map[string]struct {
			f finance.Filter
			n int
		}{
			"amount prefix":          {finance.Filter{Search: "123.4"}, 1},
			"amount is absolute":     {finance.Filter{Search: "5.00"}, 1},
			"no minus sign":          {finance.Filter{Search: "-5.0"}, 0},
			"description folded":     {finance.Filter{Search: "àvista"}, 1},
			"percent is literal":     {finance.Filter{Search: "100%"}, 1},
			"underscore is literal":  {finance.Filter{Search: "x_y"}, 1},
			"underscore not a joker": {finance.Filter{Search: "ca_"}, 0},
			"id exact, any case":     {finance.Filter{Search: ids[1]}, 1},
			"no account matched":     {finance.Filter{AccountIDs: []string{}}, 0},
			"account":                {finance.Filter{AccountIDs: []string{acc.ID}}, 3},
			"span":                   {finance.Filter{Span: day}, 1},
		} {
			if got := list(c.f); len(got) != c.n {
				t.Errorf("%s: %v, want %d", name, got, c.n)
			}
		}
		if ts, total, _ := db.ListFinanceTransactions(ctx, f.bizB.ID, finance.Filter{}, business.Page{Limit: 50}); total != 0 || len(ts) != 0 {
			t.Fatalf("business B sees %v", ts)
		}
		if n, err := db.DeleteFinanceTransactions(ctx, f.bizB.ID, ids); err != nil || n != 0 {
			t.Fatalf("delete through another business: %d, %v", n, err)
		}
		if n, err := db.DeleteFinanceTransactions(ctx, f.bizA.ID, ids[:2]); err != nil || n != 2 {
			t.Fatalf("delete: %d, %v", n, err)
		}
	})
}

// TestFinanceAccountLock: on PostgreSQL a second transaction waits for the first's row lock
// on an account (SQLite serialises writers anyway).
func TestFinanceAccountLock(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBizFixture(t, db)
		acc := &finance.Account{ID: id.New(), BusinessID: f.bizA.ID, Name: "A", IsActive: true, CreatedAt: time.Now()}
		bizOK(t, db.CreateFinanceAccount(ctx, acc))
		locked, release := make(chan struct{}), make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- db.FinanceTx(ctx, func(tx finance.Store) error {
				if _, err := tx.FinanceAccount(ctx, f.bizA.ID, acc.ID, true); err != nil {
					return err
				}
				close(locked)
				<-release
				_, err := tx.AddFinanceBalance(ctx, acc.ID, 100, 0)
				return err
			})
		}()
		<-locked
		second := make(chan error, 1)
		go func() {
			second <- db.FinanceTx(ctx, func(tx finance.Store) error {
				if _, err := tx.FinanceAccount(ctx, f.bizA.ID, acc.ID, true); err != nil {
					return err
				}
				_, err := tx.AddFinanceBalance(ctx, acc.ID, 1, 0)
				return err
			})
		}()
		select {
		case err := <-second:
			t.Fatalf("second transaction did not wait for the lock: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
		close(release)
		bizOK(t, <-done)
		bizOK(t, <-second)
		if a, _ := db.FinanceAccount(ctx, f.bizA.ID, acc.ID, false); a.Balance != 101 {
			t.Fatalf("balance %s, want 1.01 (no lost update)", a.Balance)
		}
	})
}
