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

// Messages of inventories and movements (business-api.md §2.10; conventions S24; defect 24).
const (
	MsgInventoryNotFound = "Inventory not found."
	MsgMovementNotFound  = "Transaction not found."
	MsgInformQuantity    = "Inform a quantity."
	MsgInsufficientStock = "Insufficient stock."
)

// MsgStockRange answers a movement that would take stock beyond what it can hold.
var MsgStockRange = fmt.Sprintf("This quantity would take the stock beyond %d.", MaxQuantity)

// Directions are the movement types a client may send.
var Directions = []string{string(Inbound), string(Outbound)}

// InventoryInput is the body of PATCH /products/inventory/{id}: only the location.
type InventoryInput struct {
	Location opt.Opt[string]
}

// MovementInput is the body of POST /products/inventory/{id}/transactions. The quantity's sign
// is ignored: the type gives it.
type MovementInput struct {
	Type                opt.Opt[string]
	Quantity            opt.Opt[int64]
	UnitCost, UnitPrice opt.Opt[money.Cents]
	Description         opt.Opt[string]
}

// MovementPatch is the body of PATCH /products/inventory/transactions/{id}: a movement's type
// never changes, so the new quantity takes the stored type's sign (defect 21).
type MovementPatch struct {
	Quantity            opt.Opt[int64]
	UnitCost, UnitPrice opt.Opt[money.Cents]
	Description         opt.Opt[string]
}

// Inventory returns an inventory of the caller's business.
func (s *Service) Inventory(ctx context.Context, a *business.Actor, inventoryID string) (*Inventory, error) {
	if err := ownerOnly(a); err != nil {
		return nil, err
	}
	inv, err := s.store.Inventory(ctx, a.BusinessID, inventoryID, false)
	return inv, notFound(err, MsgInventoryNotFound)
}

// ListInventories lists the inventories of the caller's business's products.
func (s *Service) ListInventories(ctx context.Context, a *business.Actor, p business.Page) ([]Inventory, int, error) {
	if err := ownerOnly(a); err != nil {
		return nil, 0, err
	}
	return s.store.ListInventories(ctx, a.BusinessID, p)
}

// UpdateInventory changes an inventory's location; its quantity follows the movements only.
func (s *Service) UpdateInventory(ctx context.Context, a *business.Actor, inventoryID string, in InventoryInput) (*Inventory, error) {
	if err := ownerOnly(a); err != nil {
		return nil, err
	}
	var out *Inventory
	err := s.store.InventoryTx(ctx, func(tx Store) error {
		inv, err := tx.Inventory(ctx, a.BusinessID, inventoryID, true)
		if err != nil {
			return notFound(err, MsgInventoryNotFound)
		}
		f := apperr.Fields{}
		if v, ok := field.Nullable(f, "location", in.Location, 150, field.Patch); ok {
			inv.Location = v
		}
		if err := f.Err(); err != nil {
			return err
		}
		out = inv
		return tx.UpdateInventoryLocation(ctx, inv)
	})
	return out, err
}

// signed returns |q| with the sign of direction d.
func signed(d Direction, q int64) int64 {
	q = max(q, -q)
	if d == Outbound {
		return -q
	}
	return q
}

// movementQuantity reads a movement's quantity: missing, null or 0 is MsgInformQuantity
// (HTTP 400 with body status 400, defect 24); its magnitude is at most MaxQuantity.
func movementQuantity(v opt.Opt[int64]) (int64, error) {
	if !v.Has() || v.V == 0 {
		return 0, apperr.New(apperr.Invalid, MsgInformQuantity)
	}
	if v.V > MaxQuantity || v.V < -MaxQuantity {
		return 0, apperr.Field("quantity", fmt.Sprintf("Ensure this value is less than or equal to %d.", MaxQuantity))
	}
	return v.V, nil
}

// applyMovement validates the unit prices and description onto m.
func applyMovement(f apperr.Fields, m *Movement, cost, price opt.Opt[money.Cents], desc opt.Opt[string], mode field.Mode) {
	for _, p := range []struct {
		name string
		v    opt.Opt[money.Cents]
		dst  *money.Cents
	}{{"unit_cost", cost, &m.UnitCost}, {"unit_price", price, &m.UnitPrice}} {
		if v, ok := field.Money(f, p.name, p.v, PriceDigits, mode); ok {
			*p.dst = 0 // null is the default, 0
			if v != nil {
				*p.dst = *v
			}
		}
	}
	if v, ok := field.Nullable(f, "description", desc, 0, mode); ok {
		m.Description = v
	}
}

// restock returns the quantity inv would hold after adding delta. On a product that tracks
// stock, a change that lowers the stock below 0 is MsgInsufficientStock (S24); an inbound on a
// stock already negative (from when the product did not track stock) is allowed.
func restock(inv *Inventory, delta int64) (int64, error) {
	next := inv.Quantity + delta
	if next > MaxQuantity || next < -MaxQuantity {
		return 0, apperr.Field("quantity", MsgStockRange)
	}
	if inv.TrackStock && delta < 0 && next < 0 {
		return 0, apperr.Field("quantity", MsgInsufficientStock)
	}
	return next, nil
}

