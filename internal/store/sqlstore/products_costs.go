package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/inventory"
	"github.com/bursar/bursar/internal/money"
)

// product_costs: the cost history of products. Every query takes the business and product ids.

const prodCostColumns = `id, business_id, product_id, quantity, effective_date, cost_price, retail_price,
	average_cost, markup, created_at`

func scanProdCost(sc interface{ Scan(...any) error }) (inventory.Cost, error) {
	var c inventory.Cost
	var cost, retail, created int64
	var average, markup sql.NullInt64
	err := sc.Scan(&c.ID, &c.BusinessID, &c.ProductID, &c.Quantity, &c.EffectiveDate, &cost, &retail, &average,
		&markup, &created)
	if err != nil {
		return c, translate(err)
	}
	c.CostPrice, c.RetailPrice = money.Cents(cost), money.Cents(retail)
	c.AverageCost, c.Markup, c.CreatedAt = prodCents(average), prodCents(markup), fromMicros(created)
	return c, nil
}

// CreateProductCost inserts a cost entry.
func (db *DB) CreateProductCost(ctx context.Context, c *inventory.Cost) error {
	_, err := db.write().ExecContext(ctx, `INSERT INTO product_costs (`+prodCostColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, c.ID, c.BusinessID, c.ProductID, c.Quantity,
		c.EffectiveDate, int64(c.CostPrice), int64(c.RetailPrice), prodNullCents(c.AverageCost),
		prodNullCents(c.Markup), micros(c.CreatedAt))
	if err != nil {
		return fmt.Errorf("create cost: %w", translate(err))
	}
	return nil
}

// UpdateProductCost stores a cost entry's fields.
func (db *DB) UpdateProductCost(ctx context.Context, c *inventory.Cost) error {
	_, err := db.write().ExecContext(ctx, `UPDATE product_costs SET quantity = $4, effective_date = $5,
		cost_price = $6, retail_price = $7, average_cost = $8, markup = $9
		WHERE id = $1 AND business_id = $2 AND product_id = $3`, c.ID, c.BusinessID, c.ProductID, c.Quantity,
		c.EffectiveDate, int64(c.CostPrice), int64(c.RetailPrice), prodNullCents(c.AverageCost),
		prodNullCents(c.Markup))
	if err != nil {
		return fmt.Errorf("update cost: %w", translate(err))
	}
	return nil
}

// ProductCost returns a cost entry of a product of the business.
func (db *DB) ProductCost(ctx context.Context, businessID, productID, id string) (*inventory.Cost, error) {
	c, err := scanProdCost(db.read().QueryRowContext(ctx, `SELECT `+prodCostColumns+` FROM product_costs
		WHERE id = $1 AND business_id = $2 AND product_id = $3`, id, businessID, productID))
	if err != nil {
		return nil, fmt.Errorf("cost %s: %w", id, err)
	}
	return &c, nil
}

// ListProductCosts lists a product's cost entries in id order.
func (db *DB) ListProductCosts(ctx context.Context, businessID, productID string, p business.Page) ([]inventory.Cost, int, error) {
	where := ` FROM product_costs WHERE business_id = $1 AND product_id = $2`
	return bizPage(ctx, db, `SELECT COUNT(*)`+where, `SELECT `+prodCostColumns+where+` ORDER BY id`,
		[]any{businessID, productID}, p.Limit, p.Offset, scanProdCost)
}

// ProductCostBases returns cost and quantity of the product's entries (those before the entry before,
// when not "").
func (db *DB) ProductCostBases(ctx context.Context, businessID, productID, before string) ([]inventory.CostBasis, error) {
	q := `SELECT cost_price, quantity FROM product_costs WHERE business_id = $1 AND product_id = $2`
	args := []any{businessID, productID}
	if before != "" {
		q += ` AND id < $3`
		args = append(args, before)
	}
	rows, err := db.read().QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("cost bases of %s: %w", productID, err)
	}
	defer rows.Close()
	var out []inventory.CostBasis
	for rows.Next() {
		var cost int64
		var b inventory.CostBasis
		if err := rows.Scan(&cost, &b.Quantity); err != nil {
			return nil, fmt.Errorf("cost bases of %s: %w", productID, err)
		}
		b.CostPrice = money.Cents(cost)
		out = append(out, b)
	}
	return out, rows.Err()
}

// DeleteProductCost deletes a cost entry of a product of the business.
func (db *DB) DeleteProductCost(ctx context.Context, businessID, productID, id string) (bool, error) {
	res, err := db.write().ExecContext(ctx, `DELETE FROM product_costs WHERE id = $1 AND business_id = $2
		AND product_id = $3`, id, businessID, productID)
	if err != nil {
		return false, fmt.Errorf("delete cost %s: %w", id, translate(err))
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
