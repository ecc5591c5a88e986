package budgets_test

import (
	"testing"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

func TestCashFlowPermissions(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		f := w.flow(t, w.creator.ID, w.budget.ID, "5", 1, nil)
		for _, tc := range []struct {
			who         string
			userID      string
			read, write apperr.Kind
		}{
			{"creator", w.creator.ID, none, none},
			{"editor", w.editor.ID, none, none},
			{"reader", w.reader.ID, none, apperr.Forbidden},
			{"stranger", w.stranger.ID, apperr.NotFound, apperr.NotFound},
		} {
			t.Run(tc.who, func(t *testing.T) {
				_, err := w.svc.CashFlow(ctx, tc.userID, f.ID)
				wantKind(t, err, tc.read)
				_, _, err = w.svc.CashFlows(ctx, tc.userID, w.budget.ID, budgets.Page{})
				wantKind(t, err, tc.read)
				_, err = w.svc.CreateCashFlow(ctx, tc.userID, budgets.CashFlowInput{Budget: opt.Of(w.budget.ID),
					Amount: opt.Of(money.Cents(100)), Name: opt.Of("n"), Type: opt.Of[int64](2)})
				wantKind(t, err, tc.write)
				_, err = w.svc.UpdateCashFlow(ctx, tc.userID, f.ID, budgets.CashFlowInput{Name: opt.Of("m")}, budgets.Partial)
				wantKind(t, err, tc.write)
				_, err = w.svc.UpdateCashFlow(ctx, tc.userID, f.ID, budgets.CashFlowInput{Budget: opt.Of(w.budget.ID),
					Amount: opt.Of(money.Cents(100)), Name: opt.Of("n"), Type: opt.Of[int64](2)}, budgets.Full)
				wantKind(t, err, tc.write)
				if tc.write != none {
					wantKind(t, w.svc.DeleteCashFlow(ctx, tc.userID, f.ID), tc.write)
				}
			})
		}
		wantKind(t, w.svc.DeleteCashFlow(ctx, w.editor.ID, f.ID), none)
		_, err := w.svc.CashFlow(ctx, w.creator.ID, f.ID)
		wantKind(t, err, apperr.NotFound)
	})
}

func TestCreateCashFlowValidation(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		other := must(w.svc.CreateBudget(ctx, w.creator.ID, budgets.BudgetInput{Name: opt.Of("Other")}))(t)
		foreign := w.category(t, w.creator.ID, other.ID, "Foreign")
		valid := func() budgets.CashFlowInput {
			return budgets.CashFlowInput{Budget: opt.Of(w.budget.ID), Amount: opt.Of(money.Cents(100)),
				Name: opt.Of("Salary"), Type: opt.Of[int64](1)}
		}
		for _, tc := range []struct {
			name   string
			change func(in *budgets.CashFlowInput)
			want   map[string][]string
		}{
			{"nothing", func(in *budgets.CashFlowInput) { *in = budgets.CashFlowInput{} }, map[string][]string{
				"budget": {apperr.MsgRequired}, "amount": {apperr.MsgRequired},
				"name": {apperr.MsgRequired}, "type": {apperr.MsgRequired}}},
			{"zero amount", func(in *budgets.CashFlowInput) { in.Amount = opt.Of(money.Cents(0)) },
				map[string][]string{"amount": {budgets.MsgAmountMin}}},
			{"negative amount", func(in *budgets.CashFlowInput) { in.Amount = opt.Of(money.Cents(-1)) },
				map[string][]string{"amount": {budgets.MsgAmountMin}}},
			{"14 digits", func(in *budgets.CashFlowInput) { in.Amount = opt.Of(cents(t, "10000000000000")) },
				map[string][]string{"amount": {budgets.MsgAmountDigits}}},
			{"null amount", func(in *budgets.CashFlowInput) { in.Amount = opt.Null[money.Cents]() },
				map[string][]string{"amount": {apperr.MsgNull}}},
			{"type 3", func(in *budgets.CashFlowInput) { in.Type = opt.Of[int64](3) },
				map[string][]string{"type": {`"3" is not a valid choice.`}}},
			{"type 0 and blank name", func(in *budgets.CashFlowInput) { in.Type = opt.Of[int64](0); in.Name = opt.Of(" ") },
				map[string][]string{"type": {`"0" is not a valid choice.`}, "name": {apperr.MsgBlank}}},
			{"category of another budget", func(in *budgets.CashFlowInput) { in.Category = opt.Of(foreign.ID) },
				map[string][]string{"category": {budgets.MsgNoSuchCategory}}},
			{"malformed category", func(in *budgets.CashFlowInput) { in.Category = opt.Of("7") },
				map[string][]string{"category": {budgets.MsgNoSuchCategory}}},
			{"foreign category and zero amount", func(in *budgets.CashFlowInput) {
				in.Category = opt.Of(foreign.ID)
				in.Amount = opt.Of(money.Cents(0))
			}, map[string][]string{"category": {budgets.MsgNoSuchCategory}, "amount": {budgets.MsgAmountMin}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := valid()
				tc.change(&in)
				_, err := w.svc.CreateCashFlow(ctx, w.editor.ID, in)
				wantFields(t, err, tc.want)
			})
		}
		if _, n := must2(w.svc.CashFlows(ctx, w.creator.ID, "", budgets.Page{}))(t); n != 0 {
			t.Errorf("%d cash flows written by failed creates", n)
		}

		in := valid()
		in.Amount = opt.Of(cents(t, "9999999999999.99"))
		in.Description = opt.Of("  pay  ")
		in.Category = opt.Null[string]()
		f := must(w.svc.CreateCashFlow(ctx, w.editor.ID, in))(t)
		if f.Amount != cents(t, "9999999999999.99") || f.Description != "pay" || f.CategoryID != nil || f.Type != budgets.Income {
			t.Errorf("created %+v", f)
		}
	})
}

