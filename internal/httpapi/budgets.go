package httpapi

import (
	"net/http"

	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/money"
)

// The Budgets family (budgets-api.md §3–6, conventions "Budgets family specifics"): budgets,
// categories, cash flows and shares. Handlers decode, call one budgets.Service method and encode;
// permissions and validation live in the domain. Unknown body fields are ignored in this family,
// and read-only ones (id, creator, totals) are never read.

// maxAmountWhole is how many digits a Budgets-family amount may have before the point (S21).
const maxAmountWhole = 13

// budgetsRoutes registers the Budgets family's routes.
func (s *Server) budgetsRoutes(rt *router) {
	rt.authed("GET /budgets", s.listBudgets)
	rt.authed("POST /budgets", s.createBudget)
	rt.authed("GET /budgets/{id}", s.getBudget)
	rt.authed("PUT /budgets/{id}", s.updateBudget(budgets.Full))
	rt.authed("PATCH /budgets/{id}", s.updateBudget(budgets.Partial))
	rt.authed("DELETE /budgets/{id}", s.deleteBudget)

	rt.authed("GET /categories", s.listCategories)
	rt.authed("POST /categories", s.createCategory)
	rt.authed("GET /categories/{id}", s.getCategory)
	rt.authed("PUT /categories/{id}", s.updateCategory(budgets.Full))
	rt.authed("PATCH /categories/{id}", s.updateCategory(budgets.Partial))
	rt.authed("DELETE /categories/{id}", s.deleteCategory)

	rt.authed("GET /cash-flows", s.listCashFlows)
	rt.authed("POST /cash-flows", s.createCashFlow)
	rt.authed("GET /cash-flows/{id}", s.getCashFlow)
	rt.authed("PUT /cash-flows/{id}", s.updateCashFlow(budgets.Full))
	rt.authed("PATCH /cash-flows/{id}", s.updateCashFlow(budgets.Partial))
	rt.authed("DELETE /cash-flows/{id}", s.deleteCashFlow)

	rt.authed("GET /budget-share", s.listShares)
	rt.authed("POST /budget-share", s.createShare)
	rt.authed("GET /budget-share/{id}", s.getShare)
	rt.authed("PUT /budget-share/{id}", s.updateShare)
	rt.authed("PATCH /budget-share/{id}", s.updateShare)
	rt.authed("DELETE /budget-share/{id}", s.deleteShare)
}

// budgetPage reads ?page= as the domain's page.
func budgetPage(r *http.Request) (Page, budgets.Page, error) {
	p, err := pageOf(r)
	return p, budgets.Page{Limit: p.Limit, Offset: p.Offset}, err
}

// budgetFilter is the ?budget= of the category, cash-flow and share lists; empty is absent
// (conventions S35), and the domain checks the rest (S5).
func budgetFilter(r *http.Request) string { return r.URL.Query().Get("budget") }

// budgetJSON is a budget in lists and in create/update answers (S7, D4: every key present).
type budgetJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

func budgetOut(b *budgets.Budget) budgetJSON {
	return budgetJSON{ID: b.ID, Name: b.Name, Description: b.Description}
}

// budgetDetailJSON is GET /budgets/{id} (budgets-api.md §3.3, conventions S17).
type budgetDetailJSON struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	Description  string            `json:"description"`
	Creator      creatorJSON       `json:"creator"`
	Shares       []detailShareJSON `json:"shares"`
	TotalBalance totalsJSON        `json:"total_balance"`
}

type creatorJSON struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Email    string `json:"email"`
}

type detailShareJSON struct {
	ID       string       `json:"id"`
	Username string       `json:"username"`
	Role     budgets.Role `json:"role"`
}

type totalsJSON struct {
	Incomes  money.Cents `json:"incomes"`
	Expenses money.Cents `json:"expenses"`
	Total    money.Cents `json:"total"`
}

func budgetDetailOut(d *budgets.Detail) budgetDetailJSON {
	shares := make([]detailShareJSON, 0, len(d.Shares))
	for _, sh := range d.Shares {
		shares = append(shares, detailShareJSON{ID: sh.ID, Username: sh.Username, Role: sh.Role})
	}
	return budgetDetailJSON{
		ID: d.ID, Name: d.Name, Description: d.Description,
		Creator:      creatorJSON{ID: d.Creator.ID, Username: d.Creator.Username, Email: d.Creator.Email},
		Shares:       shares,
		TotalBalance: totalsJSON{Incomes: d.Totals.Incomes, Expenses: d.Totals.Expenses, Total: d.Totals.Total},
	}
}

func budgetInput(b *Body) budgets.BudgetInput {
	return budgets.BudgetInput{Name: b.Text("name"), Description: b.Text("description")}
}

func (s *Server) listBudgets(w http.ResponseWriter, r *http.Request) error {
	p, dp, err := budgetPage(r)
	if err != nil {
		return err
	}
	items, total, err := s.budgets.Budgets(r.Context(), userFrom(r.Context()).ID, dp)
	if err != nil {
		return err
	}
	out := make([]budgetJSON, 0, len(items))
	for i := range items {
		out = append(out, budgetOut(&items[i]))
	}
	return writePage(s, w, r, p, total, out)
}

func (s *Server) createBudget(w http.ResponseWriter, r *http.Request) error {
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	in := budgetInput(body)
	if err := body.Err(); err != nil {
		return err
	}
	b, err := s.budgets.CreateBudget(r.Context(), userFrom(r.Context()).ID, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, budgetOut(b))
}

func (s *Server) getBudget(w http.ResponseWriter, r *http.Request) error {
	d, err := s.budgets.Budget(r.Context(), userFrom(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, budgetDetailOut(d))
}

func (s *Server) updateBudget(mode budgets.UpdateMode) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		body, err := s.readBody(w, r)
		if err != nil {
			return err
		}
		in := budgetInput(body)
		if err := body.Err(); err != nil {
			return err
		}
		b, err := s.budgets.UpdateBudget(r.Context(), userFrom(r.Context()).ID, r.PathValue("id"), in, mode)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, budgetOut(b))
	}
}

func (s *Server) deleteBudget(w http.ResponseWriter, r *http.Request) error {
	if err := s.budgets.DeleteBudget(r.Context(), userFrom(r.Context()).ID, r.PathValue("id")); err != nil {
		return err
	}
	return noContent(w)
}
