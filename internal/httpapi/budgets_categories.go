package httpapi

import (
	"net/http"

	"github.com/bursar/bursar/internal/budgets"
)

// categoryJSON is a category everywhere (S7).
type categoryJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Budget      string `json:"budget"`
}

func categoryOut(c *budgets.Category) categoryJSON {
	return categoryJSON{ID: c.ID, Name: c.Name, Description: c.Description, Budget: c.BudgetID}
}

func categoryInput(b *Body) budgets.CategoryInput {
	return budgets.CategoryInput{Budget: b.Text("budget"), Name: b.Text("name"), Description: b.Text("description")}
}

func (s *Server) listCategories(w http.ResponseWriter, r *http.Request) error {
	p, dp, err := budgetPage(r)
	if err != nil {
		return err
	}
	items, total, err := s.budgets.Categories(r.Context(), userFrom(r.Context()).ID, budgetFilter(r), dp)
	if err != nil {
		return err
	}
	out := make([]categoryJSON, 0, len(items))
	for i := range items {
		out = append(out, categoryOut(&items[i]))
	}
	return writePage(s, w, r, p, total, out)
}

func (s *Server) createCategory(w http.ResponseWriter, r *http.Request) error {
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	in := categoryInput(body)
	if err := body.Err(); err != nil {
		return err
	}
	c, err := s.budgets.CreateCategory(r.Context(), userFrom(r.Context()).ID, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, categoryOut(c))
}

func (s *Server) getCategory(w http.ResponseWriter, r *http.Request) error {
	c, err := s.budgets.Category(r.Context(), userFrom(r.Context()).ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, categoryOut(c))
}

func (s *Server) updateCategory(mode budgets.UpdateMode) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		body, err := s.readBody(w, r)
		if err != nil {
			return err
		}
		in := budgets.CategoryInput{Name: body.Text("name"), Description: body.Text("description")}
		if err := body.Err(); err != nil {
			return err
		}
		c, err := s.budgets.UpdateCategory(r.Context(), userFrom(r.Context()).ID, r.PathValue("id"), in, mode)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, categoryOut(c))
	}
}

func (s *Server) deleteCategory(w http.ResponseWriter, r *http.Request) error {
	if err := s.budgets.DeleteCategory(r.Context(), userFrom(r.Context()).ID, r.PathValue("id")); err != nil {
		return err
	}
	return noContent(w)
}
