package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/inventory"
	"github.com/bursar/bursar/internal/money"
)

// inventories and inventory_transactions (movements). An inventory's quantity changes only
// with its movements, under the inventory row's lock (the service's rule). Every query takes the
// business id.

// invSelect reads inventories with what they need of their product.
const invSelect = `SELECT i.id, i.business_id, i.product_id, p.name, p.track_stock, p.is_active, i.quantity,
	i.reserved, i.location, i.created_at
	FROM inventories i JOIN products p ON p.id = i.product_id`

func scanInventory(sc interface{ Scan(...any) error }) (inventory.Inventory, error) {
	var inv inventory.Inventory
	var location sql.NullString
	var created int64
	err := sc.Scan(&inv.ID, &inv.BusinessID, &inv.ProductID, &inv.ProductName, &inv.TrackStock, &inv.ProductActive,
		&inv.Quantity, &inv.Reserved, &location, &created)
	if err != nil {
		return inv, translate(err)
	}
	inv.Location, inv.CreatedAt = bizStr(location), fromMicros(created)
	return inv, nil
}

// CreateInventory inserts an inventory.
func (db *DB) CreateInventory(ctx context.Context, inv *inventory.Inventory) error {
	_, err := db.write().ExecContext(ctx, `INSERT INTO inventories (id, business_id, product_id, quantity,
		reserved, location, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, inv.ID, inv.BusinessID, inv.ProductID,
		inv.Quantity, inv.Reserved, nullString(inv.Location), micros(inv.CreatedAt))
	if err != nil {
		return fmt.Errorf("create inventory: %w", translate(err))
	}
	return nil
}

// Inventory returns an inventory of the business; with lock, its row (only) is locked first.
func (db *DB) Inventory(ctx context.Context, businessID, id string, lock bool) (*inventory.Inventory, error) {
	if lock {
		if err := db.lockRow(ctx, "inventories", businessID, id); err != nil {
			return nil, fmt.Errorf("inventory %s: %w", id, err)
		}
	}
	inv, err := scanInventory(db.read().QueryRowContext(ctx, invSelect+` WHERE i.id = $1 AND i.business_id = $2`,
		id, businessID))
	if err != nil {
		return nil, fmt.Errorf("inventory %s: %w", id, err)
	}
	return &inv, nil
}

// ListInventories lists a business's inventories in id order.
func (db *DB) ListInventories(ctx context.Context, businessID string, p business.Page) ([]inventory.Inventory, int, error) {
	return bizPage(ctx, db, `SELECT COUNT(*) FROM inventories WHERE business_id = $1`,
		invSelect+` WHERE i.business_id = $1 ORDER BY i.id`, []any{businessID}, p.Limit, p.Offset, scanInventory)
}

// UpdateInventoryLocation stores an inventory's location.
func (db *DB) UpdateInventoryLocation(ctx context.Context, inv *inventory.Inventory) error {
	_, err := db.write().ExecContext(ctx, `UPDATE inventories SET location = $3 WHERE id = $1 AND business_id = $2`,
		inv.ID, inv.BusinessID, nullString(inv.Location))
	if err != nil {
		return fmt.Errorf("update inventory %s: %w", inv.ID, err)
	}
	return nil
}

// SetInventoryQuantity stores an inventory's quantity (the caller holds its row lock).
func (db *DB) SetInventoryQuantity(ctx context.Context, id string, quantity int64) error {
	_, err := db.write().ExecContext(ctx, `UPDATE inventories SET quantity = $2 WHERE id = $1`, id, quantity)
	if err != nil {
		return fmt.Errorf("set quantity of %s: %w", id, err)
	}
	return nil
}

// movSelect reads movements with their product's name.
const movSelect = `SELECT t.id, t.business_id, t.inventory_id, p.name, t.type, t.quantity, t.unit_cost,
	t.unit_price, t.description, t.created_at
	FROM inventory_transactions t
	JOIN inventories i ON i.id = t.inventory_id
	JOIN products p ON p.id = i.product_id`

func scanMovement(sc interface{ Scan(...any) error }) (inventory.Movement, error) {
	var m inventory.Movement
	var desc sql.NullString
	var cost, price, created int64
	err := sc.Scan(&m.ID, &m.BusinessID, &m.InventoryID, &m.ProductName, &m.Type, &m.Quantity, &cost, &price,
		&desc, &created)
	if err != nil {
		return m, translate(err)
	}
	m.UnitCost, m.UnitPrice = money.Cents(cost), money.Cents(price)
	m.Description, m.Date = bizStr(desc), fromMicros(created)
	return m, nil
}

// CreateInventoryMovement inserts a movement (its inventory's quantity is the caller's).
func (db *DB) CreateInventoryMovement(ctx context.Context, m *inventory.Movement) error {
	_, err := db.write().ExecContext(ctx, `INSERT INTO inventory_transactions (id, business_id, inventory_id,
		type, quantity, unit_cost, unit_price, description, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		m.ID, m.BusinessID, m.InventoryID, string(m.Type), m.Quantity, int64(m.UnitCost), int64(m.UnitPrice),
		nullString(m.Description), micros(m.Date))
	if err != nil {
		return fmt.Errorf("create movement: %w", translate(err))
	}
	return nil
}

// UpdateInventoryMovement stores a movement's quantity, unit cost and price and description.
func (db *DB) UpdateInventoryMovement(ctx context.Context, m *inventory.Movement) error {
	_, err := db.write().ExecContext(ctx, `UPDATE inventory_transactions SET quantity = $3, unit_cost = $4,
		unit_price = $5, description = $6 WHERE id = $1 AND business_id = $2`, m.ID, m.BusinessID, m.Quantity,
		int64(m.UnitCost), int64(m.UnitPrice), nullString(m.Description))
	if err != nil {
		return fmt.Errorf("update movement %s: %w", m.ID, err)
	}
	return nil
}

// InventoryMovement returns a movement of the business.
func (db *DB) InventoryMovement(ctx context.Context, businessID, id string) (*inventory.Movement, error) {
	m, err := scanMovement(db.read().QueryRowContext(ctx, movSelect+` WHERE t.id = $1 AND t.business_id = $2`,
		id, businessID))
	if err != nil {
		return nil, fmt.Errorf("movement %s: %w", id, err)
	}
	return &m, nil
}

// ListInventoryMovements lists an inventory's movements in id order.
func (db *DB) ListInventoryMovements(ctx context.Context, businessID, inventoryID string, p business.Page) ([]inventory.Movement, int, error) {
	return bizPage(ctx, db, `SELECT COUNT(*) FROM inventory_transactions WHERE business_id = $1 AND inventory_id = $2`,
		movSelect+` WHERE t.business_id = $1 AND t.inventory_id = $2 ORDER BY t.id`, []any{businessID, inventoryID},
		p.Limit, p.Offset, scanMovement)
}

// DeleteInventoryMovement deletes a movement of the business.
func (db *DB) DeleteInventoryMovement(ctx context.Context, businessID, id string) (bool, error) {
	res, err := db.write().ExecContext(ctx, `DELETE FROM inventory_transactions WHERE id = $1 AND business_id = $2`,
		id, businessID)
	if err != nil {
		return false, fmt.Errorf("delete movement %s: %w", id, translate(err))
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
