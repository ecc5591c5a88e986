package budgets_test

import (
	"strings"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/opt"
)

func TestCreateBudgetValidation(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		for _, tc := range []struct {
			name string
			in   budgets.BudgetInput
			want map[string][]string
		}{
			{"missing name", budgets.BudgetInput{}, map[string][]string{"name": {apperr.MsgRequired}}},
			{"null name", budgets.BudgetInput{Name: opt.Null[string]()}, map[string][]string{"name": {apperr.MsgNull}}},
			{"blank name", budgets.BudgetInput{Name: opt.Of("  \t")}, map[string][]string{"name": {apperr.MsgBlank}}},
			{"21 code points", budgets.BudgetInput{Name: opt.Of(strings.Repeat("ż", 21))},
				map[string][]string{"name": {budgets.MsgNameTooLong}}},
			{"null description (the default, S36) and missing name",
				budgets.BudgetInput{Description: opt.Null[string]()},
				map[string][]string{"name": {apperr.MsgRequired}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := w.svc.CreateBudget(ctx, w.creator.ID, tc.in)
				wantFields(t, err, tc.want)
			})
		}
		b := must(w.svc.CreateBudget(ctx, w.stranger.ID, budgets.BudgetInput{
			Name: opt.Of("  " + strings.Repeat("ż", 20) + " "), Description: opt.Of(" d ")}))(t)
		if b.Name != strings.Repeat("ż", 20) || b.Description != "d" || b.CreatorID != w.stranger.ID {
			t.Errorf("created %+v, want trimmed name and description, creator the caller", b)
		}
		b = must(w.svc.CreateBudget(ctx, w.stranger.ID, budgets.BudgetInput{Name: opt.Of("x")}))(t)
		if b.Description != "" {
			t.Errorf("description = %q, want empty", b.Description)
		}
	})
}

func TestBudgetPermissions(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		for _, tc := range []struct {
			who         string
			userID      string
			read, write apperr.Kind
		}{
			{"creator", w.creator.ID, none, none},
			{"editor", w.editor.ID, none, apperr.Forbidden},
			{"reader", w.reader.ID, none, apperr.Forbidden},
			{"stranger", w.stranger.ID, apperr.NotFound, apperr.NotFound},
		} {
			t.Run(tc.who, func(t *testing.T) {
				_, err := w.svc.Budget(ctx, tc.userID, w.budget.ID)
				wantKind(t, err, tc.read)
				_, err = w.svc.UpdateBudget(ctx, tc.userID, w.budget.ID, budgets.BudgetInput{Name: opt.Of("New")}, budgets.Partial)
				wantKind(t, err, tc.write)
				_, err = w.svc.UpdateBudget(ctx, tc.userID, w.budget.ID, budgets.BudgetInput{Name: opt.Of("New")}, budgets.Full)
				wantKind(t, err, tc.write)
				if tc.write != none {
					wantKind(t, w.svc.DeleteBudget(ctx, tc.userID, w.budget.ID), tc.write)
				}
			})
		}
		wantKind(t, w.svc.DeleteBudget(ctx, w.creator.ID, w.budget.ID), none)
		_, err := w.svc.Budget(ctx, w.creator.ID, w.budget.ID)
		wantKind(t, err, apperr.NotFound)
	})
}

func TestBudgetUnknownAndMalformedIDs(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		for _, bid := range []string{"", "nope", "01ARZ3NDEKTSV4RRFFQ69G5FAV", strings.ToLower(w.budget.ID)[:25] + "!"} {
			_, err := w.svc.Budget(ctx, w.creator.ID, bid)
			wantKind(t, err, apperr.NotFound)
		}
		// Ids are case-insensitive (Crockford base32).
		d := must(w.svc.Budget(ctx, w.creator.ID, strings.ToLower(w.budget.ID)))(t)
		if d.ID != w.budget.ID {
			t.Errorf("id = %s, want %s", d.ID, w.budget.ID)
		}
	})
}

func TestUpdateBudget(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		b := must(w.svc.UpdateBudget(ctx, w.creator.ID, w.budget.ID, budgets.BudgetInput{Description: opt.Of("desc")}, budgets.Partial))(t)
		if b.Name != "Home" || b.Description != "desc" {
			t.Errorf("patched %+v, want name kept, description set", b)
		}
		_, err := w.svc.UpdateBudget(ctx, w.creator.ID, w.budget.ID, budgets.BudgetInput{Description: opt.Of("x")}, budgets.Full)
		wantFields(t, err, map[string][]string{"name": {apperr.MsgRequired}})
		_, err = w.svc.UpdateBudget(ctx, w.creator.ID, w.budget.ID, budgets.BudgetInput{Name: opt.Of("")}, budgets.Partial)
		wantFields(t, err, map[string][]string{"name": {apperr.MsgBlank}})
		b = must(w.svc.UpdateBudget(ctx, w.creator.ID, w.budget.ID, budgets.BudgetInput{Name: opt.Of("Car")}, budgets.Full))(t)
		if b.Name != "Car" || b.Description != "desc" {
			t.Errorf("put %+v, want name Car, description kept", b)
		}
		d := must(w.svc.Budget(ctx, w.reader.ID, w.budget.ID))(t)
		if d.Name != "Car" || d.Description != "desc" {
			t.Errorf("stored %+v", d.Budget)
		}
	})
}