func TestCashFlowTotalLimit(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		limitErr := map[string][]string{"amount": {budgets.MsgAmountTotal}}
		most := "9999999999999.99" // money.Limit in one flow
		big := w.flow(t, w.creator.ID, w.budget.ID, most, 1, nil)
		_, err := w.svc.CreateCashFlow(ctx, w.creator.ID, budgets.CashFlowInput{Budget: opt.Of(w.budget.ID),
			Amount: opt.Of(money.Cents(1)), Name: opt.Of("one more"), Type: opt.Of[int64](1)})
		wantFields(t, err, limitErr)
		// Expenses have their own sum.
		exp := w.flow(t, w.creator.ID, w.budget.ID, most, 2, nil)
		// Moving the expense to incomes would overflow incomes; nothing is written.
		_, err = w.svc.UpdateCashFlow(ctx, w.creator.ID, exp.ID, budgets.CashFlowInput{Type: opt.Of[int64](1)}, budgets.Partial)
		wantFields(t, err, limitErr)
		// Replacing a flow's own amount does not count the old amount.
		must(w.svc.UpdateCashFlow(ctx, w.creator.ID, big.ID, budgets.CashFlowInput{Amount: opt.Of(cents(t, most))}, budgets.Partial))(t)
		small := must(w.svc.UpdateCashFlow(ctx, w.creator.ID, big.ID, budgets.CashFlowInput{Amount: opt.Of(money.Cents(1))}, budgets.Partial))(t)
		w.flow(t, w.creator.ID, w.budget.ID, "9999999999999.98", 1, nil)
		_, err = w.svc.UpdateCashFlow(ctx, w.creator.ID, small.ID, budgets.CashFlowInput{Amount: opt.Of(money.Cents(2))}, budgets.Partial)
		wantFields(t, err, limitErr)

		d := must(w.svc.Budget(ctx, w.creator.ID, w.budget.ID))(t)
		want := budgets.Totals{Incomes: money.Limit, Expenses: money.Limit, Total: 0}
		if d.Totals != want {
			t.Errorf("totals = %+v, want %+v", d.Totals, want)
		}
		if f := must(w.svc.CashFlow(ctx, w.creator.ID, exp.ID))(t); f.Type != budgets.Expense {
			t.Errorf("failed update wrote type %d", f.Type)
		}
	})
}

