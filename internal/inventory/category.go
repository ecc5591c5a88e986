package inventory

import (
	"context"
	"slices"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/business/field"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/opt"
)

// Messages of product categories (business-api.md §2.8).
const (
	MsgCategoryNotFound = "Category not found."
	MsgCategoryInactive = "This category is inactive."
	MsgCategoryCycle    = "A category cannot be its own ancestor."
)

// maxDepth bounds how far up a parent chain is followed: far beyond any real tree, and a
// guard should the data ever hold a cycle.
const maxDepth = 64

// CategoryInput is the body of POST and PATCH /products/categories.
type CategoryInput struct {
	Name     opt.Opt[string]
	Parent   opt.Opt[string]
	IsActive opt.Opt[bool]
}

// CreateCategory adds a product category, under a parent of the same business if one is given.
func (s *Service) CreateCategory(ctx context.Context, a *business.Actor, in CategoryInput) (*Category, error) {
	c := &Category{ID: id.New(), BusinessID: a.BusinessID, CreatedAt: s.clock.Now()}
	var out *Category
	err := s.store.InventoryTx(ctx, func(tx Store) error {
		if err := applyCategory(ctx, tx, c, in, field.Create); err != nil {
			return err
		}
		if err := tx.CreateProductCategory(ctx, c); err != nil {
			return err
		}
		var err error
		out, err = withParents(ctx, tx, c)
		return err
	})
	return out, err
}

// Category returns a product category of the caller's business with its parents.
func (s *Service) Category(ctx context.Context, a *business.Actor, categoryID string) (*Category, error) {
	c, err := s.store.ProductCategory(ctx, a.BusinessID, categoryID)
	if err != nil {
		return nil, notFound(err, MsgCategoryNotFound)
	}
	return withParents(ctx, s.store, c)
}

// ListCategories lists the caller's business's product categories in creation order, each
// with its parents.
func (s *Service) ListCategories(ctx context.Context, a *business.Actor, p business.Page) ([]*Category, int, error) {
	cs, total, err := s.store.ListProductCategories(ctx, a.BusinessID, p)
	if err != nil {
		return nil, 0, err
	}
	out, err := resolveParents(ctx, s.store, a.BusinessID, cs)
	return out, total, err
}

// UpdateCategory changes a product category; its new parent may not be itself or below it.
func (s *Service) UpdateCategory(ctx context.Context, a *business.Actor, categoryID string, in CategoryInput) (*Category, error) {
	return s.changeCategory(ctx, a, categoryID, func(tx Store, c *Category) error {
		return applyCategory(ctx, tx, c, in, field.Patch)
	})
}

// DeactivateCategory marks a product category inactive (a soft delete; its products keep it).
func (s *Service) DeactivateCategory(ctx context.Context, a *business.Actor, categoryID string) (*Category, error) {
	return s.changeCategory(ctx, a, categoryID, func(_ Store, c *Category) error { c.IsActive = false; return nil })
}

func (s *Service) changeCategory(ctx context.Context, a *business.Actor, categoryID string, change func(Store, *Category) error) (*Category, error) {
	var out *Category
	err := s.store.InventoryTx(ctx, func(tx Store) error {
		c, err := tx.ProductCategory(ctx, a.BusinessID, categoryID)
		if err != nil {
			return notFound(err, MsgCategoryNotFound)
		}
		if err := change(tx, c); err != nil {
			return err
		}
		if err := tx.UpdateProductCategory(ctx, c); err != nil {
			return err
		}
		out, err = withParents(ctx, tx, c)
		return err
	})
	return out, err
}

// applyCategory validates in onto c. A parent must be an active category of the business
// (defect 2, conventions S22) and not c or one of its descendants.
func applyCategory(ctx context.Context, tx Store, c *Category, in CategoryInput, m field.Mode) error {
	f := apperr.Fields{}
	if v, ok := field.Required(f, "name", in.Name, 150, m); ok {
		c.Name = v
	}
	if v, ok := field.Bool(in.IsActive, true, m); ok {
		c.IsActive = v
	}
	parent, setParent := field.Ref(f, "parent", in.Parent, m)
	if setParent && parent != nil && (c.ParentID == nil || *c.ParentID != *parent) {
		if err := checkParent(ctx, tx, f, c, *parent, in.Parent.V); err != nil {
			return err
		}
	}
	if setParent {
		c.ParentID = parent
	}
	return f.Err()
}

func checkParent(ctx context.Context, tx Store, f apperr.Fields, c *Category, parentID, sent string) error {
	p, err := tx.ProductCategory(ctx, c.BusinessID, parentID)
	switch {
	case apperr.IsKind(err, apperr.NotFound):
		f.Add("parent", field.NoSuchObject(sent))
		return nil
	case err != nil:
		return err
	case !p.IsActive:
		f.Add("parent", MsgCategoryInactive)
		return nil
	}
	for depth := 0; p != nil && depth < maxDepth; depth++ {
		if p.ID == c.ID {
			f.Add("parent", MsgCategoryCycle)
			return nil
		}
		if p.ParentID == nil {
			return nil
		}
		if p, err = tx.ProductCategory(ctx, c.BusinessID, *p.ParentID); err != nil {
			return err
		}
	}
	return nil
}

// withParents returns c with its parent chain filled.
func withParents(ctx context.Context, st Store, c *Category) (*Category, error) {
	out, err := resolveParents(ctx, st, c.BusinessID, []Category{*c})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// resolveParents fills the parent chains of cs, loading the missing ancestors level by level.
func resolveParents(ctx context.Context, st Store, businessID string, cs []Category) ([]*Category, error) {
	known := make(map[string]*Category, len(cs))
	out := make([]*Category, len(cs))
	for i := range cs {
		out[i] = &cs[i]
		known[cs[i].ID] = out[i]
	}
	for depth := 0; depth < maxDepth; depth++ {
		var missing []string
		for _, c := range known {
			if c.ParentID != nil && known[*c.ParentID] == nil && !slices.Contains(missing, *c.ParentID) {
				missing = append(missing, *c.ParentID)
			}
		}
		if len(missing) == 0 {
			break
		}
		ps, err := st.ProductCategoriesByID(ctx, businessID, missing)
		if err != nil {
			return nil, err
		}
		if len(ps) == 0 {
			break
		}
		for i := range ps {
			known[ps[i].ID] = &ps[i]
		}
	}
	for _, c := range known {
		if c.ParentID != nil {
			c.Parent = known[*c.ParentID]
		}
	}
	return out, nil
}
