// Package inventory is the Business family's goods: a business's products, their hierarchical
// categories, the cost history of each product, and the stock of each product kept by its
// inventory record and the inbound and outbound movements on it (business-api.md §2.7–§2.10,
// §4.3; defects 2, 9, 11, 21, 23; conventions S9, S22–S24, S36, S37).
//
// Every product has exactly one inventory record, created with it. Stock is stored once, as the
// inventory's quantity (the product's stock is read from it), and changes only together with a
// movement, in one database transaction with the inventory row locked (SELECT … FOR UPDATE on
// PostgreSQL; SQLite's single writer already serialises). A product's stock therefore always
// equals the sum of its movements, and on a product that tracks stock no movement takes it below
// zero (S24).
//
// Markup and weighted average cost are computed on integer cents and rounded half-up (away from
// zero) to 2 places (defect 11, S23).
package inventory

import (
	"context"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/money"
)

// Product is an article a business buys or sells. Stock is the quantity of its inventory
// record; CategoryName and SupplierIDs are filled by the store.
type Product struct {
	ID              string
	BusinessID      string
	Name            string
	SKU             *string
	Barcode         *string
	Brand           *string
	CategoryID      *string
	CategoryName    *string
	SupplierIDs     []string // sorted
	CostPrice       *money.Cents
	RetailPrice     *money.Cents
	DiscountedPrice *money.Cents
	Unit            *string
	Stock           int64
	IsAvailable     bool
	TrackStock      bool
	IsActive        bool
	CreatedAt       time.Time
}

// Category classifies products; categories form a tree (Parent up to the root).
type Category struct {
	ID         string
	BusinessID string
	ParentID   *string
	Name       string
	IsActive   bool
	CreatedAt  time.Time
	Parent     *Category // filled by the service up to the root
}

// Cost is an entry of a product's cost history. Markup is a percentage with 2 places, stored
// like cents (3672 is 36.72 %); AverageCost is the weighted average cost of the product's
// entries up to this one.
type Cost struct {
	ID            string
	BusinessID    string
	ProductID     string
	Quantity      int64
	EffectiveDate string // YYYY-MM-DD
	CostPrice     money.Cents
	RetailPrice   money.Cents
	AverageCost   *money.Cents
	Markup        *money.Cents
	CreatedAt     time.Time
}

// CostBasis is what a weighted average needs of an earlier cost entry.
type CostBasis struct {
	CostPrice money.Cents
	Quantity  int64
}

// Inventory is the stock record of one product: Quantity is the sum of its movements.
// Reserved is never changed by any endpoint (S24).
type Inventory struct {
	ID            string
	BusinessID    string
	ProductID     string
	ProductName   string
	TrackStock    bool // the product's
	ProductActive bool // the product's is_active
	Quantity      int64
	Reserved      int64
	Location      *string
	CreatedAt     time.Time
}

// Direction is a movement's type.
type Direction string

// The movement types.
const (
	Inbound  Direction = "inbound"
	Outbound Direction = "outbound"
)

// Movement is an inventory transaction: Quantity is signed, positive inbound and negative
// outbound, and its sign always follows Type (defect 21).
type Movement struct {
	ID          string
	BusinessID  string
	InventoryID string
	ProductName string // filled by the store
	Type        Direction
	Quantity    int64
	UnitCost    money.Cents
	UnitPrice   money.Cents
	Description *string
	Date        time.Time
}

// ProductFilter selects products of a list; Search "" lists them all.
type ProductFilter struct {
	Search string // matches the name (folded, substring) or the id, sku or barcode exactly
}

// SupplierRef is what a product needs of a supplier.
type SupplierRef struct {
	ID       string
	IsActive bool
}

