package billing_test

import (
	"sync"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/billing"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// TestSettle: §2.6 settle through finance — the transaction, the balance and the payment move
// together; §5: 25 on 100 is partially paid with 75 outstanding; defects 14, 17, 18.
func TestSettle(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		in := w.input("2025-06-30")
		in.Category = opt.Of(w.category.ID)
		r := w.create(t, in)
		tx := must(w.settle(billing.Receivable, r.ID, 2500))(t)
		if tx.Type != finance.Credit || tx.Amount != 2500 || tx.Description != "Invoice | Ref. Receivable ID "+r.ID ||
			tx.PaymentID == nil || *tx.PaymentID != r.ID || tx.Contact.ID != w.customer.ID || tx.Contact.Name != "João Silva" ||
			tx.Category.ID != w.category.ID || tx.Account.ID != w.account.ID || tx.Operator.ID != w.member.UserID {
			t.Fatalf("settle transaction %+v", tx)
		}
		p := must(w.svc.Payment(ctx, w.owner, billing.Receivable, r.ID))(t)
		if p.Paid != 2500 || p.Outstanding() != 7500 || p.Status != billing.PartiallyPaid || p.PaidAt != nil {
			t.Fatalf("after 25 of 100: %+v", p)
		}
		if w.balance(t, w.account) != 2500 {
			t.Fatalf("balance %s", w.balance(t, w.account))
		}
		// Refusals write nothing.
		for name, c := range map[string]struct {
			kind   billing.Kind
			who    *business.Actor
			in     finance.SettleInput
			field  string
			msg    string
			status apperr.Kind
		}{
			"over-payment (defect 14)": {billing.Receivable, w.owner, finance.SettleInput{Amount: opt.Of[money.Cents](7501), Account: opt.Of(w.account.ID)},
				"amount", "Ensure this value is less than or equal to the outstanding balance (75.00).", apperr.Invalid},
			"zero (S22)": {billing.Receivable, w.owner, finance.SettleInput{Amount: opt.Of[money.Cents](0), Account: opt.Of(w.account.ID)},
				"amount", finance.MsgAmountZero, apperr.Invalid},
			"no amount (defect 13)": {billing.Receivable, w.owner, finance.SettleInput{Account: opt.Of(w.account.ID)},
				"amount", apperr.MsgRequired, apperr.Invalid},
			"no account": {billing.Receivable, w.owner, finance.SettleInput{Amount: opt.Of[money.Cents](100)},
				"account", apperr.MsgRequired, apperr.Invalid},
			"foreign account (defect 2)": {billing.Receivable, w.owner, finance.SettleInput{Amount: opt.Of[money.Cents](100), Account: opt.Of(w.otherAccount.ID)},
				"account", `Invalid pk "` + w.otherAccount.ID + `" - object does not exist.`, apperr.Invalid},
			"receivable through payables (defect 17)": {billing.Payable, w.owner, finance.SettleInput{Amount: opt.Of[money.Cents](100), Account: opt.Of(w.account.ID)},
				"", billing.MsgPayableNotFound, apperr.NotFound},
			"other business": {billing.Receivable, w.other, finance.SettleInput{Amount: opt.Of[money.Cents](100), Account: opt.Of(w.otherAccount.ID)},
				"", billing.MsgReceivableNotFound, apperr.NotFound},
		} {
			_, err := w.fin.Settle(ctx, c.who, c.kind, r.ID, c.in)
			if c.field != "" && fieldErr(err, c.field) != c.msg {
				t.Errorf("%s: %v; want %q under %s", name, err, c.msg, c.field)
			}
			if c.field == "" {
				if e, _ := apperr.As(err); e == nil || e.Kind != c.status || e.Message != c.msg {
					t.Errorf("%s: %v; want %q", name, err, c.msg)
				}
			}
		}
		if p := w.stored(t, w.owner.BusinessID, r.ID); p.Paid != 2500 || w.balance(t, w.account) != 2500 || w.balance(t, w.otherAccount) != 0 {
			t.Fatalf("refused settles wrote: paid %s, balance %s", p.Paid, w.balance(t, w.account))
		}
		// The category was deactivated since: settling still copies it. The sign is ignored.
		must(w.fin.DeactivateCategory(ctx, w.owner, w.category.ID))(t)
		w.clock.Set(time.Date(2025, 6, 26, 1, 30, 0, 0, time.UTC)) // 22:30 on the 25th in Recife
		must(w.settle(billing.Receivable, r.ID, -7500))(t)
		p = must(w.svc.Payment(ctx, w.owner, billing.Receivable, r.ID))(t)
		if p.Status != billing.Paid || p.Outstanding() != 0 || p.PaidAt == nil || *p.PaidAt != "2025-06-25" {
			t.Fatalf("paid in full: %+v; want paid_at the business's date 2025-06-25", p)
		}
		if _, err := w.settle(billing.Receivable, r.ID, 1); fieldErr(err, "amount") != "Ensure this value is less than or equal to the outstanding balance (0.00)." {
			t.Fatalf("settling a paid payment: %v", err)
		}
		// A payable is settled by a debit.
		q := must(w.svc.Create(ctx, w.owner, billing.Payable, w.input("2025-06-30")))(t)
		dt := must(w.settle(billing.Payable, q.ID, 4000))(t)
		if dt.Type != finance.Debit || dt.Amount != -4000 || dt.Description != "Invoice | Ref. Payable ID "+q.ID {
			t.Fatalf("payable settle %+v", dt)
		}
		if w.balance(t, w.account) != 6000 {
			t.Fatalf("balance %s; want 100 − 40", w.balance(t, w.account))
		}
	})
}

