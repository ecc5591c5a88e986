package budgets

import (
	"context"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/opt"
)

// BudgetInput is the body of a budget create or update. Ids and creators sent by clients are
// not part of it: they are ignored.
type BudgetInput struct {
	Name        opt.Opt[string]
	Description opt.Opt[string]
}

// CreateBudget makes a budget owned by the caller.
func (s *Service) CreateBudget(ctx context.Context, userID string, in BudgetInput) (*Budget, error) {
	f := apperr.Fields{}
	nm, _ := name(f, "name", in.Name, true)
	desc, _ := description(f, "description", in.Description)
	if err := f.Err(); err != nil {
		return nil, err
	}
	b := &Budget{ID: id.New(), CreatorID: userID, Name: nm, Description: desc, CreatedAt: s.clock.Now()}
	if err := s.store.CreateBudget(ctx, b); err != nil {
		return nil, err
	}
	return b, nil
}

// Budget returns the detail of a budget the caller can see: creator, all shares, totals.
func (s *Service) Budget(ctx context.Context, userID, budgetID string) (*Detail, error) {
	budgetID, err := objectID(budgetID)
	if err != nil {
		return nil, err
	}
	d, err := s.store.BudgetDetail(ctx, budgetID, userID)
	if err != nil {
		return nil, err
	}
	totals := d.Totals
	totals.Total = totals.Incomes - totals.Expenses // D3; both sums stay within money.Limit
	return &Detail{
		Budget:  d.Budget,
		Creator: Creator{ID: d.Creator.ID, Username: d.Creator.DisplayName(), Email: d.Creator.Email},
		Shares:  d.Shares,
		Totals:  totals,
	}, nil
}

// Budgets lists the budgets the caller created or has a share on, newest first, and how many
// there are in all.
func (s *Service) Budgets(ctx context.Context, userID string, p Page) ([]Budget, int, error) {
	return s.store.ListBudgets(ctx, userID, page(p))
}

// UpdateBudget changes a budget's name and description: creator only (a sharee gets
// Forbidden, conventions S17). Full (PUT) requires name.
func (s *Service) UpdateBudget(ctx context.Context, userID, budgetID string, in BudgetInput, mode UpdateMode) (*Budget, error) {
	budgetID, err := objectID(budgetID)
	if err != nil {
		return nil, err
	}
	var out *Budget
	err = s.store.BudgetsTx(ctx, func(tx Store) error {
		b, m, err := tx.VisibleBudget(ctx, budgetID, userID, true)
		if err != nil {
			return err
		}
		if levelOf(userID, m) != levelOwner {
			return apperr.ErrForbidden()
		}
		f := apperr.Fields{}
		if v, ok := name(f, "name", in.Name, mode == Full); ok {
			b.Name = v
		}
		if v, ok := description(f, "description", in.Description); ok {
			b.Description = v
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := tx.UpdateBudget(ctx, b); err != nil {
			return err
		}
		out = b
		return nil
	})
	return out, err
}

// DeleteBudget deletes a budget with its shares, categories and cash flows: creator only.
func (s *Service) DeleteBudget(ctx context.Context, userID, budgetID string) error {
	budgetID, err := objectID(budgetID)
	if err != nil {
		return err
	}
	return s.store.BudgetsTx(ctx, func(tx Store) error {
		_, m, err := tx.VisibleBudget(ctx, budgetID, userID, true)
		if err != nil {
			return err
		}
		if levelOf(userID, m) != levelOwner {
			return apperr.ErrForbidden()
		}
		return tx.DeleteBudget(ctx, budgetID)
	})
}
