package httpapi

import (
	"net/http"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/inventory"
)

// Product categories (business-api.md §2.8): the financial categories' shape, their own table.

// prodCategoryJSON renders a product category with its parents up to the root, as
// finCategoryJSON does a financial one.
func prodCategoryJSON(c *inventory.Category) *finCategoryOut {
	out := &finCategoryOut{ID: c.ID, Name: c.Name, IsActive: c.IsActive}
	cur := out
	for p, depth := c.Parent, 0; p != nil && depth < finMaxCategoryDepth; p, depth = p.Parent, depth+1 {
		cur.Parent = &finCategoryOut{ID: p.ID, Name: p.Name, IsActive: p.IsActive}
		cur = cur.Parent
	}
	return out
}

func (s *Server) prodCategoryInput(w http.ResponseWriter, r *http.Request) (inventory.CategoryInput, error) {
	b, err := s.bizBody(w, r, "name", "parent", "is_active")
	if err != nil {
		return inventory.CategoryInput{}, err
	}
	in := inventory.CategoryInput{Name: b.Text("name"), Parent: b.Text("parent"), IsActive: b.Bool("is_active")}
	return in, b.Err()
}

func (s *Server) prodListCategories(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	p, bp, err := bizPage(r)
	if err != nil {
		return err
	}
	cs, total, err := s.prod.Inventory.ListCategories(r.Context(), a, bp)
	if err != nil {
		return err
	}
	items := make([]map[string]*finCategoryOut, len(cs))
	for i, c := range cs {
		items[i] = map[string]*finCategoryOut{"category": prodCategoryJSON(c)}
	}
	return writePage(s, w, r, p, total, items)
}

func (s *Server) prodCreateCategory(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	in, err := s.prodCategoryInput(w, r)
	if err != nil {
		return err
	}
	c, err := s.prod.Inventory.CreateCategory(r.Context(), a, in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusCreated, "category", prodCategoryJSON(c))
}

func (s *Server) prodGetCategory(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	c, err := s.prod.Inventory.Category(r.Context(), a, bizPathID(r, "category_id"))
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "category", prodCategoryJSON(c))
}

func (s *Server) prodPatchCategory(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	in, err := s.prodCategoryInput(w, r)
	if err != nil {
		return err
	}
	c, err := s.prod.Inventory.UpdateCategory(r.Context(), a, bizPathID(r, "category_id"), in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "category", prodCategoryJSON(c))
}

func (s *Server) prodDeleteCategory(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	c, err := s.prod.Inventory.DeactivateCategory(r.Context(), a, bizPathID(r, "category_id"))
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "category", finIdActiveOut{ID: c.ID, IsActive: c.IsActive})
}
