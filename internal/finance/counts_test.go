package finance_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/billing"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// TestStoredCountsMatchTheRows: after any mix of credits, debits, transfers, settles of
// payables and receivables, and deletes (of either leg of a transfer, and of settles), each
// account's stored balance, transaction count and hour counts equal its rows, and the list's
// count (which adds up stored counts, per account and per hour, unless it searches) equals the
// rows, unfiltered, by bank and by day.
func TestStoredCountsMatchTheRows(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		bill := billing.NewService(w.db, w.clock)
		supp := must(w.biz.CreateContact(ctx, w.owner, business.SupplierKind, business.ContactInput{Name: opt.Of("Supplier")}))(t)
		cust := must(w.biz.CreateContact(ctx, w.owner, business.CustomerKind, business.ContactInput{Name: opt.Of("Customer")}))(t)
		payment := func(kind billing.Kind, contact string) *billing.Payment {
			return must(bill.Create(ctx, w.owner, kind, billing.Input{Contact: opt.Of(contact), IssuedAt: opt.Of("2025-06-01"),
				DueAt: opt.Of("2025-07-01"), Total: opt.Of[money.Cents](1_000_000_00), Notes: opt.Of("n")}))(t)
		}
		payable, receivable := payment(billing.Payable, supp.ID), payment(billing.Receivable, cust.ID)
		accs := []*finance.Account{w.a, w.b}
		rng := rand.New(rand.NewPCG(3, 4))
		var ids []string // transactions that may be deleted (either leg of a transfer)
		for i := 0; i < 200; i++ {
			acc := accs[rng.IntN(2)].ID
			amount := money.Cents(1 + rng.IntN(10000))
			var created *finance.Transaction
			var err error
			switch op := rng.IntN(6); {
			case op == 5 && len(ids) > 0:
				k := rng.IntN(len(ids))
				err = w.svc.DeleteTransaction(ctx, w.owner, ids[k])
				ids = append(ids[:k], ids[k+1:]...)
				if apperr.IsKind(err, apperr.NotFound) { // the other leg of a transfer deleted before
					err = nil
				}
			case op == 0:
				created, err = w.svc.CreateTransaction(ctx, w.owner, tx("credit", amount, acc))
			case op == 1:
				created, err = w.svc.CreateTransaction(ctx, w.member, tx("debit", amount, acc))
			case op == 2:
				in := tx("transfer", amount, acc)
				in.To = opt.Of(accs[0].ID)
				if acc == accs[0].ID {
					in.To = opt.Of(accs[1].ID)
				}
				created, err = w.svc.CreateTransaction(ctx, w.owner, in)
				if err == nil {
					ids = append(ids, *created.LinkedID)
				}
			case op == 3:
				created, err = w.svc.Settle(ctx, w.owner, billing.Payable, payable.ID, finance.SettleInput{Amount: opt.Of(amount), Account: opt.Of(acc)})
			default:
				created, err = w.svc.Settle(ctx, w.owner, billing.Receivable, receivable.ID, finance.SettleInput{Amount: opt.Of(amount), Account: opt.Of(acc)})
			}
			if err != nil {
				t.Fatalf("operation %d: %v", i, err)
			}
			if created != nil {
				ids = append(ids, created.ID)
			}
			w.clock.Add(time.Duration(rng.IntN(40)) * time.Minute) // transactions across hours and days
			// Another business's writes count in its own accounts only.
			if i%10 == 0 {
				must(w.svc.CreateTransaction(ctx, w.other, tx("credit", 100, w.foreign.ID)))(t)
			}
		}
		total := 0
		for _, acc := range append(accs, w.foreign) {
			var count, rows int
			var balance, sum money.Cents
			if err := w.db.Reader().QueryRowContext(ctx, `SELECT a.transaction_count, a.balance,
				(SELECT COUNT(*) FROM finance_transactions t WHERE t.account_id = a.id),
				(SELECT COALESCE(SUM(t.amount), 0) FROM finance_transactions t WHERE t.account_id = a.id)
				FROM finance_accounts a WHERE a.id = $1`, acc.ID).Scan(&count, &balance, &rows, &sum); err != nil {
				t.Fatal(err)
			}
			if count != rows || balance != sum || rows == 0 {
				t.Fatalf("account %s: stored count %d and balance %s; its rows: %d summing to %s", acc.Name, count, balance, rows, sum)
			}
			if acc != w.foreign {
				total += rows
			}
			actor := w.owner
			if acc == w.foreign {
				actor = w.other
			}
			_, n, err := w.svc.ListTransactions(ctx, actor, finance.Query{Bank: opt.Of(acc.ID)}, business.Page{Limit: 50})
			if err != nil || n != rows {
				t.Fatalf("bank %s: count %d, %v; want %d", acc.Name, n, err, rows)
			}
		}
		_, n, err := w.svc.ListTransactions(ctx, w.owner, finance.Query{}, business.Page{Limit: 50})
		if err != nil || n != total {
			t.Fatalf("unfiltered count %d, %v; want %d", n, err, total)
		}
		// The stored hour counts equal the rows per hour, and each day's count the day's rows.
		hours := func(q string) map[string]int {
			out := map[string]int{}
			rows, err := w.db.Reader().QueryContext(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var acc string
				var hour int64
				var n int
				if err := rows.Scan(&acc, &hour, &n); err != nil {
					t.Fatal(err)
				}
				if n != 0 {
					out[fmt.Sprint(acc, hour)] = n
				}
			}
			return out
		}
		stored := hours(`SELECT account_id, hour, transaction_count FROM finance_transaction_hours`)
		counted := hours(`SELECT account_id, created_at - created_at % 3600000000, COUNT(*) FROM finance_transactions
			GROUP BY account_id, created_at - created_at % 3600000000`)
		if !maps.Equal(stored, counted) || len(stored) < 20 {
			t.Fatalf("stored hour counts %v, rows per hour %v", stored, counted)
		}
		for d := w.clock.Now().AddDate(0, 0, -6); !d.After(w.clock.Now()); d = d.AddDate(0, 0, 1) {
			day := d.In(w.owner.Location).Format("2006-01-02")
			_, n, err := w.svc.ListTransactions(ctx, w.owner, finance.Query{Date: opt.Of(day)}, business.Page{Limit: 50})
			from, _ := time.ParseInLocation("2006-01-02", day, w.owner.Location)
			var want int
			if err == nil {
				err = w.db.Reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM finance_transactions WHERE business_id = $1
					AND created_at >= $2 AND created_at < $3`, w.owner.BusinessID, from.UnixMicro(), from.AddDate(0, 0, 1).UnixMicro()).Scan(&want)
			}
			if err != nil || n != want {
				t.Fatalf("date %s: count %d, %v; want %d", day, n, err, want)
			}
		}
	})
}
