package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/inventory"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// invFixture is a product of business A with its inventory.
func invFixture(t *testing.T, db *sqlstore.DB, f *bizFixture) (*inventory.Product, *inventory.Inventory) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	p := &inventory.Product{ID: id.New(), BusinessID: f.bizA.ID, Name: "Caneta", TrackStock: true, IsActive: true,
		IsAvailable: true, CreatedAt: now}
	bizOK(t, db.CreateProduct(ctx, p))
	inv := &inventory.Inventory{ID: id.New(), BusinessID: f.bizA.ID, ProductID: p.ID, CreatedAt: now}
	bizOK(t, db.CreateInventory(ctx, inv))
	return p, inv
}

// TestInventoryLock: on PostgreSQL a second transaction waits for the first's row lock on an
// inventory, so quantities are never lost (SQLite serialises writers anyway).
func TestInventoryLock(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBizFixture(t, db)
		_, inv := invFixture(t, db, f)
		locked, release := make(chan struct{}), make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- db.InventoryTx(ctx, func(tx inventory.Store) error {
				i, err := tx.Inventory(ctx, f.bizA.ID, inv.ID, true)
				if err != nil {
					return err
				}
				close(locked)
				<-release
				return tx.SetInventoryQuantity(ctx, inv.ID, i.Quantity+100)
			})
		}()
		<-locked
		second := make(chan error, 1)
		go func() {
			second <- db.InventoryTx(ctx, func(tx inventory.Store) error {
				i, err := tx.Inventory(ctx, f.bizA.ID, inv.ID, true)
				if err != nil {
					return err
				}
				return tx.SetInventoryQuantity(ctx, inv.ID, i.Quantity+1)
			})
		}()
		select {
		case err := <-second:
			t.Fatalf("second transaction did not wait for the lock: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
		close(release)
		bizOK(t, <-done)
		bizOK(t, <-second)
		if i, _ := db.Inventory(ctx, f.bizA.ID, inv.ID, false); i.Quantity != 101 {
			t.Fatalf("quantity %d, want 101 (no lost update)", i.Quantity)
		}
	})
}

// TestInventoryTenancyStore: every inventory, movement, product and cost lookup filters by the
// business in SQL.
func TestInventoryTenancyStore(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBizFixture(t, db)
		p, inv := invFixture(t, db, f)
		m := &inventory.Movement{ID: id.New(), BusinessID: f.bizA.ID, InventoryID: inv.ID, Type: inventory.Inbound,
			Quantity: 2, Date: time.Now()}
		bizOK(t, db.CreateInventoryMovement(ctx, m))
		c := &inventory.Cost{ID: id.New(), BusinessID: f.bizA.ID, ProductID: p.ID, Quantity: 1, EffectiveDate: "2025-06-01",
			CostPrice: 100, RetailPrice: 200, CreatedAt: time.Now()}
		bizOK(t, db.CreateProductCost(ctx, c))

		b := f.bizB.ID
		notFound := func(what string, err error) {
			t.Helper()
			if !apperr.IsKind(err, apperr.NotFound) {
				t.Errorf("%s of another business: %v, want NotFound", what, err)
			}
		}
		_, err := db.Product(ctx, b, p.ID, true)
		notFound("product", err)
		_, err = db.Inventory(ctx, b, inv.ID, true)
		notFound("inventory", err)
		_, err = db.InventoryMovement(ctx, b, m.ID)
		notFound("movement", err)
		_, err = db.ProductCost(ctx, b, p.ID, c.ID)
		notFound("cost", err)
		if ok, err := db.DeleteInventoryMovement(ctx, b, m.ID); ok || err != nil {
			t.Errorf("deleted another business's movement: %v %v", ok, err)
		}
		if ok, err := db.DeleteProductCost(ctx, b, p.ID, c.ID); ok || err != nil {
			t.Errorf("deleted another business's cost: %v %v", ok, err)
		}
		if bases, err := db.ProductCostBases(ctx, b, p.ID, ""); len(bases) != 0 || err != nil {
			t.Errorf("cost bases of another business: %v %v", bases, err)
		}
		for name, list := range map[string]func() (int, error){
			"products": func() (int, error) {
				_, n, err := db.ListProducts(ctx, b, inventory.ProductFilter{}, page50)
				return n, err
			},
			"inventories": func() (int, error) { _, n, err := db.ListInventories(ctx, b, page50); return n, err },
			"movements":   func() (int, error) { _, n, err := db.ListInventoryMovements(ctx, b, inv.ID, page50); return n, err },
			"costs":       func() (int, error) { _, n, err := db.ListProductCosts(ctx, b, p.ID, page50); return n, err },
		} {
			if n, err := list(); n != 0 || err != nil {
				t.Errorf("another business lists %d %s (%v)", n, name, err)
			}
		}
		// The owner's own view: the product's stock is its inventory's quantity.
		bizOK(t, db.SetInventoryQuantity(ctx, inv.ID, 2))
		got, err := db.Product(ctx, f.bizA.ID, p.ID, false)
		if err != nil || got.Stock != 2 {
			t.Fatalf("product %+v %v", got, err)
		}
	})
}
