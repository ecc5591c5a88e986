package budgets

import (
	"context"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/opt"
)

// CategoryInput is the body of a category create or update. Budget is read on create only; a
// category never moves between budgets (budgets-api.md §4.4).
type CategoryInput struct {
	Budget      opt.Opt[string]
	Name        opt.Opt[string]
	Description opt.Opt[string]
}

// CreateCategory adds a category to a budget the caller created or edits.
func (s *Service) CreateCategory(ctx context.Context, userID string, in CategoryInput) (*Category, error) {
	f := apperr.Fields{}
	budgetID, _ := refID(f, "budget", in.Budget, true)
	nm, _ := name(f, "name", in.Name, true)
	desc, _ := description(f, "description", in.Description)
	if f.Has("budget") {
		return nil, f.Err()
	}
	var out *Category
	err := s.store.BudgetsTx(ctx, func(tx Store) error {
		if err := writable(ctx, tx, userID, budgetID); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		c := &Category{ID: id.New(), BudgetID: budgetID, Name: nm, Description: desc, CreatedAt: s.clock.Now()}
		if err := tx.CreateCategory(ctx, c); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}

// writable locks a budget for a write to its categories or cash flows and checks that the
// caller may make it: NotFound when the budget is not visible, Forbidden for read-only sharees.
func writable(ctx context.Context, tx Store, userID, budgetID string) error {
	return checkWritable(ctx, tx, userID, budgetID, true)
}

// writableNow is writable outside a transaction: it checks, without locking the budget.
func writableNow(ctx context.Context, s Store, userID, budgetID string) error {
	return checkWritable(ctx, s, userID, budgetID, false)
}

func checkWritable(ctx context.Context, tx Store, userID, budgetID string, lock bool) error {
	_, m, err := tx.VisibleBudget(ctx, budgetID, userID, lock)
	if err != nil {
		return err
	}
	if levelOf(userID, m) < levelWrite {
		return apperr.ErrForbidden()
	}
	return nil
}

// Category returns a category of a budget the caller can see.
func (s *Service) Category(ctx context.Context, userID, categoryID string) (*Category, error) {
	categoryID, err := objectID(categoryID)
	if err != nil {
		return nil, err
	}
	c, _, err := s.store.VisibleCategory(ctx, categoryID, userID)
	return c, err
}

// Categories lists the categories of budgetID, or of every budget the caller can see when
// budgetID is "" (conventions S5), newest first.
func (s *Service) Categories(ctx context.Context, userID, budgetID string, p Page) ([]Category, int, error) {
	budgetID, err := s.visibleFilter(ctx, userID, "budget", budgetID)
	if err != nil {
		return nil, 0, err
	}
	return s.store.ListCategories(ctx, userID, budgetID, page(p))
}

// UpdateCategory changes a category's name and description (Budget is ignored). Full (PUT)
// requires name.
func (s *Service) UpdateCategory(ctx context.Context, userID, categoryID string, in CategoryInput, mode UpdateMode) (*Category, error) {
	categoryID, err := objectID(categoryID)
	if err != nil {
		return nil, err
	}
	var out *Category
	err = s.store.BudgetsTx(ctx, func(tx Store) error {
		c, err := writableCategory(ctx, tx, userID, categoryID)
		if err != nil {
			return err
		}
		f := apperr.Fields{}
		if v, ok := name(f, "name", in.Name, mode == Full); ok {
			c.Name = v
		}
		if v, ok := description(f, "description", in.Description); ok {
			c.Description = v
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := tx.UpdateCategory(ctx, c); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}

// DeleteCategory deletes a category; its cash flows stay, uncategorised.
func (s *Service) DeleteCategory(ctx context.Context, userID, categoryID string) error {
	categoryID, err := objectID(categoryID)
	if err != nil {
		return err
	}
	return s.store.BudgetsTx(ctx, func(tx Store) error {
		if _, err := writableCategory(ctx, tx, userID, categoryID); err != nil {
			return err
		}
		return tx.DeleteCategory(ctx, categoryID)
	})
}

// writableCategory finds a visible category, locks its budget and checks write permission. It
// reads the category again after taking the lock, so the caller works on its latest state.
func writableCategory(ctx context.Context, tx Store, userID, categoryID string) (*Category, error) {
	c, _, err := tx.VisibleCategory(ctx, categoryID, userID)
	if err != nil {
		return nil, err
	}
	if err := writable(ctx, tx, userID, c.BudgetID); err != nil {
		return nil, err
	}
	c, _, err = tx.VisibleCategory(ctx, categoryID, userID)
	return c, err
}