func TestUpdateCashFlowPut(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		c := w.category(t, w.creator.ID, w.budget.ID, "Food")
		other := must(w.svc.CreateBudget(ctx, w.editor.ID, budgets.BudgetInput{Name: opt.Of("Editor's")}))(t)
		secret := must(w.svc.CreateBudget(ctx, w.stranger.ID, budgets.BudgetInput{Name: opt.Of("Secret")}))(t)
		f := w.flow(t, w.editor.ID, w.budget.ID, "10", 2, &c.ID)
		put := func(budget string) budgets.CashFlowInput {
			return budgets.CashFlowInput{Budget: opt.Of(budget), Amount: opt.Of(money.Cents(2000)),
				Name: opt.Of("Rent"), Type: opt.Of[int64](2)}
		}
		// D8, S18: the budget cannot change, also to a budget the caller edits or cannot see.
		for _, b := range []string{other.ID, secret.ID} {
			_, err := w.svc.UpdateCashFlow(ctx, w.editor.ID, f.ID, put(b), budgets.Full)
			wantFields(t, err, map[string][]string{"budget": {budgets.MsgFlowMoves}})
		}
		_, err := w.svc.UpdateCashFlow(ctx, w.editor.ID, f.ID, budgets.CashFlowInput{Name: opt.Of("x")}, budgets.Full)
		wantFields(t, err, map[string][]string{"budget": {apperr.MsgRequired}, "amount": {apperr.MsgRequired},
			"type": {apperr.MsgRequired}})
		// An omitted category is kept.
		got := must(w.svc.UpdateCashFlow(ctx, w.editor.ID, f.ID, put(w.budget.ID), budgets.Full))(t)
		if got.CategoryID == nil || *got.CategoryID != c.ID || got.Amount != 2000 || got.Name != "Rent" {
			t.Errorf("put %+v, want category kept", got)
		}
		// Null clears it.
		in := put(w.budget.ID)
		in.Category = opt.Null[string]()
		got = must(w.svc.UpdateCashFlow(ctx, w.editor.ID, f.ID, in, budgets.Full))(t)
		if got.CategoryID != nil {
			t.Errorf("category = %s, want cleared", *got.CategoryID)
		}
		stored := must(w.svc.CashFlow(ctx, w.reader.ID, f.ID))(t)
		if stored.CategoryID != nil || stored.BudgetID != w.budget.ID || stored.Amount != 2000 {
			t.Errorf("stored %+v", stored)
		}
	})
}

func TestUpdateCashFlowPatch(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		c := w.category(t, w.creator.ID, w.budget.ID, "Food")
		other := must(w.svc.CreateBudget(ctx, w.creator.ID, budgets.BudgetInput{Name: opt.Of("Other")}))(t)
		foreign := w.category(t, w.creator.ID, other.ID, "Foreign")
		f := w.flow(t, w.editor.ID, w.budget.ID, "10", 2, nil)

		// PATCH ignores budget.
		got := must(w.svc.UpdateCashFlow(ctx, w.editor.ID, f.ID, budgets.CashFlowInput{
			Budget: opt.Of(other.ID), Category: opt.Of(c.ID)}, budgets.Partial))(t)
		if got.BudgetID != w.budget.ID || got.CategoryID == nil || *got.CategoryID != c.ID || got.Amount != 1000 {
			t.Errorf("patch %+v", got)
		}
		_, err := w.svc.UpdateCashFlow(ctx, w.editor.ID, f.ID, budgets.CashFlowInput{Category: opt.Of(foreign.ID)}, budgets.Partial)
		wantFields(t, err, map[string][]string{"category": {budgets.MsgNoSuchCategory}})
		// D13: null clears, also the empty string a form sends.
		for _, clear := range []opt.Opt[string]{opt.Null[string](), opt.Of("")} {
			must(w.svc.UpdateCashFlow(ctx, w.editor.ID, f.ID, budgets.CashFlowInput{Category: opt.Of(c.ID)}, budgets.Partial))(t)
			got = must(w.svc.UpdateCashFlow(ctx, w.editor.ID, f.ID, budgets.CashFlowInput{Category: clear}, budgets.Partial))(t)
			if got.CategoryID != nil {
				t.Errorf("category = %s, want cleared", *got.CategoryID)
			}
		}
		_, err = w.svc.UpdateCashFlow(ctx, w.editor.ID, f.ID, budgets.CashFlowInput{
			Amount: opt.Of(money.Cents(0)), Type: opt.Of[int64](3), Name: opt.Null[string]()}, budgets.Partial)
		wantFields(t, err, map[string][]string{"amount": {budgets.MsgAmountMin},
			"type": {`"3" is not a valid choice.`}, "name": {apperr.MsgNull}})
		got = must(w.svc.UpdateCashFlow(ctx, w.editor.ID, f.ID, budgets.CashFlowInput{Type: opt.Of[int64](1), Description: opt.Of("d")}, budgets.Partial))(t)
		if got.Type != budgets.Income || got.Description != "d" || got.Name != "flow" {
			t.Errorf("patch %+v", got)
		}
	})
}