// Store is the persistence inventory needs. Every method that takes a businessID sees only that
// business's objects and answers NotFound for others (tenancy in SQL).
type Store interface {
	// InventoryTx runs fn in one write transaction with a Store bound to it.
	InventoryTx(ctx context.Context, fn func(tx Store) error) error

	// CreateProduct inserts a product and its suppliers.
	CreateProduct(ctx context.Context, p *Product) error
	// UpdateProduct stores a product's fields and replaces its suppliers (never its stock).
	UpdateProduct(ctx context.Context, p *Product) error
	// Product returns a product with its category name, suppliers and stock; with lock, inside a
	// transaction, its row stays locked until the transaction ends.
	Product(ctx context.Context, businessID, id string, lock bool) (*Product, error)
	// ListProducts lists products in id order.
	ListProducts(ctx context.Context, businessID string, f ProductFilter, p business.Page) ([]Product, int, error)
	// ProductSuppliers returns those of ids that are suppliers of the business.
	ProductSuppliers(ctx context.Context, businessID string, ids []string) ([]SupplierRef, error)

	CreateProductCategory(ctx context.Context, c *Category) error
	UpdateProductCategory(ctx context.Context, c *Category) error
	ProductCategory(ctx context.Context, businessID, id string) (*Category, error)
	ListProductCategories(ctx context.Context, businessID string, p business.Page) ([]Category, int, error)
	// ProductCategoriesByID returns those of ids that are the business's categories.
	ProductCategoriesByID(ctx context.Context, businessID string, ids []string) ([]Category, error)

	CreateProductCost(ctx context.Context, c *Cost) error
	// UpdateProductCost stores a cost entry's fields (not its product or creation time).
	UpdateProductCost(ctx context.Context, c *Cost) error
	ProductCost(ctx context.Context, businessID, productID, id string) (*Cost, error)
	ListProductCosts(ctx context.Context, businessID, productID string, p business.Page) ([]Cost, int, error)
	// ProductCostBases returns the cost and quantity of the product's entries created before the entry
	// before ("" for all of them).
	ProductCostBases(ctx context.Context, businessID, productID, before string) ([]CostBasis, error)
	// DeleteProductCost deletes a cost entry and says whether there was one.
	DeleteProductCost(ctx context.Context, businessID, productID, id string) (bool, error)

	CreateInventory(ctx context.Context, inv *Inventory) error
	// Inventory returns an inventory with its product's name and track_stock; with lock,
	// inside a transaction, its row stays locked until the transaction ends.
	Inventory(ctx context.Context, businessID, id string, lock bool) (*Inventory, error)
	// ListInventories lists inventories in id order.
	ListInventories(ctx context.Context, businessID string, p business.Page) ([]Inventory, int, error)
	// UpdateInventoryLocation stores an inventory's location.
	UpdateInventoryLocation(ctx context.Context, inv *Inventory) error
	// SetInventoryQuantity stores a locked inventory's quantity.
	SetInventoryQuantity(ctx context.Context, id string, quantity int64) error

	CreateInventoryMovement(ctx context.Context, m *Movement) error
	// UpdateInventoryMovement stores a movement's quantity, unit cost and price and description.
	UpdateInventoryMovement(ctx context.Context, m *Movement) error
	InventoryMovement(ctx context.Context, businessID, id string) (*Movement, error)
	// ListInventoryMovements lists an inventory's movements in id order.
	ListInventoryMovements(ctx context.Context, businessID, inventoryID string, p business.Page) ([]Movement, int, error)
	// DeleteInventoryMovement deletes a movement and says whether there was one.
	DeleteInventoryMovement(ctx context.Context, businessID, id string) (bool, error)
}

// Service implements inventory's rules over a Store.
type Service struct {
	store Store
	clock clock.Clock
}

// NewService returns a Service.
func NewService(store Store, clk clock.Clock) *Service {
	return &Service{store: store, clock: clk}
}

// notFound replaces a NotFound error by one with the resource's message.
func notFound(err error, msg string) error {
	if apperr.IsKind(err, apperr.NotFound) {
		return &apperr.Error{Kind: apperr.NotFound, Message: msg, Err: err}
	}
	return err
}

// ownerOnly refuses members: inventory is the owner's (business-api.md §2.10, defect 6).
func ownerOnly(a *business.Actor) error {
	if !a.Owner {
		return apperr.ErrForbidden()
	}
	return nil
}
