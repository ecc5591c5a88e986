package finance_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

func TestAccountsAreTheOwners(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		if _, err := w.svc.CreateAccount(ctx, w.member, finance.AccountInput{Name: opt.Of("x")}); !apperr.IsKind(err, apperr.Forbidden) {
			t.Fatalf("member creates an account: %v", err)
		}
		if _, _, err := w.svc.ListAccounts(ctx, w.member, business.Page{Limit: 50}); !apperr.IsKind(err, apperr.Forbidden) {
			t.Fatalf("member lists accounts: %v", err)
		}
		if _, err := w.svc.Account(ctx, w.other, w.a.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("other business reads our account: %v", err)
		}
		accs, total, err := w.svc.ListAccounts(ctx, w.owner, business.Page{Limit: 50})
		if err != nil || total != 3 || accs[2].Name != "Caixa" && accs[0].Name != "Caixa" {
			t.Fatalf("accounts %v %d %v", accs, total, err)
		}
		acc := must(w.svc.UpdateAccount(ctx, w.owner, w.a.ID, finance.AccountInput{Name: opt.Of("A2")}))(t)
		if acc.Name != "A2" || !acc.IsActive {
			t.Fatalf("updated %+v", acc)
		}
		if acc := must(w.svc.DeactivateAccount(ctx, w.owner, w.a.ID))(t); acc.IsActive {
			t.Fatal("still active")
		}
		if msg := fieldErr(must2err(w.svc.CreateTransaction(ctx, w.member, tx("credit", 100, w.a.ID))), "account"); msg != finance.MsgAccountInactive {
			t.Fatalf("credit to an inactive account: %q", msg)
		}
	})
}

func TestTransactionsMoveBalances(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		c := must(w.svc.CreateTransaction(ctx, w.member, tx("credit", -9000, w.a.ID)))(t)
		d := must(w.svc.CreateTransaction(ctx, w.member, tx("debit", 1000, w.b.ID)))(t)
		in := tx("transfer", 1500, w.a.ID)
		in.To = opt.Of(w.b.ID)
		tr := must(w.svc.CreateTransaction(ctx, w.owner, in))(t)
		if c.Amount != 9000 || d.Amount != -1000 || tr.Amount != -1500 || tr.LinkedID == nil {
			t.Fatalf("amounts %s %s %s", c.Amount, d.Amount, tr.Amount)
		}
		other := must(w.svc.Transaction(ctx, w.member, *tr.LinkedID))(t)
		if other.Amount != 1500 || *other.LinkedID != tr.ID || other.Account.ID != w.b.ID || other.Operator.ID != w.owner.UserID {
			t.Fatalf("destination leg %+v", other)
		}
		if w.balance(t, w.a) != 7500 || w.balance(t, w.b) != 500 {
			t.Fatalf("balances %s, %s", w.balance(t, w.a), w.balance(t, w.b))
		}
		must(struct{}{}, w.svc.DeleteTransaction(ctx, w.member, other.ID))(t)
		if w.balance(t, w.a) != 9000 || w.balance(t, w.b) != -1000 {
			t.Fatalf("balances after deleting the transfer %s, %s", w.balance(t, w.a), w.balance(t, w.b))
		}
		if _, err := w.svc.Transaction(ctx, w.owner, tr.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("source leg survived: %v", err)
		}
		if err := w.svc.DeleteTransaction(ctx, w.other, c.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("other business deletes our transaction: %v", err)
		}
	})
}

