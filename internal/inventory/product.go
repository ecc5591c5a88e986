package inventory

import (
	"context"
	"slices"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/business/field"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// Messages of products (business-api.md §2.7; conventions S22).
const (
	MsgProductNotFound  = "Product not found."
	MsgProductInactive  = "This product is inactive."
	MsgAdjustStock      = "Adjust stock quantity through an inventory transaction."
	MsgSupplierInactive = "This supplier is inactive."
	MsgInitialInbound   = "Initial inbound quantity."
)

// ProductInput is the body of POST and PATCH /products. Supplier is one supplier id or a list
// of them (S37); Stock is read on create only: the initial inbound quantity.
type ProductInput struct {
	Name, SKU, Barcode, Brand, Category, Unit opt.Opt[string]
	Supplier                                  opt.Opt[[]string]
	CostPrice, RetailPrice, DiscountedPrice   opt.Opt[money.Cents]
	Stock                                     opt.Opt[int64]
	IsAvailable, TrackStock, IsActive         opt.Opt[bool]
}

// applyProduct validates in onto p; every reference must be an active object of p's business
// (defect 2, conventions S22), checked in tx.
func (s *Service) applyProduct(ctx context.Context, tx Store, p *Product, in ProductInput, m field.Mode) error {
	f := apperr.Fields{}
	if v, ok := field.Required(f, "name", in.Name, 150, m); ok {
		p.Name = v
	}
	if v, ok := field.Nullable(f, "sku", in.SKU, 100, m); ok {
		if v != nil && *v == "" {
			v = nil // a blank sku is no sku: it must not collide with other blank ones
		}
		p.SKU = v
	}
	nullable := func(name string, v opt.Opt[string], max int, dst **string) {
		if x, ok := field.Nullable(f, name, v, max, m); ok {
			*dst = x
		}
	}
	nullable("barcode", in.Barcode, 255, &p.Barcode)
	nullable("brand", in.Brand, 100, &p.Brand)
	nullable("unit", in.Unit, 50, &p.Unit)
	price := func(name string, v opt.Opt[money.Cents], dst **money.Cents) {
		if x, ok := field.Money(f, name, v, PriceDigits, m); ok {
			*dst = x
		}
	}
	price("cost_price", in.CostPrice, &p.CostPrice)
	price("retail_price", in.RetailPrice, &p.RetailPrice)
	price("discounted_price", in.DiscountedPrice, &p.DiscountedPrice)
	for _, b := range []struct {
		v   opt.Opt[bool]
		dst *bool
	}{{in.IsAvailable, &p.IsAvailable}, {in.TrackStock, &p.TrackStock}, {in.IsActive, &p.IsActive}} {
		if v, ok := field.Bool(b.v, true, m); ok {
			*b.dst = v
		}
	}
	cat, setCat := field.Ref(f, "category", in.Category, m)
	if setCat && cat != nil && (p.CategoryID == nil || *p.CategoryID != *cat) {
		c, err := tx.ProductCategory(ctx, p.BusinessID, *cat)
		switch {
		case apperr.IsKind(err, apperr.NotFound):
			f.Add("category", field.NoSuchObject(in.Category.V))
		case err != nil:
			return err
		case !c.IsActive:
			f.Add("category", MsgCategoryInactive)
		}
	}
	if setCat {
		p.CategoryID = cat
	}
	if err := s.applySuppliers(ctx, tx, f, p, in.Supplier, m); err != nil {
		return err
	}
	return f.Err()
}

// applySuppliers validates the supplier list onto p: suppliers of the business only (defect
// 2), newly added ones active (S22). Null is no supplier (S36).
func (s *Service) applySuppliers(ctx context.Context, tx Store, f apperr.Fields, p *Product, v opt.Opt[[]string], m field.Mode) error {
	if !v.Set {
		if m == field.Create {
			p.SupplierIDs = nil
		}
		return nil
	}
	var ids, sent []string
	for _, raw := range v.V {
		if raw == "" {
			continue
		}
		canon, ok := id.Normalize(raw)
		if !ok {
			f.Add("supplier", field.NoSuchObject(raw))
			continue
		}
		if !slices.Contains(ids, canon) {
			ids, sent = append(ids, canon), append(sent, raw)
		}
	}
	if len(ids) > 0 {
		found, err := tx.ProductSuppliers(ctx, p.BusinessID, ids)
		if err != nil {
			return err
		}
		for i, sid := range ids {
			k := slices.IndexFunc(found, func(r SupplierRef) bool { return r.ID == sid })
			switch {
			case k < 0:
				f.Add("supplier", field.NoSuchObject(sent[i]))
			case !found[k].IsActive && !slices.Contains(p.SupplierIDs, sid):
				f.Add("supplier", MsgSupplierInactive)
			}
		}
	}
	slices.Sort(ids)
	p.SupplierIDs = ids
	return nil
}

// CreateProduct adds a product with its inventory record and, when stock is above 0, an
// initial inbound movement of that quantity at the product's cost price (0 when it has none),
// all in one database transaction (business-api.md §2.7, §4.3; defect 21).
func (s *Service) CreateProduct(ctx context.Context, a *business.Actor, in ProductInput) (*Product, error) {
	f := apperr.Fields{}
	stock := int64(0)
	if in.Stock.Set {
		if v, ok := quantity(f, "stock", opt.Opt[int64]{Set: true, V: in.Stock.Or(0)}, 0, field.Create); ok {
			stock = v
		}
	}
	now := s.clock.Now()
	var out *Product
	err := s.store.InventoryTx(ctx, func(tx Store) error {
		p := &Product{ID: id.New(), BusinessID: a.BusinessID, CreatedAt: now}
		err := s.applyProduct(ctx, tx, p, in, field.Create)
		if !f.Merge(err) && err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := tx.CreateProduct(ctx, p); err != nil {
			return err
		}
		inv := &Inventory{ID: id.New(), BusinessID: a.BusinessID, ProductID: p.ID, CreatedAt: now}
		if err := tx.CreateInventory(ctx, inv); err != nil {
			return err
		}
		if stock > 0 {
			desc := MsgInitialInbound
			mv := &Movement{ID: id.New(), BusinessID: a.BusinessID, InventoryID: inv.ID, Type: Inbound,
				Quantity: stock, Description: &desc, Date: now}
			if p.CostPrice != nil {
				mv.UnitCost = *p.CostPrice
			}
			if err := tx.CreateInventoryMovement(ctx, mv); err != nil {
				return err
			}
			if err := tx.SetInventoryQuantity(ctx, inv.ID, stock); err != nil {
				return err
			}
		}
		out, err = tx.Product(ctx, a.BusinessID, p.ID, false)
		return err
	})
	return out, err
}

// Product returns a product of the caller's business.
func (s *Service) Product(ctx context.Context, a *business.Actor, productID string) (*Product, error) {
	p, err := s.store.Product(ctx, a.BusinessID, productID, false)
	return p, notFound(err, MsgProductNotFound)
}

// ListProducts lists the caller's business's products in creation order, inactive ones
// included. A search present is at least 3 characters (S9) and matches the name as a
// case-insensitive substring, or the id, sku or barcode exactly (business-api.md §1.6).
func (s *Service) ListProducts(ctx context.Context, a *business.Actor, search opt.Opt[string], p business.Page) ([]Product, int, error) {
	term, err := business.SearchTerm(search)
	if err != nil {
		return nil, 0, err
	}
	return s.store.ListProducts(ctx, a.BusinessID, ProductFilter{Search: term}, p)
}

// UpdateProduct changes a product. Stock changes only through movements: any stock key is
// refused (business-api.md §2.7, defect 21).
func (s *Service) UpdateProduct(ctx context.Context, a *business.Actor, productID string, in ProductInput) (*Product, error) {
	if in.Stock.Set {
		return nil, apperr.New(apperr.Invalid, MsgAdjustStock)
	}
	return s.changeProduct(ctx, a, productID, func(tx Store, p *Product) error {
		return s.applyProduct(ctx, tx, p, in, field.Patch)
	})
}

// DeactivateProduct marks a product inactive (a soft delete).
func (s *Service) DeactivateProduct(ctx context.Context, a *business.Actor, productID string) (*Product, error) {
	return s.changeProduct(ctx, a, productID, func(_ Store, p *Product) error { p.IsActive = false; return nil })
}

func (s *Service) changeProduct(ctx context.Context, a *business.Actor, productID string, change func(Store, *Product) error) (*Product, error) {
	var out *Product
	err := s.store.InventoryTx(ctx, func(tx Store) error {
		p, err := tx.Product(ctx, a.BusinessID, productID, true)
		if err != nil {
			return notFound(err, MsgProductNotFound)
		}
		if err := change(tx, p); err != nil {
			return err
		}
		if err := tx.UpdateProduct(ctx, p); err != nil {
			return err
		}
		out, err = tx.Product(ctx, a.BusinessID, p.ID, false)
		return err
	})
	return out, err
}
