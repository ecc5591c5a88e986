package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/inventory"
	"github.com/bursar/bursar/internal/money"
)

// The Business family's products: products, product_suppliers, product_categories and (in
// products_costs.go) product_costs. Every query takes the business id. A product's stock is its
// inventory's quantity (inventory.go).

// InventoryTx runs fn in one write transaction (inventory.Store).
func (db *DB) InventoryTx(ctx context.Context, fn func(tx inventory.Store) error) error {
	return db.InTx(ctx, func(tx *DB) error { return fn(tx) })
}

// prodSelect reads products with their category's name and their stock.
const prodSelect = `SELECT p.id, p.business_id, p.category_id, c.name, p.name, p.sku, p.barcode, p.brand,
	p.cost_price, p.retail_price, p.discounted_price, p.unit, COALESCE(i.quantity, 0), p.is_available,
	p.track_stock, p.is_active, p.created_at
	FROM products p
	LEFT JOIN product_categories c ON c.id = p.category_id
	LEFT JOIN inventories i ON i.product_id = p.id`

// prodCents reads a nullable money column.
func prodCents(n sql.NullInt64) *money.Cents {
	if !n.Valid {
		return nil
	}
	c := money.Cents(n.Int64)
	return &c
}

// prodNullCents writes a nullable money column.
func prodNullCents(c *money.Cents) sql.NullInt64 {
	if c == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*c), Valid: true}
}

func scanProduct(sc interface{ Scan(...any) error }) (inventory.Product, error) {
	var p inventory.Product
	var catID, catName, sku, barcode, brand, unit sql.NullString
	var cost, retail, discounted sql.NullInt64
	var created int64
	err := sc.Scan(&p.ID, &p.BusinessID, &catID, &catName, &p.Name, &sku, &barcode, &brand, &cost, &retail,
		&discounted, &unit, &p.Stock, &p.IsAvailable, &p.TrackStock, &p.IsActive, &created)
	if err != nil {
		return p, translate(err)
	}
	p.CategoryID, p.CategoryName = bizStr(catID), bizStr(catName)
	p.SKU, p.Barcode, p.Brand, p.Unit = bizStr(sku), bizStr(barcode), bizStr(brand), bizStr(unit)
	p.CostPrice, p.RetailPrice, p.DiscountedPrice = prodCents(cost), prodCents(retail), prodCents(discounted)
	p.CreatedAt = fromMicros(created)
	return p, nil
}

func prodArgs(p *inventory.Product) []any {
	return []any{p.ID, p.BusinessID, nullString(p.CategoryID), p.Name, business.Fold(p.Name), nullString(p.SKU),
		nullString(p.Barcode), nullString(p.Brand), prodNullCents(p.CostPrice), prodNullCents(p.RetailPrice),
		prodNullCents(p.DiscountedPrice), nullString(p.Unit), p.IsAvailable, p.TrackStock, p.IsActive,
		micros(p.CreatedAt)}
}

