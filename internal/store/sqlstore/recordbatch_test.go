package sqlstore_test

import (
	"context"
	"errors"
	"sync"
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

// recordResult is one RecordFinanceTransactions call's answer.
type recordResult struct {
	legs []*finance.Transaction
	out  *finance.Transaction
	err  error
}

// recordQueued makes the calls of legs concurrently while a transaction of the test holds the
// accounts' rows (and, on SQLite, the writer): the first call the batcher takes waits for it, and
// the others queue behind. Once all are queued it lets them go and returns their answers, in the
// order of calls; whileQueued runs while they wait. calls[0] is taken first, alone, and the
// others queue in order.
func recordQueued(t *testing.T, db *sqlstore.DB, accounts []string, calls [][]*finance.Transaction,
	ctxOf func(i int) context.Context, whileQueued func()) []recordResult {
	t.Helper()
	ctx := context.Background()
	held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- db.InTx(ctx, func(tx *sqlstore.DB) error {
			for _, a := range accounts { // on PostgreSQL: locks the rows, changing nothing
				if _, err := tx.AddFinanceBalance(ctx, a, 0, 0); err != nil {
					return err
				}
			}
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	defer free() // also when a wait below fails the test: it must fail, not hang
	out := make([]recordResult, len(calls))
	var wg sync.WaitGroup
	for i, legs := range calls {
		wg.Go(func() {
			got, err := db.RecordFinanceTransactions(ctxOf(i), legs...)
			out[i] = recordResult{legs, got, err}
		})
		// in order: calls[0] is taken first, alone, and waits for the test's transaction; the
		// others queue behind it in the order of calls
		sqlstore.WaitFor(t, "the call to queue", func() bool { return db.RecordPending() == i+1 })
	}
	if whileQueued != nil {
		whileQueued()
	}
	free()
	bizOK(t, <-done)
	wg.Wait()
	return out
}

// TestRecordBatches: concurrent records of the same accounts are grouped into one transaction
// (recordbatch.go), and each call is still answered exactly as if it had been recorded alone:
// its own row, balances and counts exact; a call the bound of S21 refuses is refused alone, in
// the order the calls queued; a call that fails fails alone; a call cancelled while it waits is
// never recorded.
func TestRecordBatches(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBizFixture(t, db)
		t0 := time.Date(2025, 6, 1, 12, 59, 59, 0, time.UTC) // the calls straddle an hour's end
		a, b := newAccount(t, db, f.bizA.ID, "A", t0), newAccount(t, db, f.bizA.ID, "B", t0)
		leg := func(acc *finance.Account, typ finance.Type, amount money.Cents, at time.Time) *finance.Transaction {
			return &finance.Transaction{ID: id.New(), BusinessID: f.bizA.ID, Type: typ, Amount: amount,
				Description: "batched", Account: finance.Ref{ID: acc.ID}, Operator: finance.Ref{ID: f.ownerA.ID}, Timestamp: at}
		}
		transfer := func(from, to *finance.Account, amount money.Cents, at time.Time) []*finance.Transaction {
			out, in := leg(from, finance.Transfer, -amount, at), leg(to, finance.Transfer, amount, at)
			out.LinkedID, in.LinkedID = &in.ID, &out.ID
			return []*finance.Transaction{out, in}
		}
		background := func(int) context.Context { return ctx }
		state := func(acc *finance.Account) (money.Cents, int) {
			t.Helper()
			got, err := db.FinanceAccount(ctx, f.bizA.ID, acc.ID, false)
			bizOK(t, err)
			_, n, err := db.ListFinanceTransactions(ctx, f.bizA.ID, finance.Filter{AccountIDs: []string{acc.ID}},
				business.Page{Limit: 1}) // counted from the account's stored count
			bizOK(t, err)
			return got.Balance, n
		}
		checkOwn := func(r recordResult) {
			t.Helper()
			if r.err != nil || r.out == nil {
				t.Fatalf("a batched call: %v, %v", r.out, r.err)
			}
			want := r.legs[0]
			if r.out.ID != want.ID || r.out.Amount != want.Amount || r.out.Account.Name == "" ||
				r.out.Operator.Name != "User alice" || !r.out.Timestamp.Equal(want.Timestamp) {
				t.Fatalf("a batched call was answered %+v, not its own first leg %+v", r.out, want)
			}
		}

		// 1. Transfers both ways between A and B, and credits, 40 calls of each kind.
		var transfers [][]*finance.Transaction
		for i := range 40 {
			at := t0.Add(time.Duration(i%3) * time.Second) // 12:59:59, 13:00:00, 13:00:01
			if i%2 == 0 {
				transfers = append(transfers, transfer(a, b, 100, at))
			} else {
				transfers = append(transfers, transfer(b, a, 300, at))
			}
		}
		_, groupedBefore := db.RecordBatches()
		for _, r := range recordQueued(t, db, []string{a.ID, b.ID}, transfers, background, nil) {
			checkOwn(r)
		}
		if _, grouped := db.RecordBatches(); grouped-groupedBefore < 39 {
			t.Fatalf("%d of 40 queued transfers were recorded in batches; want at least 39", grouped-groupedBefore)
		}
		if bal, n := state(a); bal != 20*300-20*100 || n != 40 {
			t.Fatalf("A after 40 transfers: balance %d, %d transactions; want 4000, 40", bal, n)
		}
		if bal, n := state(b); bal != 20*100-20*300 || n != 40 {
			t.Fatalf("B after 40 transfers: balance %d, %d transactions; want -4000, 40", bal, n)
		}
		// The hour counts agree with the rows on either side of 13:00.
		for _, span := range []struct {
			from, to time.Time
			want     int
		}{{t0.Add(-time.Hour), t0.Add(time.Second), 28}, {t0.Add(time.Second), t0.Add(time.Hour + time.Second), 52}} {
			_, n, err := db.ListFinanceTransactions(ctx, f.bizA.ID, finance.Filter{Span: &business.Span{From: span.from, To: span.to}},
				business.Page{Limit: 1})
			bizOK(t, err)
			if n != span.want {
				t.Errorf("count of [%s, %s): %d, want %d", span.from.Format(time.TimeOnly), span.to.Format(time.TimeOnly), n, span.want)
			}
		}

		// 2. The bound: C stands 3 cents below it. In the order they queue, +1 is recorded
		// alone; then +5 would pass the bound, and is refused, although the batch it queued in
		// (+5, -5, +1) adds up to less than the bound allows; -5 and +1 are recorded.
		c := newAccount(t, db, f.bizA.ID, "C", t0)
		if ok, err := db.AddFinanceBalance(ctx, c.ID, money.Limit-3, 0); !ok || err != nil {
			t.Fatalf("raise C: %v, %v", ok, err)
		}
		var credits [][]*finance.Transaction
		for _, amount := range []money.Cents{1, 5, -5, 1} {
			credits = append(credits, []*finance.Transaction{leg(c, finance.Credit, amount, t0)})
		}
		for i, r := range recordQueued(t, db, []string{c.ID}, credits, background, nil) {
			switch {
			case r.err != nil:
				t.Fatalf("a credit at the bound: %v", r.err)
			case i != 1:
				checkOwn(r)
			case r.out != nil:
				t.Fatalf("the credit past the bound was recorded: %+v", r.out)
			default:
				if _, err := db.FinanceTransaction(ctx, f.bizA.ID, r.legs[0].ID); !apperr.IsKind(err, apperr.NotFound) {
					t.Errorf("the refused credit was stored: %v", err)
				}
			}
		}
		if bal, n := state(c); bal != money.Limit-6 || n != 3 {
			t.Fatalf("C after +1, +5 (refused), -5, +1 from 3 below the bound: balance %d, %d transactions; want %d, 3",
				bal, n, money.Limit-6)
		}

		// 3. A call that fails (its category does not exist) fails alone; a call cancelled while it
		// waits is never recorded; the others are.
		var mixed [][]*finance.Transaction
		for range 6 {
			mixed = append(mixed, []*finance.Transaction{leg(a, finance.Credit, 1000, t0)})
		}
		mixed[2][0].Category = &finance.Ref{ID: id.New()}
		cancelled, cancel := context.WithCancel(ctx)
		ctxOf := func(i int) context.Context {
			if i == 4 {
				return cancelled
			}
			return ctx
		}
		balBefore, countBefore := state(a)
		results := recordQueued(t, db, []string{a.ID}, mixed, ctxOf, func() {
			cancel()
			sqlstore.WaitFor(t, "the cancelled call to leave the queue", func() bool { return db.RecordPending() < len(mixed) })
		})
		for i, r := range results {
			switch i {
			case 2:
				if r.err == nil {
					t.Errorf("the call with a missing category: %v, nil; want an error", r.out)
				}
			case 4:
				if !errors.Is(r.err, context.Canceled) {
					t.Errorf("the cancelled call: %v, %v; want context.Canceled", r.out, r.err)
				}
			default:
				checkOwn(r)
				continue
			}
			if _, err := db.FinanceTransaction(ctx, f.bizA.ID, r.legs[0].ID); !apperr.IsKind(err, apperr.NotFound) {
				t.Errorf("call %d was stored: %v", i, err)
			}
		}
		if bal, n := state(a); bal != balBefore+4*1000 || n != countBefore+4 {
			t.Fatalf("A after 4 of 6 credits: balance %d, %d transactions; want %d, %d", bal, n, balBefore+4000, countBefore+4)
		}
	})
}
