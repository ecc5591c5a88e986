package httpapi

import (
	"net/http"

	"github.com/bursar/bursar/internal/budgets"
)

// shareJSON is a share everywhere outside the budget detail (S7, S16).
type shareJSON struct {
	ID         string       `json:"id"`
	Budget     string       `json:"budget"`
	SharedWith string       `json:"shared_with"`
	Username   string       `json:"username"`
	Role       budgets.Role `json:"role"`
}

func shareOut(sh *budgets.Share) shareJSON {
	return shareJSON{ID: sh.ID, Budget: sh.BudgetID, SharedWith: sh.UserID, Username: sh.Username, Role: sh.Role}
}

func shareInput(b *Body) budgets.ShareInput {
	return budgets.ShareInput{Budget: b.Text("budget"), SharedWith: b.Text("shared_with"), Role: b.Int("role")}
}

func (s *Server) listShares(w http.ResponseWriter, r *http.Request) error {
	p, dp, err := budgetPage(r)
	if err != nil {
		return err
	}
	items, total, err := s.budgets.Shares(r.Context(), userFrom(r.Context()).ID, budgetFilter(r), dp)
	if err != nil {
		return err
	}
	out := make([]shareJSON, 0, len(items))
	for i := range items {
		out = append(out, shareOut(&items[i]))
	}
	return writePage(s, w, r, p, total, out)
}

func (s *Server) createShare(w http.ResponseWriter, r *http.Request) error {
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	in := shareInput(body)
	if err := body.Err(); err != nil {
		return err
	}
	sh, err := s.budgets.CreateShare(r.Context(), userFrom(r.Context()).ID, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, shareOut(sh))
}

func (s *Server) getShare(w http.ResponseWriter, r *http.Request) error {
	sh, err := s.budgets.Share(r.Context(), userFrom(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, shareOut(sh))
}

// updateShare serves PUT and PATCH alike: only role changes (conventions S18, defect D9).
func (s *Server) updateShare(w http.ResponseWriter, r *http.Request) error {
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	in := shareInput(body)
	if err := body.Err(); err != nil {
		return err
	}
	sh, err := s.budgets.UpdateShare(r.Context(), userFrom(r.Context()).ID, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, shareOut(sh))
}

func (s *Server) deleteShare(w http.ResponseWriter, r *http.Request) error {
	if err := s.budgets.DeleteShare(r.Context(), userFrom(r.Context()).ID, r.PathValue("id")); err != nil {
		return err
	}
	return noContent(w)
}