// CreateProduct inserts a product and its suppliers.
func (db *DB) CreateProduct(ctx context.Context, p *inventory.Product) error {
	_, err := db.write().ExecContext(ctx, `INSERT INTO products (id, business_id, category_id, name, name_key,
		sku, barcode, brand, cost_price, retail_price, discounted_price, unit, is_available, track_stock,
		is_active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		prodArgs(p)...)
	if err != nil {
		return fmt.Errorf("create product: %w", translate(err))
	}
	return db.insertSuppliers(ctx, p)
}

// UpdateProduct stores a product's fields and replaces its suppliers.
func (db *DB) UpdateProduct(ctx context.Context, p *inventory.Product) error {
	_, err := db.write().ExecContext(ctx, `UPDATE products SET category_id = $3, name = $4, name_key = $5,
		sku = $6, barcode = $7, brand = $8, cost_price = $9, retail_price = $10, discounted_price = $11,
		unit = $12, is_available = $13, track_stock = $14, is_active = $15 WHERE id = $1 AND business_id = $2`,
		prodArgs(p)[:15]...)
	if err != nil {
		return fmt.Errorf("update product: %w", translate(err))
	}
	if _, err := db.write().ExecContext(ctx, `DELETE FROM product_suppliers WHERE product_id = $1`, p.ID); err != nil {
		return fmt.Errorf("clear suppliers of %s: %w", p.ID, err)
	}
	return db.insertSuppliers(ctx, p)
}

func (db *DB) insertSuppliers(ctx context.Context, p *inventory.Product) error {
	if len(p.SupplierIDs) == 0 {
		return nil
	}
	args := []any{p.ID}
	rows := make([]string, len(p.SupplierIDs))
	for i, sid := range p.SupplierIDs {
		args = append(args, sid)
		rows[i] = fmt.Sprintf("($1, $%d)", i+2)
	}
	_, err := db.write().ExecContext(ctx, `INSERT INTO product_suppliers (product_id, supplier_id) VALUES `+
		strings.Join(rows, ", "), args...)
	if err != nil {
		return fmt.Errorf("suppliers of %s: %w", p.ID, translate(err))
	}
	return nil
}

// Product returns a product of the business; with lock, its row is locked first (the outer
// joins of the read cannot carry the lock on PostgreSQL).
func (db *DB) Product(ctx context.Context, businessID, id string, lock bool) (*inventory.Product, error) {
	if lock {
		if err := db.lockRow(ctx, "products", businessID, id); err != nil {
			return nil, fmt.Errorf("product %s: %w", id, err)
		}
	}
	p, err := scanProduct(db.read().QueryRowContext(ctx, prodSelect+` WHERE p.id = $1 AND p.business_id = $2`,
		id, businessID))
	if err != nil {
		return nil, fmt.Errorf("product %s: %w", id, err)
	}
	ps := []inventory.Product{p}
	if err := db.fillSuppliers(ctx, ps); err != nil {
		return nil, err
	}
	return &ps[0], nil
}

// lockRow locks the row of table with id and business id until the transaction ends
// (PostgreSQL; SQLite's writer already holds the database). NotFound when there is none.
func (db *DB) lockRow(ctx context.Context, table, businessID, id string) error {
	var got string
	err := db.read().QueryRowContext(ctx, `SELECT id FROM `+table+` WHERE id = $1 AND business_id = $2`+
		db.dialect.forUpdate, id, businessID).Scan(&got)
	return translate(err)
}

// fillSuppliers sets the sorted supplier ids of ps.
func (db *DB) fillSuppliers(ctx context.Context, ps []inventory.Product) error {
	if len(ps) == 0 {
		return nil
	}
	at := make(map[string]int, len(ps))
	args := make([]any, len(ps))
	marks := make([]string, len(ps))
	for i := range ps {
		at[ps[i].ID] = i
		args[i] = ps[i].ID
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	rows, err := db.read().QueryContext(ctx, `SELECT product_id, supplier_id FROM product_suppliers
		WHERE product_id IN (`+strings.Join(marks, ", ")+`) ORDER BY product_id, supplier_id`, args...)
	if err != nil {
		return fmt.Errorf("suppliers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid, sid string
		if err := rows.Scan(&pid, &sid); err != nil {
			return fmt.Errorf("suppliers: %w", err)
		}
		i := at[pid]
		ps[i].SupplierIDs = append(ps[i].SupplierIDs, sid)
	}
	return rows.Err()
}

// ListProducts lists a business's products in id order; a search matches the folded name as a
// substring, or the id, sku or barcode exactly.
func (db *DB) ListProducts(ctx context.Context, businessID string, f inventory.ProductFilter, pg business.Page) ([]inventory.Product, int, error) {
	where := ` WHERE p.business_id = $1`
	args := []any{businessID}
	if f.Search != "" {
		args = append(args, bizLikeContains(business.Fold(f.Search)), strings.ToUpper(f.Search), f.Search, f.Search)
		where += ` AND (p.name_key LIKE $2 ESCAPE '\' OR p.id = $3 OR p.sku = $4 OR p.barcode = $5)`
	}
	ps, total, err := bizPage(ctx, db, `SELECT COUNT(*) FROM products p`+where,
		prodSelect+where+` ORDER BY p.id`, args, pg.Limit, pg.Offset, scanProduct)
	if err != nil {
		return nil, 0, fmt.Errorf("products: %w", err)
	}
	if err := db.fillSuppliers(ctx, ps); err != nil {
		return nil, 0, err
	}
	return ps, total, nil
}

// ProductSuppliers returns those of ids that are suppliers of the business.
func (db *DB) ProductSuppliers(ctx context.Context, businessID string, ids []string) ([]inventory.SupplierRef, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{businessID, business.SupplierKind}
	marks := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		marks[i] = fmt.Sprintf("$%d", i+3)
	}
	rows, err := db.read().QueryContext(ctx, `SELECT id, is_active FROM contacts WHERE business_id = $1
		AND kind = $2 AND id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("suppliers: %w", err)
	}
	defer rows.Close()
	var out []inventory.SupplierRef
	for rows.Next() {
		var s inventory.SupplierRef
		if err := rows.Scan(&s.ID, &s.IsActive); err != nil {
			return nil, fmt.Errorf("suppliers: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

const prodCategoryColumns = `id, business_id, parent_id, name, is_active, created_at`

func scanProdCategory(sc interface{ Scan(...any) error }) (inventory.Category, error) {
	var c inventory.Category
	var parent sql.NullString
	var created int64
	if err := sc.Scan(&c.ID, &c.BusinessID, &parent, &c.Name, &c.IsActive, &created); err != nil {
		return c, translate(err)
	}
	c.ParentID, c.CreatedAt = bizStr(parent), fromMicros(created)
	return c, nil
}

// CreateProductCategory inserts a product category.
func (db *DB) CreateProductCategory(ctx context.Context, c *inventory.Category) error {
	_, err := db.write().ExecContext(ctx, `INSERT INTO product_categories (`+prodCategoryColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6)`, c.ID, c.BusinessID, nullString(c.ParentID), c.Name, c.IsActive, micros(c.CreatedAt))
	if err != nil {
		return fmt.Errorf("create product category: %w", translate(err))
	}
	return nil
}

// UpdateProductCategory stores a product category's parent, name and is_active.
func (db *DB) UpdateProductCategory(ctx context.Context, c *inventory.Category) error {
	_, err := db.write().ExecContext(ctx, `UPDATE product_categories SET parent_id = $3, name = $4, is_active = $5
		WHERE id = $1 AND business_id = $2`, c.ID, c.BusinessID, nullString(c.ParentID), c.Name, c.IsActive)
	if err != nil {
		return fmt.Errorf("update product category: %w", translate(err))
	}
	return nil
}

// ProductCategory returns a product category of the business.
func (db *DB) ProductCategory(ctx context.Context, businessID, id string) (*inventory.Category, error) {
	c, err := scanProdCategory(db.read().QueryRowContext(ctx, `SELECT `+prodCategoryColumns+`
		FROM product_categories WHERE id = $1 AND business_id = $2`, id, businessID))
	if err != nil {
		return nil, fmt.Errorf("product category %s: %w", id, err)
	}
	return &c, nil
}

// ListProductCategories lists a business's product categories in id order.
func (db *DB) ListProductCategories(ctx context.Context, businessID string, p business.Page) ([]inventory.Category, int, error) {
	return bizPage(ctx, db, `SELECT COUNT(*) FROM product_categories WHERE business_id = $1`,
		`SELECT `+prodCategoryColumns+` FROM product_categories WHERE business_id = $1 ORDER BY id`,
		[]any{businessID}, p.Limit, p.Offset, scanProdCategory)
}

// ProductCategoriesByID returns those of ids that are the business's product categories.
func (db *DB) ProductCategoriesByID(ctx context.Context, businessID string, ids []string) ([]inventory.Category, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{businessID}
	marks := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	rows, err := db.read().QueryContext(ctx, `SELECT `+prodCategoryColumns+` FROM product_categories
		WHERE business_id = $1 AND id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("product categories: %w", err)
	}
	defer rows.Close()
	var out []inventory.Category
	for rows.Next() {
		c, err := scanProdCategory(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

var _ inventory.Store = (*DB)(nil)
