package budgets_test

import (
	"testing"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/opt"
)

func TestCategoryPermissions(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		c := w.category(t, w.creator.ID, w.budget.ID, "Food")
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
				_, err := w.svc.Category(ctx, tc.userID, c.ID)
				wantKind(t, err, tc.read)
				_, _, err = w.svc.Categories(ctx, tc.userID, w.budget.ID, budgets.Page{})
				wantKind(t, err, tc.read)
				_, err = w.svc.CreateCategory(ctx, tc.userID, budgets.CategoryInput{Budget: opt.Of(w.budget.ID), Name: opt.Of("New")})
				wantKind(t, err, tc.write)
				_, err = w.svc.UpdateCategory(ctx, tc.userID, c.ID, budgets.CategoryInput{Name: opt.Of("Renamed")}, budgets.Partial)
				wantKind(t, err, tc.write)
				if tc.write != none {
					wantKind(t, w.svc.DeleteCategory(ctx, tc.userID, c.ID), tc.write)
				}
			})
		}
		wantKind(t, w.svc.DeleteCategory(ctx, w.editor.ID, c.ID), none)
		_, err := w.svc.Category(ctx, w.creator.ID, c.ID)
		wantKind(t, err, apperr.NotFound)
	})
}

func TestCreateCategoryValidation(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		for _, tc := range []struct {
			name string
			in   budgets.CategoryInput
			want map[string][]string
		}{
			{"empty", budgets.CategoryInput{},
				map[string][]string{"budget": {apperr.MsgRequired}, "name": {apperr.MsgRequired}}},
			{"malformed budget", budgets.CategoryInput{Budget: opt.Of("5"), Name: opt.Of("x")},
				map[string][]string{"budget": {`Invalid pk "5" - object does not exist.`}}},
			{"null budget", budgets.CategoryInput{Budget: opt.Null[string](), Name: opt.Of("x")},
				map[string][]string{"budget": {apperr.MsgNull}}},
			{"long name", budgets.CategoryInput{Budget: opt.Of(w.budget.ID), Name: opt.Of("123456789012345678901")},
				map[string][]string{"name": {budgets.MsgNameTooLong}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := w.svc.CreateCategory(ctx, w.creator.ID, tc.in)
				wantFields(t, err, tc.want)
			})
		}
		// Body references to invisible budgets are 404 (S4), even with other field errors.
		_, err := w.svc.CreateCategory(ctx, w.stranger.ID, budgets.CategoryInput{Budget: opt.Of(w.budget.ID)})
		wantKind(t, err, apperr.NotFound)
		// A read-only sharee learns nothing about validation either.
		_, err = w.svc.CreateCategory(ctx, w.reader.ID, budgets.CategoryInput{Budget: opt.Of(w.budget.ID)})
		wantKind(t, err, apperr.Forbidden)
	})
}

func TestUpdateCategory(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		other := must(w.svc.CreateBudget(ctx, w.editor.ID, budgets.BudgetInput{Name: opt.Of("Other")}))(t)
		c := must(w.svc.CreateCategory(ctx, w.creator.ID, budgets.CategoryInput{
			Budget: opt.Of(w.budget.ID), Name: opt.Of("Food"), Description: opt.Of("eat")}))(t)
		_, err := w.svc.UpdateCategory(ctx, w.editor.ID, c.ID, budgets.CategoryInput{Description: opt.Of("x")}, budgets.Full)
		wantFields(t, err, map[string][]string{"name": {apperr.MsgRequired}})
		// Budget is ignored: a category never moves.
		got := must(w.svc.UpdateCategory(ctx, w.editor.ID, c.ID, budgets.CategoryInput{
			Budget: opt.Of(other.ID), Name: opt.Of("Meals")}, budgets.Full))(t)
		if got.Name != "Meals" || got.Description != "eat" || got.BudgetID != w.budget.ID {
			t.Errorf("put %+v, want renamed, description kept, same budget", got)
		}
		got = must(w.svc.UpdateCategory(ctx, w.editor.ID, c.ID, budgets.CategoryInput{Description: opt.Of("")}, budgets.Partial))(t)
		if got.Name != "Meals" || got.Description != "" {
			t.Errorf("patch %+v", got)
		}
		stored := must(w.svc.Category(ctx, w.reader.ID, c.ID))(t)
		if *stored != *got {
			t.Errorf("stored %+v, want %+v", stored, got)
		}
	})
}

