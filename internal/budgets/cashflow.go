package budgets

import (
	"context"
	"errors"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// CashFlowInput is the body of a cash-flow create or update. Category "" or null means none.
type CashFlowInput struct {
	Budget      opt.Opt[string]
	Category    opt.Opt[string]
	Name        opt.Opt[string]
	Description opt.Opt[string]
	Amount      opt.Opt[money.Cents]
	Type        opt.Opt[int64]
}

// flowFields holds the validated fields of a CashFlowInput; a false ok means "keep".
type flowFields struct {
	name, desc     string
	nameOK, descOK bool
	amount         money.Cents
	amountOK       bool
	typ            FlowType
	typeOK         bool
	category       *string
	categoryOK     bool // category was sent: set it to category (nil clears)
}

// validate checks everything that needs no database; required tells whether the required
// fields (amount, name, type) must be present.
func (in CashFlowInput) validate(f apperr.Fields, required bool) flowFields {
	var v flowFields
	v.name, v.nameOK = name(f, "name", in.Name, required)
	v.desc, v.descOK = description(f, "description", in.Description)
	v.amount, v.amountOK = amount(f, in.Amount, required)
	var t int64
	t, v.typeOK = choice(f, "type", in.Type, required, int64(Income), int64(Expense))
	v.typ = FlowType(t)
	if in.Category.Set {
		if in.Category.Null || in.Category.V == "" {
			v.categoryOK = true
		} else if c, ok := id.Normalize(in.Category.V); ok {
			v.category, v.categoryOK = &c, true
		} else {
			f.Add("category", MsgNoSuchCategory)
		}
	}
	return v
}

// apply copies the validated fields onto cf.
func (v flowFields) apply(cf *CashFlow) {
	if v.nameOK {
		cf.Name = v.name
	}
	if v.descOK {
		cf.Description = v.desc
	}
	if v.amountOK {
		cf.Amount = v.amount
	}
	if v.typeOK {
		cf.Type = v.typ
	}
	if v.categoryOK {
		cf.CategoryID = v.category
	}
}

// CreateCashFlow adds a cash flow to a budget the caller created or edits.
func (s *Service) CreateCashFlow(ctx context.Context, userID string, in CashFlowInput) (*CashFlow, error) {
	f := apperr.Fields{}
	budgetID, _ := refID(f, "budget", in.Budget, true)
	v := in.validate(f, true)
	if f.Has("budget") {
		return nil, f.Err()
	}
	// No transaction: the checks read, then one bounded write adds the cash flow and its totals
	// together (the store's CreateCashFlow), so the budget's row is locked only by that write.
	if err := writableNow(ctx, s.store, userID, budgetID); err != nil {
		return nil, err
	}
	cf := &CashFlow{ID: id.New(), BudgetID: budgetID, CreatedAt: s.clock.Now()}
	v.apply(cf)
	if v.categoryOK && cf.CategoryID != nil {
		ok, err := s.store.CategoryInBudget(ctx, *cf.CategoryID, cf.BudgetID)
		if err != nil {
			return nil, err
		}
		if !ok {
			f.Add("category", MsgNoSuchCategory)
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := storeFlowErr(s.store.CreateCashFlow(ctx, cf)); err != nil {
		return nil, err
	}
	return cf, nil
}

// storeFlowErr turns the store's refusals of a cash flow's write into the field errors a client
// sees.
func storeFlowErr(err error) error {
	switch {
	case errors.Is(err, ErrTotalsLimit):
		return apperr.Field("amount", MsgAmountTotal)
	case errors.Is(err, ErrNoSuchCategory):
		return apperr.Field("category", MsgNoSuchCategory)
	}
	return err
}

// checkFlow finishes validation inside the write transaction, with the budget locked: the
// category must belong to the cash flow's budget (S4), and the budget's incomes and expenses
// must stay within money.Limit (S21). It returns all field messages collected in f.
func (s *Service) checkFlow(ctx context.Context, tx Store, f apperr.Fields, cf *CashFlow, v flowFields) error {
	if v.categoryOK && cf.CategoryID != nil {
		ok, err := tx.CategoryInBudget(ctx, *cf.CategoryID, cf.BudgetID)
		if err != nil {
			return err
		}
		if !ok {
			f.Add("category", MsgNoSuchCategory)
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	t, err := tx.BudgetTotals(ctx, cf.BudgetID, cf.ID)
	if err != nil {
		return err
	}
	sum := &t.Incomes
	if cf.Type == Expense {
		sum = &t.Expenses
	}
	if _, ok := money.Add(*sum, cf.Amount); !ok {
		return apperr.Field("amount", MsgAmountTotal)
	}
	return nil
}

// CashFlow returns a cash flow of a budget the caller can see.
func (s *Service) CashFlow(ctx context.Context, userID, flowID string) (*CashFlow, error) {
	flowID, err := objectID(flowID)
	if err != nil {
		return nil, err
	}
	cf, _, err := s.store.VisibleCashFlow(ctx, flowID, userID)
	return cf, err
}

// CashFlows lists the cash flows of budgetID, or of every budget the caller can see when
// budgetID is "" (conventions S5), newest first. A budget the caller cannot see is 404: the
// store checks it in the page's own statement, so the hot list is one round trip (issue 6).
func (s *Service) CashFlows(ctx context.Context, userID, budgetID string, p Page) ([]CashFlow, int, error) {
	budgetID, err := filterID("budget", budgetID)
	if err != nil {
		return nil, 0, err
	}
	return s.store.ListCashFlows(ctx, userID, budgetID, page(p))
}

// UpdateCashFlow changes a cash flow. Full (PUT) requires budget, amount, name and type, and
// budget must be the cash flow's own (S18, defect D8); an absent category keeps the old one.
// Partial (PATCH) takes any subset and ignores budget; a null category clears it (D13).
func (s *Service) UpdateCashFlow(ctx context.Context, userID, flowID string, in CashFlowInput, mode UpdateMode) (*CashFlow, error) {
	flowID, err := objectID(flowID)
	if err != nil {
		return nil, err
	}
	var out *CashFlow
	err = s.store.BudgetsTx(ctx, func(tx Store) error {
		cf, err := writableFlow(ctx, tx, userID, flowID)
		if err != nil {
			return err
		}
		f := apperr.Fields{}
		if mode == Full {
			if b, ok := refID(f, "budget", in.Budget, true); ok && b != cf.BudgetID {
				f.Add("budget", MsgFlowMoves)
			}
		}
		v := in.validate(f, mode == Full)
		v.apply(cf)
		if err := s.checkFlow(ctx, tx, f, cf, v); err != nil {
			return err
		}
		if err := storeFlowErr(tx.UpdateCashFlow(ctx, cf)); err != nil {
			return err
		}
		out = cf
		return nil
	})
	return out, err
}

// DeleteCashFlow deletes a cash flow.
func (s *Service) DeleteCashFlow(ctx context.Context, userID, flowID string) error {
	flowID, err := objectID(flowID)
	if err != nil {
		return err
	}
	return s.store.BudgetsTx(ctx, func(tx Store) error {
		if _, err := writableFlow(ctx, tx, userID, flowID); err != nil {
			return err
		}
		return tx.DeleteCashFlow(ctx, flowID)
	})
}

// writableFlow finds a visible cash flow, locks its budget, checks write permission and reads
// the cash flow again under the lock.
func writableFlow(ctx context.Context, tx Store, userID, flowID string) (*CashFlow, error) {
	cf, _, err := tx.VisibleCashFlow(ctx, flowID, userID)
	if err != nil {
		return nil, err
	}
	if err := writable(ctx, tx, userID, cf.BudgetID); err != nil {
		return nil, err
	}
	cf, _, err = tx.VisibleCashFlow(ctx, flowID, userID)
	return cf, err
}
