package budgets_test

import (
	"testing"

	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/opt"
)

// TestNullMeansDefault: null on an optional field is its default (conventions S36).
func TestNullMeansDefault(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		b := must(w.svc.CreateBudget(ctx, w.creator.ID, budgets.BudgetInput{Name: opt.Of("Car"), Description: opt.Null[string]()}))(t)
		if b.Description != "" {
			t.Errorf("budget description %q, want empty", b.Description)
		}
		c := must(w.svc.CreateCategory(ctx, w.creator.ID, budgets.CategoryInput{Budget: opt.Of(w.budget.ID), Name: opt.Of("Food"), Description: opt.Null[string]()}))(t)
		if c.Description != "" {
			t.Errorf("category description %q, want empty", c.Description)
		}
		newUser(t, w.db, "dave")
		sh := must(w.svc.CreateShare(ctx, w.creator.ID, budgets.ShareInput{Budget: opt.Of(w.budget.ID), SharedWith: opt.Of("dave"), Role: opt.Null[int64]()}))(t)
		if sh.Role != budgets.RoleReadOnly {
			t.Errorf("role %d, want read-only", sh.Role)
		}
		sh = must(w.svc.UpdateShare(ctx, w.creator.ID, w.editorShare.ID, budgets.ShareInput{Role: opt.Null[int64]()}))(t)
		if sh.Role != budgets.RoleEditor {
			t.Errorf("role after a null patch %d, want unchanged editor", sh.Role)
		}
	})
}