func TestCategoriesList(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		other := must(w.svc.CreateBudget(ctx, w.reader.ID, budgets.BudgetInput{Name: opt.Of("Reader's")}))(t)
		secret := must(w.svc.CreateBudget(ctx, w.stranger.ID, budgets.BudgetInput{Name: opt.Of("Secret")}))(t)
		a := w.category(t, w.creator.ID, w.budget.ID, "a")
		b := w.category(t, w.reader.ID, other.ID, "b")
		c := w.category(t, w.creator.ID, w.budget.ID, "c")
		w.category(t, w.stranger.ID, secret.ID, "hidden")

		// D7: filtered by the budget.
		items, n := must2(w.svc.Categories(ctx, w.reader.ID, w.budget.ID, budgets.Page{}))(t)
		if n != 2 || len(items) != 2 || items[0].ID != c.ID || items[1].ID != a.ID {
			t.Errorf("budget's categories = %d %+v, want c, a", n, items)
		}
		// No filter: everything the caller can see, newest first.
		items, n = must2(w.svc.Categories(ctx, w.reader.ID, "", budgets.Page{}))(t)
		if n != 3 || len(items) != 3 || items[0].ID != c.ID || items[1].ID != b.ID || items[2].ID != a.ID {
			t.Errorf("all categories = %d %+v, want c, b, a", n, items)
		}
		items, n = must2(w.svc.Categories(ctx, w.creator.ID, "", budgets.Page{Limit: 1, Offset: 1}))(t)
		if n != 2 || len(items) != 1 || items[0].ID != a.ID {
			t.Errorf("page 2 = %d %+v", n, items)
		}
		_, _, err := w.svc.Categories(ctx, w.reader.ID, secret.ID, budgets.Page{})
		wantKind(t, err, apperr.NotFound)
		_, _, err = w.svc.Categories(ctx, w.reader.ID, "12", budgets.Page{})
		wantFields(t, err, map[string][]string{"budget": {`Invalid pk "12" - object does not exist.`}})
	})
}

func TestDeleteCategoryKeepsCashFlows(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		c := w.category(t, w.creator.ID, w.budget.ID, "Food")
		f := w.flow(t, w.editor.ID, w.budget.ID, "10", 2, &c.ID)
		if f.CategoryID == nil || *f.CategoryID != c.ID {
			t.Fatalf("category = %v, want %s", f.CategoryID, c.ID)
		}
		wantKind(t, w.svc.DeleteCategory(ctx, w.creator.ID, c.ID), none)
		f = must(w.svc.CashFlow(ctx, w.creator.ID, f.ID))(t)
		if f.CategoryID != nil {
			t.Errorf("category = %v after delete, want nil", *f.CategoryID)
		}
	})
}

func TestDeleteBudgetCascades(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		c := w.category(t, w.creator.ID, w.budget.ID, "Food")
		f := w.flow(t, w.editor.ID, w.budget.ID, "10", 2, &c.ID)
		wantKind(t, w.svc.DeleteBudget(ctx, w.creator.ID, w.budget.ID), none)
		_, err := w.svc.Category(ctx, w.creator.ID, c.ID)
		wantKind(t, err, apperr.NotFound)
		_, err = w.svc.CashFlow(ctx, w.creator.ID, f.ID)
		wantKind(t, err, apperr.NotFound)
		_, err = w.svc.Share(ctx, w.creator.ID, w.editorShare.ID)
		wantKind(t, err, apperr.NotFound)
		for _, u := range []string{w.creator.ID, w.editor.ID, w.reader.ID} {
			_, n := must2(w.svc.Budgets(ctx, u, budgets.Page{}))(t)
			_, nc := must2(w.svc.Categories(ctx, u, "", budgets.Page{}))(t)
			_, nf := must2(w.svc.CashFlows(ctx, u, "", budgets.Page{}))(t)
			_, ns := must2(w.svc.Shares(ctx, u, "", budgets.Page{}))(t)
			if n+nc+nf+ns != 0 {
				t.Errorf("user %s still sees %d budgets, %d categories, %d flows, %d shares", u, n, nc, nf, ns)
			}
		}
	})
}