func TestBudgetsList(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		own := must(w.svc.CreateBudget(ctx, w.reader.ID, budgets.BudgetInput{Name: opt.Of("Own")}))(t)
		must(w.svc.CreateBudget(ctx, w.stranger.ID, budgets.BudgetInput{Name: opt.Of("Other")}))(t)

		items, n := must2(w.svc.Budgets(ctx, w.reader.ID, budgets.Page{Limit: 50}))(t)
		if n != 2 || len(items) != 2 || items[0].ID != own.ID || items[1].ID != w.budget.ID {
			t.Errorf("reader's budgets = %d %+v, want own then shared", n, items)
		}
		items, n = must2(w.svc.Budgets(ctx, w.creator.ID, budgets.Page{Limit: 50}))(t)
		if n != 1 || len(items) != 1 || items[0].ID != w.budget.ID {
			t.Errorf("creator's budgets = %d %+v", n, items)
		}

		var ids []string
		for i := 0; i < 5; i++ {
			ids = append(ids, must(w.svc.CreateBudget(ctx, w.stranger.ID, budgets.BudgetInput{Name: opt.Of("b")}))(t).ID)
		}
		items, n = must2(w.svc.Budgets(ctx, w.stranger.ID, budgets.Page{Limit: 2, Offset: 2}))(t)
		if n != 6 || len(items) != 2 || items[0].ID != ids[2] || items[1].ID != ids[1] {
			t.Errorf("page 2 of 2 = %d %+v, want newest first", n, items)
		}
		items, n = must2(w.svc.Budgets(ctx, w.stranger.ID, budgets.Page{Limit: 2, Offset: 10}))(t)
		if n != 6 || len(items) != 0 || items == nil {
			t.Errorf("past the end = %d %#v, want count and an empty, non-nil list", n, items)
		}
	})
}

func TestBudgetDetail(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		d := must(w.svc.Budget(ctx, w.reader.ID, w.budget.ID))(t)
		want := budgets.Creator{ID: w.creator.ID, Username: "alice", Email: "alice@example.com"}
		if d.Creator != want {
			t.Errorf("creator = %+v, want %+v", d.Creator, want)
		}
		if len(d.Shares) != 2 || d.Shares[0].ID != w.readerShare.ID || d.Shares[1].ID != w.editorShare.ID {
			t.Fatalf("shares = %+v, want newest first", d.Shares)
		}
		if s := d.Shares[0]; s.Username != "carol" || s.Role != budgets.RoleReadOnly || s.UserID != w.reader.ID {
			t.Errorf("share = %+v", s)
		}
		if d.Totals != (budgets.Totals{}) {
			t.Errorf("totals = %+v, want zeros", d.Totals)
		}
		w.flow(t, w.creator.ID, w.budget.ID, "1500", 1, nil)
		w.flow(t, w.editor.ID, w.budget.ID, "320.50", 2, nil)
		w.flow(t, w.editor.ID, w.budget.ID, "100.25", 2, nil)
		d = must(w.svc.Budget(ctx, w.editor.ID, w.budget.ID))(t)
		// D3: total is incomes minus expenses.
		wantT := budgets.Totals{Incomes: cents(t, "1500"), Expenses: cents(t, "420.75"), Total: cents(t, "1079.25")}
		if d.Totals != wantT {
			t.Errorf("totals = %+v, want %+v", d.Totals, wantT)
		}
		_, err := w.svc.Budget(ctx, w.stranger.ID, w.budget.ID)
		wantKind(t, err, apperr.NotFound)
	})
}

func TestBudgetDetailCreatorWithoutUsername(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		u := &auth.User{ID: id.New(), Email: "Nameless@Example.com", PasswordHash: "!", IsActive: true, CreatedAt: time.Now()}
		if err := w.db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		b := must(w.svc.CreateBudget(ctx, u.ID, budgets.BudgetInput{Name: opt.Of("N")}))(t)
		must(w.svc.CreateShare(ctx, u.ID, budgets.ShareInput{Budget: opt.Of(b.ID), SharedWith: opt.Of("ALICE@example.com")}))(t)
		d := must(w.svc.Budget(ctx, w.creator.ID, b.ID))(t)
		want := budgets.Creator{ID: u.ID, Username: "Nameless@Example.com", Email: "Nameless@Example.com"}
		if d.Creator != want {
			t.Errorf("creator = %+v, want %+v (S11: e-mail as username)", d.Creator, want)
		}
	})
}

// must2 is must for (items, count, err) results.
func must2[T any](v T, n int, err error) func(t *testing.T) (T, int) {
	return func(t *testing.T) (T, int) {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v, n
	}
}
