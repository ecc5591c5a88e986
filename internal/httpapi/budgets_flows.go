package httpapi

import (
	"net/http"

	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/money"
)

// cashFlowItemJSON is a cash flow in lists (S7).
type cashFlowItemJSON struct {
	ID          string           `json:"id"`
	Name        string           `json:"name"`
	Amount      money.Cents      `json:"amount"`
	Type        budgets.FlowType `json:"type"`
	Category    *string          `json:"category"`
	Description string           `json:"description"`
	Budget      string           `json:"budget"`
}

// cashFlowJSON is a cash flow's detail, create and update answer (budgets-api.md §5.2).
type cashFlowJSON struct {
	ID          string           `json:"id"`
	Amount      money.Cents      `json:"amount"`
	Name        string           `json:"name"`
	Description string           `json:"description"`
	Budget      string           `json:"budget"`
	Type        budgets.FlowType `json:"type"`
	Category    *string          `json:"category"`
}

func cashFlowOut(f *budgets.CashFlow) cashFlowJSON {
	return cashFlowJSON{ID: f.ID, Amount: f.Amount, Name: f.Name, Description: f.Description,
		Budget: f.BudgetID, Type: f.Type, Category: f.CategoryID}
}

func cashFlowInput(b *Body) budgets.CashFlowInput {
	return budgets.CashFlowInput{
		Budget:      b.Text("budget"),
		Category:    b.Text("category"),
		Name:        b.Text("name"),
		Description: b.Text("description"),
		Amount:      b.Money("amount", maxAmountWhole),
		Type:        b.Int("type"),
	}
}

func (s *Server) listCashFlows(w http.ResponseWriter, r *http.Request) error {
	p, dp, err := budgetPage(r)
	if err != nil {
		return err
	}
	items, total, err := s.budgets.CashFlows(r.Context(), userFrom(r.Context()).ID, budgetFilter(r), dp)
	if err != nil {
		return err
	}
	out := make([]cashFlowItemJSON, 0, len(items))
	for _, f := range items {
		out = append(out, cashFlowItemJSON{ID: f.ID, Name: f.Name, Amount: f.Amount, Type: f.Type,
			Category: f.CategoryID, Description: f.Description, Budget: f.BudgetID})
	}
	return writePage(s, w, r, p, total, out)
}

func (s *Server) createCashFlow(w http.ResponseWriter, r *http.Request) error {
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	in := cashFlowInput(body)
	if err := body.Err(); err != nil {
		return err
	}
	f, err := s.budgets.CreateCashFlow(r.Context(), userFrom(r.Context()).ID, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, cashFlowOut(f))
}

func (s *Server) getCashFlow(w http.ResponseWriter, r *http.Request) error {
	f, err := s.budgets.CashFlow(r.Context(), userFrom(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, cashFlowOut(f))
}

func (s *Server) updateCashFlow(mode budgets.UpdateMode) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		body, err := s.readBody(w, r)
		if err != nil {
			return err
		}
		in := cashFlowInput(body)
		if err := body.Err(); err != nil {
			return err
		}
		f, err := s.budgets.UpdateCashFlow(r.Context(), userFrom(r.Context()).ID, r.PathValue("id"), in, mode)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, cashFlowOut(f))
	}
}

func (s *Server) deleteCashFlow(w http.ResponseWriter, r *http.Request) error {
	if err := s.budgets.DeleteCashFlow(r.Context(), userFrom(r.Context()).ID, r.PathValue("id")); err != nil {
		return err
	}
	return noContent(w)
}
