package sqlstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/inventory"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

var page50 = business.Page{Limit: 50}

// TestProductsStore: suppliers are stored and replaced, sorted; only suppliers of the business
// are found; search escapes LIKE wildcards; skus are unique per business (defect 23).
func TestProductsStore(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBizFixture(t, db)
		now := time.Now()
		contact := func(bizID string, kind business.Kind) string {
			c := &business.Contact{ID: id.New(), BusinessID: bizID, Kind: kind, Name: "c", IsActive: true, CreatedAt: now, UpdatedAt: now}
			bizOK(t, db.CreateContact(ctx, c))
			return c.ID
		}
		s1, s2 := contact(f.bizA.ID, business.SupplierKind), contact(f.bizA.ID, business.SupplierKind)
		cust, theirs := contact(f.bizA.ID, business.CustomerKind), contact(f.bizB.ID, business.SupplierKind)
		found, err := db.ProductSuppliers(ctx, f.bizA.ID, []string{s1, s2, cust, theirs})
		if err != nil || len(found) != 2 {
			t.Fatalf("suppliers found %v %v; want only the business's two suppliers", found, err)
		}

		sku := "A%_1"
		p := &inventory.Product{ID: id.New(), BusinessID: f.bizA.ID, Name: "Caneta 100%", SKU: &sku,
			SupplierIDs: []string{min(s1, s2), max(s1, s2)}, IsActive: true, CreatedAt: now}
		bizOK(t, db.CreateProduct(ctx, p))
		got, err := db.Product(ctx, f.bizA.ID, p.ID, false)
		if err != nil || !slices.Equal(got.SupplierIDs, p.SupplierIDs) {
			t.Fatalf("product %+v %v", got, err)
		}
		got.SupplierIDs = []string{s2}
		bizOK(t, db.UpdateProduct(ctx, got))
		if got, _ = db.Product(ctx, f.bizA.ID, p.ID, false); !slices.Equal(got.SupplierIDs, []string{s2}) {
			t.Fatalf("replaced suppliers %v", got.SupplierIDs)
		}

		other := &inventory.Product{ID: id.New(), BusinessID: f.bizA.ID, Name: "Caneta 1000", IsActive: true, CreatedAt: now}
		bizOK(t, db.CreateProduct(ctx, other))
		for _, tc := range []struct {
			search string
			want   int
		}{{"100%", 1}, {"caneta 10", 2}, {"a%_1", 0}, {"A%_1", 1}, {"%", 1}, {"_", 0}} {
			if _, n, err := db.ListProducts(ctx, f.bizA.ID, inventory.ProductFilter{Search: tc.search}, page50); n != tc.want || err != nil {
				t.Errorf("search %q: %d (%v), want %d", tc.search, n, err, tc.want)
			}
		}

		dup := &inventory.Product{ID: id.New(), BusinessID: f.bizA.ID, Name: "x", SKU: &sku, CreatedAt: now}
		e, ok := apperr.As(db.CreateProduct(ctx, dup))
		if !ok || e.Kind != apperr.Invalid || len(e.Fields["sku"]) != 1 {
			t.Fatalf("duplicate sku: %v", e)
		}
		dup.BusinessID = f.bizB.ID
		bizOK(t, db.CreateProduct(ctx, dup))
	})
}
