package inventory

import (
	"context"
	"fmt"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/business/field"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// MsgCostNotFound answers a cost id that is not the product's (business-api.md §2.9).
const MsgCostNotFound = "Cost not found."

// Limits of cost history fields: prices are decimal(10,2), markup decimal(5,2), quantities
// the predecessor's integer column.
const (
	PriceDigits  = 8
	MarkupDigits = 3
	MaxQuantity  = 2147483647
)

// CostInput is the body of POST and PATCH /products/{id}/costs. A Markup or AverageCost that
// is absent on create, null, or 0 is computed (business-api.md §2.9, S36); a blank one is
// null (the HTTP layer's reading).
type CostInput struct {
	Quantity               opt.Opt[int64]
	EffectiveDate          opt.Opt[string]
	CostPrice, RetailPrice opt.Opt[money.Cents]
	Markup, AverageCost    opt.Opt[money.Cents]
}

// computed reports whether a markup or average cost is to be computed rather than taken.
func computed(v opt.Opt[money.Cents], m field.Mode) bool {
	if !v.Set {
		return m == field.Create
	}
	return v.Null || v.V == 0
}

// applyCost validates in onto c; it reports which of markup and average cost are to be
// computed.
func applyCost(f apperr.Fields, c *Cost, in CostInput, m field.Mode) (markup, average bool) {
	// A positive quantity (business-api.md §2.8): an entry of none would weigh nothing in the
	// average cost, and entries of none alone would leave it undefined.
	if v, ok := quantity(f, "quantity", in.Quantity, 1, m); ok {
		c.Quantity = v
	}
	if v, ok := field.RequiredDate(f, "effective_date", in.EffectiveDate, m); ok {
		c.EffectiveDate = v
	}
	if v, ok := requiredPrice(f, "cost_price", in.CostPrice, m); ok {
		c.CostPrice = v
	}
	if v, ok := requiredPrice(f, "retail_price", in.RetailPrice, m); ok {
		c.RetailPrice = v
	}
	if markup = computed(in.Markup, m); !markup && in.Markup.Has() {
		if in.Markup.V.WholeDigits() > MarkupDigits {
			f.Add("markup", fmt.Sprintf("Ensure that there are no more than %d digits before the decimal point.", MarkupDigits))
		} else {
			v := in.Markup.V
			c.Markup = &v
		}
	}
	if average = computed(in.AverageCost, m); !average && in.AverageCost.Has() {
		if v, ok := field.Money(f, "average_cost", in.AverageCost, PriceDigits, m); ok {
			c.AverageCost = v
		}
	}
	return markup, average
}

// requiredPrice validates a required price: decimal(10,2), not negative.
func requiredPrice(f apperr.Fields, name string, v opt.Opt[money.Cents], m field.Mode) (money.Cents, bool) {
	switch {
	case !v.Set:
		if m == field.Create {
			f.Add(name, apperr.MsgRequired)
		}
		return 0, false
	case v.Null:
		f.Add(name, apperr.MsgNull)
		return 0, false
	}
	p, ok := field.Money(f, name, v, PriceDigits, m)
	if !ok {
		return 0, false
	}
	return *p, true
}

// quantity validates a required integer between min and MaxQuantity.
func quantity(f apperr.Fields, name string, v opt.Opt[int64], min int64, m field.Mode) (int64, bool) {
	switch {
	case !v.Set:
		if m == field.Create {
			f.Add(name, apperr.MsgRequired)
		}
	case v.Null:
		f.Add(name, apperr.MsgNull)
	case v.V < min:
		f.Add(name, fmt.Sprintf("Ensure this value is greater than or equal to %d.", min))
	case v.V > MaxQuantity:
		f.Add(name, fmt.Sprintf("Ensure this value is less than or equal to %d.", MaxQuantity))
	default:
		return v.V, true
	}
	return 0, false
}

// costProduct returns the product a cost path names, locked with lock (404 Product not found.).
func costProduct(ctx context.Context, st Store, a *business.Actor, productID string, lock bool) (*Product, error) {
	p, err := st.Product(ctx, a.BusinessID, productID, lock)
	return p, notFound(err, MsgProductNotFound)
}

// CreateCost adds an entry to a product's cost history. A markup not sent is computed from the
// prices, an average cost not sent is the weighted average over the product's entries and this
// one (business-api.md §2.9, defect 11). The product's own cost_price is not changed. The
// product row is locked so that concurrent entries see each other.
func (s *Service) CreateCost(ctx context.Context, a *business.Actor, productID string, in CostInput) (*Cost, error) {
	var out *Cost
	err := s.store.InventoryTx(ctx, func(tx Store) error {
		p, err := costProduct(ctx, tx, a, productID, true)
		if err != nil {
			return err
		}
		c := &Cost{ID: id.New(), BusinessID: a.BusinessID, ProductID: p.ID, CreatedAt: s.clock.Now()}
		f := apperr.Fields{}
		if !p.IsActive {
			f.Add("product", MsgProductInactive)
		}
		markup, average := applyCost(f, c, in, field.Create)
		if err := f.Err(); err != nil {
			return err
		}
		if err := s.derive(ctx, tx, c, markup, average, ""); err != nil {
			return err
		}
		out = c
		return tx.CreateProductCost(ctx, c)
	})
	return out, err
}

// derive computes c's markup and average cost where asked; the average covers the entries
// created before before ("" for all) and c itself.
func (s *Service) derive(ctx context.Context, st Store, c *Cost, markup, average bool, before string) error {
	if markup {
		c.Markup = Markup(c.CostPrice, c.RetailPrice)
	}
	if !average {
		return nil
	}
	bases, err := st.ProductCostBases(ctx, c.BusinessID, c.ProductID, before)
	if err != nil {
		return err
	}
	c.AverageCost = AverageCost(append(bases, CostBasis{CostPrice: c.CostPrice, Quantity: c.Quantity}))
	return nil
}

// Cost returns an entry of a product's cost history.
func (s *Service) Cost(ctx context.Context, a *business.Actor, productID, costID string) (*Cost, error) {
	p, err := costProduct(ctx, s.store, a, productID, false)
	if err != nil {
		return nil, err
	}
	c, err := s.store.ProductCost(ctx, a.BusinessID, p.ID, costID)
	return c, notFound(err, MsgCostNotFound)
}

// ListCosts lists a product's cost history in creation order.
func (s *Service) ListCosts(ctx context.Context, a *business.Actor, productID string, pg business.Page) ([]Cost, int, error) {
	p, err := costProduct(ctx, s.store, a, productID, false)
	if err != nil {
		return nil, 0, err
	}
	return s.store.ListProductCosts(ctx, a.BusinessID, p.ID, pg)
}

// UpdateCost changes a cost entry. Markup and average cost are not recomputed unless sent as
// null or 0 (S36); a recomputed average covers the entries created before this one.
func (s *Service) UpdateCost(ctx context.Context, a *business.Actor, productID, costID string, in CostInput) (*Cost, error) {
	var out *Cost
	err := s.store.InventoryTx(ctx, func(tx Store) error {
		p, err := costProduct(ctx, tx, a, productID, true)
		if err != nil {
			return err
		}
		c, err := tx.ProductCost(ctx, a.BusinessID, p.ID, costID)
		if err != nil {
			return notFound(err, MsgCostNotFound)
		}
		f := apperr.Fields{}
		markup, average := applyCost(f, c, in, field.Patch)
		if err := f.Err(); err != nil {
			return err
		}
		if err := s.derive(ctx, tx, c, markup, average, c.ID); err != nil {
			return err
		}
		out = c
		return tx.UpdateProductCost(ctx, c)
	})
	return out, err
}

// DeleteCost removes a cost entry (a hard delete); later entries keep their averages.
func (s *Service) DeleteCost(ctx context.Context, a *business.Actor, productID, costID string) error {
	return s.store.InventoryTx(ctx, func(tx Store) error {
		p, err := costProduct(ctx, tx, a, productID, true)
		if err != nil {
			return err
		}
		ok, err := tx.DeleteProductCost(ctx, a.BusinessID, p.ID, costID)
		if err == nil && !ok {
			err = apperr.New(apperr.NotFound, MsgCostNotFound)
		}
		return err
	})
}