func TestCashFlowsList(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		other := must(w.svc.CreateBudget(ctx, w.editor.ID, budgets.BudgetInput{Name: opt.Of("Editor's")}))(t)
		secret := must(w.svc.CreateBudget(ctx, w.stranger.ID, budgets.BudgetInput{Name: opt.Of("Secret")}))(t)
		a := w.flow(t, w.creator.ID, w.budget.ID, "1", 1, nil)
		b := w.flow(t, w.editor.ID, other.ID, "2", 1, nil)
		c := w.flow(t, w.editor.ID, w.budget.ID, "3", 2, nil)
		w.flow(t, w.stranger.ID, secret.ID, "4", 1, nil)

		items, n := must2(w.svc.CashFlows(ctx, w.editor.ID, "", budgets.Page{}))(t)
		if n != 3 || len(items) != 3 || items[0].ID != c.ID || items[1].ID != b.ID || items[2].ID != a.ID {
			t.Errorf("editor's cash flows = %d %+v", n, items)
		}
		items, n = must2(w.svc.CashFlows(ctx, w.reader.ID, "", budgets.Page{}))(t)
		if n != 2 || items[0].ID != c.ID || items[1].ID != a.ID {
			t.Errorf("reader's cash flows = %d %+v", n, items)
		}
		items, n = must2(w.svc.CashFlows(ctx, w.editor.ID, other.ID, budgets.Page{}))(t)
		if n != 1 || items[0].ID != b.ID {
			t.Errorf("filtered = %d %+v", n, items)
		}
		_, _, err := w.svc.CashFlows(ctx, w.reader.ID, other.ID, budgets.Page{})
		wantKind(t, err, apperr.NotFound)
		items, n = must2(w.svc.CashFlows(ctx, w.stranger.ID, "", budgets.Page{}))(t)
		if n != 1 || items[0].BudgetID != secret.ID {
			t.Errorf("stranger's cash flows = %d %+v", n, items)
		}
	})
}

// TestCashFlowTotalLimitConcurrent races writers that each fit alone but not together: the
// budget lock makes exactly one win (S21).
func TestCashFlowTotalLimitConcurrent(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		const n = 8
		half := money.Limit/2 + 1
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			go func() {
				_, err := w.svc.CreateCashFlow(ctx, w.editor.ID, budgets.CashFlowInput{Budget: opt.Of(w.budget.ID),
					Amount: opt.Of(half), Name: opt.Of("half"), Type: opt.Of[int64](2)})
				errs <- err
			}()
		}
		ok := 0
		for i := 0; i < n; i++ {
			err := <-errs
			switch {
			case err == nil:
				ok++
			case !apperr.IsKind(err, apperr.Invalid):
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d writers succeeded, want 1", ok)
		}
		d := must(w.svc.Budget(ctx, w.creator.ID, w.budget.ID))(t)
		if d.Totals.Expenses != half {
			t.Errorf("expenses = %s, want %s", d.Totals.Expenses, half)
		}
	})
}