// TestTransactionsRefuseForeignReferences: defects 2 and 10 — nothing is written.
func TestTransactionsRefuseForeignReferences(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		cat := must(w.svc.CreateCategory(ctx, w.other, finance.CategoryInput{Name: opt.Of("Theirs")}))(t)
		contact := must(w.biz.CreateContact(ctx, w.other, business.CustomerKind, business.ContactInput{Name: opt.Of("Theirs")}))(t)
		cases := map[string]func(*finance.TransactionInput){
			"account":  func(in *finance.TransactionInput) { in.Account = opt.Of(w.foreign.ID) },
			"category": func(in *finance.TransactionInput) { in.Category = opt.Of(cat.ID) },
			"contact":  func(in *finance.TransactionInput) { in.Contact = opt.Of(contact.ID) },
			"send_to":  func(in *finance.TransactionInput) { in.Type = opt.Of("transfer"); in.To = opt.Of(w.foreign.ID) },
		}
		for name, change := range cases {
			in := tx("debit", 100, w.a.ID)
			change(&in)
			_, err := w.svc.CreateTransaction(ctx, w.owner, in)
			if msg := fieldErr(err, name); msg == "" {
				t.Errorf("%s of another business: %v", name, err)
			}
		}
		_, total, _ := w.svc.ListTransactions(ctx, w.owner, finance.Query{}, business.Page{Limit: 50})
		if total != 0 || w.balance(t, w.a) != 0 || w.balance(t, w.foreign) != 0 {
			t.Fatalf("refused transactions wrote: %d, %s, %s", total, w.balance(t, w.a), w.balance(t, w.foreign))
		}
	})
}

func TestTransactionValidation(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		cases := []struct {
			name  string
			in    finance.TransactionInput
			field string
			msg   string
		}{
			{"no amount", finance.TransactionInput{Type: opt.Of("credit"), Description: opt.Of("d"), Account: opt.Of(w.a.ID)}, "amount", apperr.MsgRequired},
			{"zero", tx("credit", 0, w.a.ID), "amount", finance.MsgAmountZero},
			{"too many digits", tx("credit", 100_000_000_000_00, w.a.ID), "amount", "Ensure that there are no more than 10 digits before the decimal point."},
			{"no type", finance.TransactionInput{Amount: opt.Of(money.Cents(1)), Description: opt.Of("d"), Account: opt.Of(w.a.ID)}, "type", apperr.MsgRequired},
			{"bad account id", tx("credit", 1, "nope"), "account", `Invalid pk "nope" - object does not exist.`},
			{"long description", finance.TransactionInput{Type: opt.Of("credit"), Amount: opt.Of(money.Cents(1)),
				Description: opt.Of(fmt.Sprintf("%0256d", 0)), Account: opt.Of(w.a.ID)}, "description", "Ensure this field has no more than 255 characters."},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := w.svc.CreateTransaction(ctx, w.owner, tc.in)
				if got := fieldErr(err, tc.field); got != tc.msg {
					t.Fatalf("got %v; want %q under %s", err, tc.msg, tc.field)
				}
			})
		}
		in := tx("transfer", 1, w.a.ID)
		if e, _ := apperr.As(must2err(w.svc.CreateTransaction(ctx, w.owner, in))); e == nil || e.Message != finance.MsgNoDestination {
			t.Fatalf("transfer without destination: %v", e)
		}
	})
}

func TestCategories(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		root := must(w.svc.CreateCategory(ctx, w.member, finance.CategoryInput{Name: opt.Of("Root")}))(t)
		mid := must(w.svc.CreateCategory(ctx, w.member, finance.CategoryInput{Name: opt.Of("Mid"), Parent: opt.Of(root.ID)}))(t)
		leaf := must(w.svc.CreateCategory(ctx, w.member, finance.CategoryInput{Name: opt.Of("Leaf"), Parent: opt.Of(mid.ID)}))(t)
		if leaf.Parent == nil || leaf.Parent.ID != mid.ID || leaf.Parent.Parent == nil || leaf.Parent.Parent.ID != root.ID || leaf.Parent.Parent.Parent != nil {
			t.Fatalf("leaf chain %+v", leaf)
		}
		_, err := w.svc.UpdateCategory(ctx, w.owner, root.ID, finance.CategoryInput{Parent: opt.Of(leaf.ID)})
		if fieldErr(err, "parent") != finance.MsgCategoryCycle {
			t.Fatalf("cycle: %v", err)
		}
		_, err = w.svc.CreateCategory(ctx, w.other, finance.CategoryInput{Name: opt.Of("X"), Parent: opt.Of(root.ID)})
		if fieldErr(err, "parent") == "" {
			t.Fatalf("foreign parent: %v", err)
		}
		// Names are unique per business only (defect 23).
		if _, err := w.svc.CreateCategory(ctx, w.owner, finance.CategoryInput{Name: opt.Of("Root")}); fieldErr(err, "name") == "" {
			t.Fatalf("duplicate name: %v", err)
		}
		must(w.svc.CreateCategory(ctx, w.other, finance.CategoryInput{Name: opt.Of("Root")}))(t)
		list, total, err := w.svc.ListCategories(ctx, w.owner, business.Page{Limit: 2, Offset: 1})
		if err != nil || total != 3 || len(list) != 2 || list[1].Parent.Parent.ID != root.ID {
			t.Fatalf("page 2 of categories: %v %d %v", list, total, err)
		}
		must(w.svc.DeactivateCategory(ctx, w.owner, mid.ID))(t)
		in := tx("credit", 1, w.a.ID)
		in.Category = opt.Of(mid.ID)
		if fieldErr(must2err(w.svc.CreateTransaction(ctx, w.owner, in)), "category") != finance.MsgCategoryInactive {
			t.Fatal("inactive category accepted (S22)")
		}
	})
}