// TestTransactionsSettlePayments: POST /finance/transactions with a payment follows the settle
// rules (S22); deleting the transaction takes its amount back and keeps an overdue payment
// overdue (defect 19).
func TestTransactionsSettlePayments(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		r := w.create(t, w.input("2025-06-20")) // overdue on the 25th
		q := must(w.svc.Create(ctx, w.owner, billing.Payable, w.input("2025-06-30")))(t)
		foreign := must(w.svc.Create(ctx, w.other, billing.Receivable, billing.Input{Contact: opt.Of(w.otherCustomer.ID),
			IssuedAt: opt.Of("2025-06-01"), DueAt: opt.Of("2025-06-30"), Total: opt.Of[money.Cents](100), Notes: opt.Of("x")}))(t)
		txIn := func(typ, payment string, amount money.Cents) finance.TransactionInput {
			in := finance.TransactionInput{Type: opt.Of(typ), Amount: opt.Of(amount), Description: opt.Of("manual"),
				Account: opt.Of(w.account.ID), Payment: opt.Of(payment)}
			if typ == "transfer" {
				in.To = opt.Of(must(w.fin.CreateAccount(ctx, w.owner, finance.AccountInput{Name: opt.Of("Other")}))(t).ID)
			}
			return in
		}
		for name, c := range map[string]struct {
			in         finance.TransactionInput
			field, msg string
		}{
			"debit on a receivable":    {txIn("debit", r.ID, 100), "payment", billing.MsgReceivableByCredit},
			"credit on a payable":      {txIn("credit", q.ID, 100), "payment", billing.MsgPayableByDebit},
			"transfer with a payment":  {txIn("transfer", r.ID, 100), "payment", finance.MsgTransferPayment},
			"another business's":       {txIn("credit", foreign.ID, 100), "payment", `Invalid pk "` + foreign.ID + `" - object does not exist.`},
			"over-payment (defect 14)": {txIn("credit", r.ID, 10001), "amount", "Ensure this value is less than or equal to the outstanding balance (100.00)."},
		} {
			if got := fieldErr(errOf(w.fin.CreateTransaction(ctx, w.member, c.in)), c.field); got != c.msg {
				t.Errorf("%s: %q; want %q under %s", name, got, c.msg, c.field)
			}
		}
		if p := w.stored(t, w.owner.BusinessID, r.ID); p.Paid != 0 || w.balance(t, w.account) != 0 {
			t.Fatalf("refused transactions wrote: paid %s, balance %s", p.Paid, w.balance(t, w.account))
		}
		tx := must(w.fin.CreateTransaction(ctx, w.member, txIn("credit", r.ID, -3000)))(t)
		if tx.PaymentID == nil || *tx.PaymentID != r.ID || tx.Description != "manual" || tx.Amount != 3000 {
			t.Fatalf("transaction %+v", tx)
		}
		p := must(w.svc.Payment(ctx, w.owner, billing.Receivable, r.ID))(t)
		if p.Paid != 3000 || p.Status != billing.Overdue {
			t.Fatalf("overdue payment partly paid: %+v", p)
		}
		dt := must(w.fin.CreateTransaction(ctx, w.member, txIn("debit", q.ID, 10000)))(t)
		if p := must(w.svc.Payment(ctx, w.owner, billing.Payable, q.ID))(t); p.Status != billing.Paid || *p.PaidAt != "2025-06-25" {
			t.Fatalf("payable paid by a debit: %+v", p)
		}
		must(struct{}{}, w.fin.DeleteTransaction(ctx, w.owner, tx.ID))(t)
		if p := w.stored(t, w.owner.BusinessID, r.ID); p.Paid != 0 || p.Status != billing.Overdue || p.PaidAt != nil {
			t.Fatalf("after deleting the transaction: %+v; want overdue, nothing paid (defect 19)", p)
		}
		must(struct{}{}, w.fin.DeleteTransaction(ctx, w.owner, dt.ID))(t)
		if p := w.stored(t, w.owner.BusinessID, q.ID); p.Paid != 0 || p.Status != billing.Pending || p.PaidAt != nil {
			t.Fatalf("payable after deleting its debit: %+v", p)
		}
		if w.balance(t, w.account) != 0 {
			t.Fatalf("balance %s", w.balance(t, w.account))
		}
	})
}

