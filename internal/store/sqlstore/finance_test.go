package sqlstore_test

import (
	"context"
	"errors"
	"math/rand/v2"
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
		acc := newAccount(t, db, f.bizA.ID, "A", t0)
		if _, err := db.FinanceAccount(ctx, f.bizB.ID, acc.ID, false); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("account through another business: %v", err)
		}
		var ids []string
		for i, amount := range []money.Cents{12345, -500, 7} {
			tr := &finance.Transaction{ID: id.New(), BusinessID: f.bizA.ID, Type: finance.Credit, Amount: amount,
				Description: []string{"Venda ÀVISTA", "Café 100%", "x_y"}[i], Account: finance.Ref{ID: acc.ID},
				Operator: finance.Ref{ID: f.ownerA.ID}, Timestamp: t0.Add(time.Duration(i) * 24 * time.Hour)}
			bizOK(t, db.CreateFinanceTransactions(ctx, tr))
			addCounts(t, db, tr)
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
		acc := newAccount(t, db, f.bizA.ID, "A", time.Now())
		locked, release := make(chan struct{}), make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- db.FinanceTx(ctx, func(tx finance.Store) error {
				if _, err := tx.FinanceAccount(ctx, f.bizA.ID, acc.ID, true); err != nil {
					return err
				}
				close(locked)
				<-release
				_, err := tx.MoveFinanceAccount(ctx, f.bizA.ID, acc.ID, 100, nil, 1)
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
				_, err := tx.MoveFinanceAccount(ctx, f.bizA.ID, acc.ID, 1, nil, 1)
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

// addCounts does for a transaction the store created what finance's record does: the balance
// and the stored counts the list counts with.
func addCounts(t *testing.T, db *sqlstore.DB, tr *finance.Transaction) {
	t.Helper()
	ctx := context.Background()
	if ok, err := db.MoveFinanceAccount(ctx, tr.BusinessID, tr.Account.ID, tr.Amount, []time.Time{tr.Timestamp}, 1); !ok || err != nil {
		t.Fatalf("move account: %v, %v", ok, err)
	}
}

// TestFinanceSpanCounts: a date span's count (whole hours from the stored hour counts, partial
// first and last hours from the rows) equals the rows in the span, for spans on and off the
// hour, shorter than an hour, and with a bank filter; another business's rows never count.
func TestFinanceSpanCounts(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBizFixture(t, db)
		t0 := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
		var accs []*finance.Account
		for _, biz := range []string{f.bizA.ID, f.bizA.ID, f.bizB.ID} {
			acc := newAccount(t, db, biz, "A"+id.New(), t0)
			accs = append(accs, acc)
		}
		rng := rand.New(rand.NewPCG(5, 6))
		for range 300 {
			acc := accs[rng.IntN(len(accs))]
			tr := &finance.Transaction{ID: id.New(), BusinessID: acc.BusinessID, Type: finance.Credit, Amount: 1,
				Description: "x", Account: finance.Ref{ID: acc.ID}, Operator: finance.Ref{ID: f.ownerA.ID},
				Timestamp: t0.Add(time.Duration(rng.Int64N(int64(48 * time.Hour))))}
			bizOK(t, db.CreateFinanceTransactions(ctx, tr))
			addCounts(t, db, tr)
		}
		rows := func(from, to time.Time, acc string) int {
			var n int
			q := `SELECT COUNT(*) FROM finance_transactions WHERE business_id = $1 AND created_at >= $2 AND created_at < $3`
			args := []any{f.bizA.ID, from.UnixMicro(), to.UnixMicro()}
			if acc != "" {
				q += ` AND account_id = $4`
				args = append(args, acc)
			}
			bizOK(t, db.Reader().QueryRowContext(ctx, q, args...).Scan(&n))
			return n
		}
		kolkata := time.FixedZone("IST", 5*3600+1800)
		spans := [][2]time.Time{
			{t0, t0.Add(24 * time.Hour)},                                                   // UTC days
			{t0.Add(-time.Hour), t0.Add(72 * time.Hour)},                                   // everything
			{t0.In(kolkata), t0.Add(24 * time.Hour).In(kolkata)},                           // on the hour, shown in another zone
			{t0.Add(-5*time.Hour - 30*time.Minute), t0.Add(18*time.Hour + 30*time.Minute)}, // a day in +05:30
			{t0.Add(90 * time.Minute), t0.Add(100 * time.Minute)},                          // within an hour
			{t0.Add(90 * time.Minute), t0.Add(150 * time.Minute)},                          // across one hour boundary
			{t0.Add(30 * time.Minute), t0.Add(31 * time.Hour)},                             // partial hours at both ends
			{t0.Add(30 * time.Minute), t0.Add(24 * time.Hour)},                             // a partial first hour only
			{t0, t0.Add(24*time.Hour + 30*time.Minute)},                                    // a partial last hour only
			{t0.Add(5 * time.Hour), t0.Add(5 * time.Hour)},                                 // empty
		}
		for range 20 {
			a := t0.Add(time.Duration(rng.Int64N(int64(50 * time.Hour))))
			spans = append(spans, [2]time.Time{a, a.Add(time.Duration(rng.Int64N(int64(30 * time.Hour))))})
		}
		for _, sp := range spans {
			span := &business.Span{From: sp[0], To: sp[1]}
			for _, acc := range []string{"", accs[1].ID} {
				fl := finance.Filter{Span: span}
				if acc != "" {
					fl.AccountIDs = []string{acc}
				}
				_, n, err := db.ListFinanceTransactions(ctx, f.bizA.ID, fl, business.Page{Limit: 1})
				bizOK(t, err)
				if want := rows(sp[0], sp[1], acc); n != want {
					t.Errorf("span %s – %s (account %q): count %d, %d rows", sp[0], sp[1], acc, n, want)
				}
			}
		}
	})
}

// TestMoveFinanceAccount: the balance, the account's count and the hour's count change together
// (one statement on PostgreSQL), and not at all when the balance would leave its bound (S21).
func TestMoveFinanceAccount(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBizFixture(t, db)
		acc := newAccount(t, db, f.bizA.ID, "A", time.Now())
		at := time.Date(2026, 3, 1, 10, 15, 0, 0, time.UTC)
		state := func() (balance, count, hour int64) {
			r := db.Reader()
			bizOK(t, r.QueryRowContext(ctx, `SELECT balance, transaction_count FROM finance_accounts WHERE id = $1`, acc.ID).Scan(&balance, &count))
			bizOK(t, r.QueryRowContext(ctx, `SELECT COALESCE(SUM(transaction_count), 0) FROM finance_transaction_hours
				WHERE account_id = $1 AND hour = $2`, acc.ID, sqlstore.FinanceHour(at)).Scan(&hour))
			return
		}
		for _, step := range []struct {
			delta                 money.Cents
			at                    []time.Time
			sign                  int
			ok                    bool
			balance, count, hours int64
		}{
			{500, []time.Time{at}, 1, true, 500, 1, 1},
			{250, []time.Time{at.Add(30 * time.Minute)}, 1, true, 750, 2, 2},  // same hour: one row
			{money.Limit, []time.Time{at}, 1, false, 750, 2, 2},               // past the bound: nothing
			{-500, []time.Time{at}, -1, true, 250, 1, 1},                      // a delete
			{100, []time.Time{at, at.Add(2 * time.Hour)}, 1, true, 350, 3, 2}, // two hours
		} {
			ok, err := db.MoveFinanceAccount(ctx, f.bizA.ID, acc.ID, step.delta, step.at, step.sign)
			bizOK(t, err)
			b, c, h := state()
			if ok != step.ok || b != step.balance || c != step.count || h != step.hours {
				t.Fatalf("move %s: ok %v, balance %d, count %d, hour %d; want %v, %d, %d, %d",
					step.delta, ok, b, c, h, step.ok, step.balance, step.count, step.hours)
			}
		}
	})
}

