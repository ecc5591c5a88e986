package bench

import (
	"context"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

func TestTxnAt(t *testing.T) {
	var sum money.Cents
	for i := range 8 {
		x := txnAt(i)
		if want := map[bool]string{true: "credit", false: "debit"}[i%2 == 0]; x.typ != want {
			t.Fatalf("transaction %d type %s, want %s", i, x.typ, want)
		}
		if a := max(x.amount, -x.amount); a < 100 || a > 99999 || (x.typ == "debit") != (x.amount < 0) {
			t.Fatalf("transaction %d amount %s", i, x.amount)
		}
		sum += x.amount
	}
	if txnAt(4).description != "Invoice 4 coffee beans" || sum == 0 {
		t.Fatalf("description %q, sum %s", txnAt(4).description, sum)
	}
}

// TestLoadTransactions loads transactions through SQL next to ones the finance service records,
// then checks every derived column against the service's rows, the account's stored balance and
// transaction count against its rows, and what the store's list counts (stored counts, a date
// span, a search).
func TestLoadTransactions(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
		svc := finance.NewService(db, clock.NewFixed(now))
		actor, owner := newBusiness(t, db, now)
		ledger := mustDo(svc.CreateAccount(ctx, actor, finance.AccountInput{Name: opt.Of("Ledger")}))(t)
		other := mustDo(svc.CreateAccount(ctx, actor, finance.AccountInput{Name: opt.Of("Other")}))(t)
		// The service's rows for the first 4 generated transactions, in the other account.
		for i := range 4 {
			x := txnAt(i)
			mustDo(svc.CreateTransaction(ctx, actor, finance.TransactionInput{Type: opt.Of(x.typ), Amount: opt.Of(x.amount),
				Description: opt.Of(x.description), Account: opt.Of(other.ID)}))(t)
		}
		const n = 1234
		var batches []int
		got, err := LoadTransactions(ctx, db, TxnLoad{AccountID: ledger.ID, OperatorID: owner, N: n, Batch: 500,
			End: now, Span: 365 * 24 * time.Hour}, func(rows int) { batches = append(batches, rows) })
		if err != nil {
			t.Fatal(err)
		}
		var want Ledger
		for i := range n {
			want.Count++
			want.Balance += txnAt(i).amount
		}
		if got != want || len(batches) != 3 || batches[2] != 234 {
			t.Fatalf("loaded %+v in batches %v, want %+v in 500, 500, 234", got, batches, want)
		}

		// Derived columns: what the store wrote for the same transactions.
		const derived = `SELECT type, amount, amount_text, description, search_key, business_id, operator_id FROM finance_transactions
			WHERE account_id = $1 AND description = $2`
		for i := range 4 {
			var a, b [7]any
			scan := func(acc string, dst *[7]any) {
				t.Helper()
				var typ, text, desc, key, biz, op string
				var amount int64
				if err := db.Reader().QueryRowContext(ctx, derived, acc, txnAt(i).description).Scan(&typ, &amount, &text,
					&desc, &key, &biz, &op); err != nil {
					t.Fatal(err)
				}
				*dst = [7]any{typ, amount, text, desc, key, biz, op}
			}
			scan(other.ID, &a)
			scan(ledger.ID, &b)
			if a != b {
				t.Fatalf("transaction %d: loaded %v, the service wrote %v", i, b, a)
			}
		}

		// The stored balance equals the rows', and the store's list counts them.
		acc := mustDo(db.FinanceAccount(ctx, actor.BusinessID, ledger.ID, false))(t)
		var rows, stored int
		var sum money.Cents
		if err := db.Reader().QueryRowContext(ctx, `SELECT COUNT(*), SUM(amount),
			(SELECT transaction_count FROM finance_accounts WHERE id = $1) FROM finance_transactions WHERE account_id = $1`,
			ledger.ID).Scan(&rows, &sum, &stored); err != nil {
			t.Fatal(err)
		}
		if acc.Balance != want.Balance || sum != want.Balance || rows != n || stored != n {
			t.Fatalf("stored balance %s and count %d, rows %d summing to %s; want %d rows, %s", acc.Balance, stored, rows, sum,
				n, want.Balance)
		}
		var hours, sumHours, maxHour int
		if err := db.Reader().QueryRowContext(ctx, `SELECT COUNT(*), SUM(transaction_count), MAX(transaction_count)
			FROM finance_transaction_hours WHERE account_id = $1`, ledger.ID).Scan(&hours, &sumHours, &maxHour); err != nil {
			t.Fatal(err)
		}
		if sumHours != n || hours < n*9/10 || maxHour > 2 { // a year's hours hold 0–1 of 1,234 rows each, about
			t.Fatalf("hour counts: %d hours summing to %d, at most %d; want %d rows spread over the year", hours, sumHours, maxHour, n)
		}
		count := func(f finance.Filter) int {
			t.Helper()
			_, c, err := db.ListFinanceTransactions(ctx, actor.BusinessID, f, business.Page{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		week := &business.Span{From: now.AddDate(0, 0, -7), To: now}
		for name, c := range map[string]struct{ got, want int }{
			"all":             {count(finance.Filter{}), n + 4},
			"ledger":          {count(finance.Filter{AccountIDs: []string{ledger.ID}}), n},
			"coffee":          {count(finance.Filter{Search: "coffee"}), (n+3)/4 + 1},
			"last week":       {count(finance.Filter{Span: week}), n * 7 / 365},
			"amount of row 1": {count(finance.Filter{Search: max(txnAt(1).amount, -txnAt(1).amount).String(), AccountIDs: []string{ledger.ID}}), 1},
		} {
			if d := c.got - c.want; d < -1 || d > 1 || (name != "last week" && d != 0) {
				t.Errorf("%s: count %d, want %d", name, c.got, c.want)
			}
		}
	})
}

// newBusiness stores a user owning a business and returns the owner's actor and user id.
func newBusiness(t testing.TB, db *sqlstore.DB, now time.Time) (*business.Actor, string) {
	t.Helper()
	ctx := context.Background()
	name := "owner"
	u := &auth.User{ID: id.New(), Name: "Owner", Username: &name, PasswordHash: "!", IsActive: true, CreatedAt: now}
	b := &business.Business{ID: id.New(), LegalName: "Bench", TradeName: "Bench", CNPJ: "1", IsActive: true,
		Timezone: "UTC", CreatedAt: now}
	o := &business.Owner{ID: id.New(), UserID: u.ID, BusinessID: &b.ID, CreatedAt: now}
	for _, err := range []error{db.CreateUser(ctx, u), db.CreateBusiness(ctx, b), db.CreateOwner(ctx, o)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return &business.Actor{UserID: u.ID, OwnerID: o.ID, BusinessID: b.ID, Owner: true, Location: time.UTC}, u.ID
}

func mustDo[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