// TestConcurrentSettles: many settles of one payment at once never over-pay it, and the amount
// paid, the balance and the transactions agree (defect 9). Transfers on the same account run
// beside them: payment-then-account locking never deadlocks with finance's account locking.
func TestConcurrentSettles(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		const workers, amount = 24, money.Cents(700) // 24 × 7.00 = 168.00 against 100.00
		p := w.create(t, w.input("2025-06-30"))
		spare := must(w.fin.CreateAccount(ctx, w.owner, finance.AccountInput{Name: opt.Of("Spare")}))(t)
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, refused := 0, 0
		var unexpected []error
		for i := range workers {
			wg.Add(2)
			go func() {
				defer wg.Done()
				_, err := w.settle(billing.Receivable, p.ID, amount)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case fieldErr(err, "amount") != "":
					refused++
				default:
					unexpected = append(unexpected, err)
				}
			}()
			go func() {
				defer wg.Done()
				from, to := w.account.ID, spare.ID
				if i%2 == 1 {
					from, to = to, from
				}
				_, err := w.fin.CreateTransaction(ctx, w.owner, finance.TransactionInput{Type: opt.Of("transfer"),
					Amount: opt.Of[money.Cents](100), Description: opt.Of("shuffle"), Account: opt.Of(from), To: opt.Of(to)})
				if err != nil {
					mu.Lock()
					unexpected = append(unexpected, err)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		for _, err := range unexpected {
			t.Error(err)
		}
		got := must(w.svc.Payment(ctx, w.owner, billing.Receivable, p.ID))(t)
		want := money.Cents(ok) * amount
		if ok != 14 || refused != workers-14 || got.Paid != want || got.Paid > got.Total || got.Outstanding() != 200 {
			t.Fatalf("%d settles succeeded, %d refused; paid %s of %s", ok, refused, got.Paid, got.Total)
		}
		if b := w.balance(t, w.account) + w.balance(t, spare); b != want {
			t.Fatalf("balances sum to %s; want %s", b, want)
		}
		t.Logf("%s: %d concurrent settles of %s on a payment of %s (with %d transfers on the same account): %d succeeded, %d refused, paid %s, outstanding %s",
			w.db.Engine(), workers, amount, got.Total, workers, ok, refused, got.Paid, got.Outstanding())
	})
}