// TestRecordFinanceTransaction: the transaction, its account's balance and counts and its hour's
// count are written together (one statement on PostgreSQL), and nothing at all when the balance
// would leave the bound; inside a transaction the same holds with the caller's transaction.
func TestRecordFinanceTransaction(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBizFixture(t, db)
		t0 := time.Date(2025, 6, 1, 12, 30, 0, 0, time.UTC)
		acc := newAccount(t, db, f.bizA.ID, "A", t0)
		tx := func(amount money.Cents, at time.Time) *finance.Transaction {
			return &finance.Transaction{ID: id.New(), BusinessID: f.bizA.ID, Type: finance.Credit, Amount: amount,
				Description: "rec", Account: finance.Ref{ID: acc.ID}, Operator: finance.Ref{ID: f.ownerA.ID}, Timestamp: at}
		}
		state := func() (money.Cents, int, int) {
			t.Helper()
			got, err := db.FinanceAccount(ctx, f.bizA.ID, acc.ID, false)
			bizOK(t, err)
			_, all, err := db.ListFinanceTransactions(ctx, f.bizA.ID, finance.Filter{}, business.Page{Limit: 50})
			bizOK(t, err)
			_, inHour, err := db.ListFinanceTransactions(ctx, f.bizA.ID,
				finance.Filter{Span: &business.Span{From: t0.Truncate(time.Hour), To: t0.Truncate(time.Hour).Add(time.Hour)}},
				business.Page{Limit: 50})
			bizOK(t, err)
			return got.Balance, all, inHour
		}
		for _, amount := range []money.Cents{5000, -1250} {
			in := tx(amount, t0)
			got, err := db.RecordFinanceTransactions(ctx, in)
			if err != nil || got == nil {
				t.Fatalf("record %d: %v, %v", amount, got, err)
			}
			// The stored row comes back with the names it refers to: the create's answer,
			// which a concurrent delete can no longer turn into a 404.
			if got.ID != in.ID || got.Amount != amount || got.Account.Name != "A" || got.Operator.Name != "User alice" ||
				!got.Timestamp.Equal(t0) {
				t.Fatalf("record %d returned %+v", amount, got)
			}
		}
		if bal, all, inHour := state(); bal != 3750 || all != 2 || inHour != 2 {
			t.Fatalf("after two records: balance %d, %d transactions, %d in the hour; want 3750, 2, 2", bal, all, inHour)
		}
		over := tx(money.Limit, t0)
		if got, err := db.RecordFinanceTransactions(ctx, over); err != nil || got != nil {
			t.Fatalf("a record past the limit: %v, %v; want nil, nil", got, err)
		}
		if _, err := db.FinanceTransaction(ctx, f.bizA.ID, over.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Errorf("the refused transaction was stored: %v", err)
		}
		if bal, all, inHour := state(); bal != 3750 || all != 2 || inHour != 2 {
			t.Fatalf("after a refused record: balance %d, %d transactions, %d in the hour; want 3750, 2, 2", bal, all, inHour)
		}
		// A transfer's two legs: both accounts move together, or neither when one of them would
		// leave the bound.
		dst := newAccount(t, db, f.bizA.ID, "B", t0)
		transfer := func(amount money.Cents) []*finance.Transaction {
			out, in := tx(-amount, t0), tx(amount, t0)
			out.Type, in.Type = finance.Transfer, finance.Transfer
			in.Account = finance.Ref{ID: dst.ID}
			out.LinkedID, in.LinkedID = &in.ID, &out.ID
			return []*finance.Transaction{out, in}
		}
		legs := transfer(750)
		got, err := db.RecordFinanceTransactions(ctx, legs...)
		if err != nil || got == nil {
			t.Fatalf("record a transfer: %v, %v", got, err)
		}
		if got.ID != legs[0].ID || got.Amount != -750 || got.LinkedID == nil || *got.LinkedID != legs[1].ID {
			t.Fatalf("a transfer returned %+v; want its sending leg, linked to the other", got)
		}
		balances := func() (money.Cents, money.Cents) {
			a, err := db.FinanceAccount(ctx, f.bizA.ID, acc.ID, false)
			bizOK(t, err)
			b, err := db.FinanceAccount(ctx, f.bizA.ID, dst.ID, false)
			bizOK(t, err)
			return a.Balance, b.Balance
		}
		if a, b := balances(); a != 3000 || b != 750 {
			t.Fatalf("after a transfer of 7.50: balances %d, %d; want 3000, 750", a, b)
		}
		// B → A by Limit-1000: B stays within the bound, A would pass it by 20.00.
		back := transfer(-(money.Limit - 1000))
		if got, err := db.RecordFinanceTransactions(ctx, back...); err != nil || got != nil {
			t.Fatalf("a transfer one of whose accounts would leave the bound: %v, %v; want nil, nil", got, err)
		}
		if a, b := balances(); a != 3000 || b != 750 {
			t.Fatalf("a refused transfer moved the balances: %d, %d; want 3000, 750", a, b)
		}
		for _, l := range back {
			if _, err := db.FinanceTransaction(ctx, f.bizA.ID, l.ID); !apperr.IsKind(err, apperr.NotFound) {
				t.Errorf("a leg of the refused transfer was stored: %v", err)
			}
		}
		if got, err := db.RecordFinanceTransactions(ctx, transfer(-750)...); err != nil || got == nil { // B → A, 7.50
			t.Fatalf("transfer back: %v, %v", got, err)
		}
		if bal, all, inHour := state(); bal != 3750 || all != 6 || inHour != 6 {
			t.Fatalf("after two transfers: balance %d, %d transactions, %d in the hour; want 3750, 6, 6", bal, all, inHour)
		}

		// Inside a caller's transaction, rolled back with it.
		err = db.InTx(ctx, func(in *sqlstore.DB) error {
			if got, err := in.RecordFinanceTransactions(ctx, tx(1, t0)); err != nil || got == nil {
				t.Fatalf("record in a transaction: %v, %v", got, err)
			}
			return errRollback
		})
		if err != errRollback {
			t.Fatal(err)
		}
		if bal, all, inHour := state(); bal != 3750 || all != 6 || inHour != 6 {
			t.Fatalf("after a rolled-back record: balance %d, %d transactions, %d in the hour", bal, all, inHour)
		}
	})
}

var errRollback = errors.New("roll back")

// newAccount creates an active account of the business.
func newAccount(t *testing.T, db *sqlstore.DB, businessID, name string, at time.Time) *finance.Account {
	t.Helper()
	acc := &finance.Account{ID: id.New(), BusinessID: businessID, Name: name, IsActive: true, CreatedAt: at}
	bizOK(t, db.CreateFinanceAccount(context.Background(), acc))
	return acc
}