func TestListTransactionFilters(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		mk := func(typ string, c money.Cents, acc, desc string) {
			in := tx(typ, c, acc)
			in.Description = opt.Of(desc)
			must(w.svc.CreateTransaction(ctx, w.owner, in))(t)
			w.clock.Add(time.Hour)
		}
		mk("credit", 12345, w.a.ID, "Primeira VENDA")
		mk("debit", 500, w.b.ID, "Café")
		w.clock.Add(48 * time.Hour)
		mk("credit", 12, w.b.ID, "depois")
		list := func(q finance.Query) []finance.Transaction {
			t.Helper()
			ts, total, err := w.svc.ListTransactions(ctx, w.member, q, business.Page{Limit: 50})
			if err != nil || total != len(ts) {
				t.Fatalf("list %+v: %v (%d)", q, err, total)
			}
			return ts
		}
		if ts := list(finance.Query{}); len(ts) != 3 || ts[0].Description != "depois" {
			t.Fatalf("newest first: %v", ts)
		}
		for q, n := range map[finance.Query]int{
			{Search: opt.Of("123.45")}:   1,
			{Search: opt.Of("5.00")}:     1,
			{Search: opt.Of("0.1")}:      1, // 0.12
			{Search: opt.Of("venda")}:    1,
			{Search: opt.Of("CAFÉ")}:     1,
			{Bank: opt.Of("b")}:          -1,
			{Bank: opt.Of(w.b.ID)}:       2,
			{Date: opt.Of("today")}:      1,
			{Date: opt.Of("2025-06-25")}: 2,
			{StartDate: opt.Of("2025-06-25"), EndDate: opt.Of("2025-06-27")}: 3,
		} {
			if n < 0 {
				if _, _, err := w.svc.ListTransactions(ctx, w.member, q, business.Page{Limit: 50}); !apperr.IsKind(err, apperr.Invalid) {
					t.Errorf("%+v: %v; want 400", q, err)
				}
				continue
			}
			if got := list(q); len(got) != n {
				t.Errorf("%+v: %d transactions, want %d", q, len(got), n)
			}
		}
		if ts, total, _ := w.svc.ListTransactions(ctx, w.other, finance.Query{}, business.Page{Limit: 50}); total != 0 || len(ts) != 0 {
			t.Fatalf("other business sees %v", ts)
		}
	})
}

// TestConcurrentTransfers: transfers back and forth between two accounts from many goroutines
// keep every balance equal to its transactions' sum, without deadlocks (defect 9).
func TestConcurrentTransfers(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		const n = 12
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				from, to := w.a.ID, w.b.ID
				if i%2 == 1 {
					from, to = to, from
				}
				for k := range 10 {
					in := tx("transfer", money.Cents(100+k), from)
					in.To = opt.Of(to)
					if _, err := w.svc.CreateTransaction(ctx, w.owner, in); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if a, b := w.balance(t, w.a), w.balance(t, w.b); a != 0 || b != 0 {
			t.Fatalf("balances %s, %s; want 0 (as many transfers each way)", a, b)
		}
	})
}

func must2err[T any](_ T, err error) error { return err }
