package httpapi

import (
	"net/http"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/money"
)

// Financial accounts and categories (business-api.md §2.5).

type finAccountOut struct {
	ID        string      `json:"id"`
	Name      string      `json:"name"`
	Balance   money.Cents `json:"balance"`
	CreatedAt string      `json:"created_at"`
	IsActive  bool        `json:"is_active"`
}

func finAccountJSON(a *business.Actor, acc *finance.Account) finAccountOut {
	return finAccountOut{ID: acc.ID, Name: acc.Name, Balance: acc.Balance, CreatedAt: bizStamp(a, acc.CreatedAt),
		IsActive: acc.IsActive}
}

// finIdActiveOut is the answer of a soft delete: the id and is_active false.
type finIdActiveOut = bizClosedUserOut

func (s *Server) finAccountInput(w http.ResponseWriter, r *http.Request) (finance.AccountInput, error) {
	b, err := s.bizBody(w, r, "name", "is_active")
	if err != nil {
		return finance.AccountInput{}, err
	}
	in := finance.AccountInput{Name: b.Text("name"), IsActive: b.Bool("is_active")}
	return in, b.Err()
}

func (s *Server) finListAccounts(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	p, bp, err := bizPage(r)
	if err != nil {
		return err
	}
	accs, total, err := s.biz.Finance.ListAccounts(r.Context(), a, bp)
	if err != nil {
		return err
	}
	items := make([]map[string]finAccountOut, len(accs))
	for i := range accs {
		items[i] = map[string]finAccountOut{"account": finAccountJSON(a, &accs[i])}
	}
	return writePage(s, w, r, p, total, items)
}

func (s *Server) finCreateAccount(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	in, err := s.finAccountInput(w, r)
	if err != nil {
		return err
	}
	acc, err := s.biz.Finance.CreateAccount(r.Context(), a, in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusCreated, "account", finAccountJSON(a, acc))
}

func (s *Server) finGetAccount(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	acc, err := s.biz.Finance.Account(r.Context(), a, bizPathID(r, "account_id"))
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "account", finAccountJSON(a, acc))
}

// finPatchAccount is PATCH /finance/accounts/{id} (patchAccount is PATCH /accounts).
func (s *Server) finPatchAccount(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	in, err := s.finAccountInput(w, r)
	if err != nil {
		return err
	}
	acc, err := s.biz.Finance.UpdateAccount(r.Context(), a, bizPathID(r, "account_id"), in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "account", finAccountJSON(a, acc))
}

func (s *Server) finDeleteAccount(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	acc, err := s.biz.Finance.DeactivateAccount(r.Context(), a, bizPathID(r, "account_id"))
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "account", finIdActiveOut{ID: acc.ID, IsActive: acc.IsActive})
}

// finCategoryOut is a category with its parents up to the root.
type finCategoryOut struct {
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	IsActive bool            `json:"is_active"`
	Parent   *finCategoryOut `json:"parent"`
}

// finMaxCategoryDepth bounds the rendered parent chain.
const finMaxCategoryDepth = 64

func finCategoryJSON(c *finance.Category) *finCategoryOut {
	out := &finCategoryOut{ID: c.ID, Name: c.Name, IsActive: c.IsActive}
	cur := out
	for p, depth := c.Parent, 0; p != nil && depth < finMaxCategoryDepth; p, depth = p.Parent, depth+1 {
		cur.Parent = &finCategoryOut{ID: p.ID, Name: p.Name, IsActive: p.IsActive}
		cur = cur.Parent
	}
	return out
}

func (s *Server) finCategoryInput(w http.ResponseWriter, r *http.Request) (finance.CategoryInput, error) {
	b, err := s.bizBody(w, r, "name", "parent", "is_active")
	if err != nil {
		return finance.CategoryInput{}, err
	}
	in := finance.CategoryInput{Name: b.Text("name"), Parent: b.Text("parent"), IsActive: b.Bool("is_active")}
	return in, b.Err()
}

func (s *Server) finListCategories(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	p, bp, err := bizPage(r)
	if err != nil {
		return err
	}
	cs, total, err := s.biz.Finance.ListCategories(r.Context(), a, bp)
	if err != nil {
		return err
	}
	items := make([]map[string]*finCategoryOut, len(cs))
	for i, c := range cs {
		items[i] = map[string]*finCategoryOut{"category": finCategoryJSON(c)}
	}
	return writePage(s, w, r, p, total, items)
}

func (s *Server) finCreateCategory(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	in, err := s.finCategoryInput(w, r)
	if err != nil {
		return err
	}
	c, err := s.biz.Finance.CreateCategory(r.Context(), a, in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusCreated, "category", finCategoryJSON(c))
}

func (s *Server) finGetCategory(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	c, err := s.biz.Finance.Category(r.Context(), a, bizPathID(r, "category_id"))
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "category", finCategoryJSON(c))
}

func (s *Server) finPatchCategory(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	in, err := s.finCategoryInput(w, r)
	if err != nil {
		return err
	}
	c, err := s.biz.Finance.UpdateCategory(r.Context(), a, bizPathID(r, "category_id"), in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "category", finCategoryJSON(c))
}

func (s *Server) finDeleteCategory(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	c, err := s.biz.Finance.DeactivateCategory(r.Context(), a, bizPathID(r, "category_id"))
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "category", finIdActiveOut{ID: c.ID, IsActive: c.IsActive})
}