// CreateMovement records an inbound or outbound movement on an inventory and moves its stock,
// in one database transaction with the inventory row locked (defect 9). On a product that
// tracks stock, an outbound beyond the stock writes nothing (S24).
func (s *Service) CreateMovement(ctx context.Context, a *business.Actor, inventoryID string, in MovementInput) (*Movement, error) {
	if err := ownerOnly(a); err != nil {
		return nil, err
	}
	q, err := movementQuantity(in.Quantity)
	if err != nil {
		return nil, err
	}
	m := &Movement{ID: id.New(), BusinessID: a.BusinessID}
	f := apperr.Fields{}
	if t, ok := field.Required(f, "type", in.Type, 255, field.Create); ok {
		if d := Direction(t); d == Inbound || d == Outbound {
			m.Type, m.Quantity = d, signed(d, q)
		} else {
			f.Add("type", field.ChoiceMsg(t))
		}
	}
	applyMovement(f, m, in.UnitCost, in.UnitPrice, in.Description, field.Create)
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = s.store.InventoryTx(ctx, func(tx Store) error {
		inv, err := tx.Inventory(ctx, a.BusinessID, inventoryID, true)
		if err != nil {
			return notFound(err, MsgInventoryNotFound)
		}
		if !inv.ProductActive {
			return apperr.Field("product", MsgProductInactive)
		}
		next, err := restock(inv, m.Quantity)
		if err != nil {
			return err
		}
		m.InventoryID, m.ProductName, m.Date = inv.ID, inv.ProductName, s.clock.Now()
		if err := tx.CreateInventoryMovement(ctx, m); err != nil {
			return err
		}
		return tx.SetInventoryQuantity(ctx, inv.ID, next)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Movement returns a movement of the caller's business.
func (s *Service) Movement(ctx context.Context, a *business.Actor, movementID string) (*Movement, error) {
	if err := ownerOnly(a); err != nil {
		return nil, err
	}
	m, err := s.store.InventoryMovement(ctx, a.BusinessID, movementID)
	return m, notFound(err, MsgMovementNotFound)
}

// ListMovements lists an inventory's movements in creation order.
func (s *Service) ListMovements(ctx context.Context, a *business.Actor, inventoryID string, p business.Page) ([]Movement, int, error) {
	inv, err := s.Inventory(ctx, a, inventoryID)
	if err != nil {
		return nil, 0, err
	}
	return s.store.ListInventoryMovements(ctx, a.BusinessID, inv.ID, p)
}

// lockedMovement returns a movement and its inventory, the inventory row locked. The movement
// is read again under the lock: every change to a movement holds that lock.
func lockedMovement(ctx context.Context, tx Store, a *business.Actor, movementID string) (*Movement, *Inventory, error) {
	m, err := tx.InventoryMovement(ctx, a.BusinessID, movementID)
	if err != nil {
		return nil, nil, notFound(err, MsgMovementNotFound)
	}
	inv, err := tx.Inventory(ctx, a.BusinessID, m.InventoryID, true)
	if err != nil {
		return nil, nil, err
	}
	if m, err = tx.InventoryMovement(ctx, a.BusinessID, movementID); err != nil {
		return nil, nil, notFound(err, MsgMovementNotFound)
	}
	return m, inv, nil
}

// UpdateMovement changes a movement's quantity (keeping the sign of its type), unit cost and
// price or description, and moves the stock by the difference, under the inventory's lock.
func (s *Service) UpdateMovement(ctx context.Context, a *business.Actor, movementID string, in MovementPatch) (*Movement, error) {
	if err := ownerOnly(a); err != nil {
		return nil, err
	}
	q := int64(0)
	if in.Quantity.Set {
		var err error
		if q, err = movementQuantity(in.Quantity); err != nil {
			return nil, err
		}
	}
	var out *Movement
	err := s.store.InventoryTx(ctx, func(tx Store) error {
		m, inv, err := lockedMovement(ctx, tx, a, movementID)
		if err != nil {
			return err
		}
		f := apperr.Fields{}
		applyMovement(f, m, in.UnitCost, in.UnitPrice, in.Description, field.Patch)
		if err := f.Err(); err != nil {
			return err
		}
		old := m.Quantity
		if in.Quantity.Set {
			m.Quantity = signed(m.Type, q)
		}
		next, err := restock(inv, m.Quantity-old)
		if err != nil {
			return err
		}
		if err := tx.UpdateInventoryMovement(ctx, m); err != nil {
			return err
		}
		out = m
		return tx.SetInventoryQuantity(ctx, inv.ID, next)
	})
	return out, err
}

// DeleteMovement removes a movement (a hard delete) and takes its quantity back off the stock,
// under the inventory's lock; on a product that tracks stock, a delete that would leave the
// stock below 0 writes nothing (S24).
func (s *Service) DeleteMovement(ctx context.Context, a *business.Actor, movementID string) error {
	if err := ownerOnly(a); err != nil {
		return err
	}
	return s.store.InventoryTx(ctx, func(tx Store) error {
		m, inv, err := lockedMovement(ctx, tx, a, movementID)
		if err != nil {
			return err
		}
		next, err := restock(inv, -m.Quantity)
		if err != nil {
			return err
		}
		ok, err := tx.DeleteInventoryMovement(ctx, a.BusinessID, m.ID)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.New(apperr.NotFound, MsgMovementNotFound)
		}
		return tx.SetInventoryQuantity(ctx, inv.ID, next)
	})
}
