package inventory_test

import (
	"slices"
	"testing"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/business/field"
	"github.com/bursar/bursar/internal/inventory"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// TestCreateProductWithStock: a product gets its inventory and, with stock, an initial inbound
// movement at its cost price, or 0 without one (defect 21: the predecessor crashed).
func TestCreateProductWithStock(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		price := money.Cents(250)
		p := must(w.svc.CreateProduct(ctx, w.member, inventory.ProductInput{Name: opt.Of("Caneta"), Stock: opt.Of(int64(5)),
			CostPrice: opt.Of(price)}))(t)
		if p.Stock != 5 || !p.TrackStock || !p.IsActive || !p.IsAvailable {
			t.Fatalf("created %+v", p)
		}
		inv := w.inventoryOf(t, w.owner, p.ID)
		ms := must3(w.svc.ListMovements(ctx, w.owner, inv.ID, business.Page{Limit: 50}))(t)
		if inv.Quantity != 5 || len(ms) != 1 || ms[0].Type != inventory.Inbound || ms[0].Quantity != 5 ||
			ms[0].UnitCost != price || ms[0].Description == nil || *ms[0].Description != inventory.MsgInitialInbound {
			t.Fatalf("inventory %+v, movements %+v", inv, ms)
		}

		q := must(w.svc.CreateProduct(ctx, w.owner, inventory.ProductInput{Name: opt.Of("Lápis"), Stock: opt.Of(int64(3))}))(t)
		inv = w.inventoryOf(t, w.owner, q.ID)
		ms = must3(w.svc.ListMovements(ctx, w.owner, inv.ID, business.Page{Limit: 50}))(t)
		if q.Stock != 3 || len(ms) != 1 || ms[0].UnitCost != 0 {
			t.Fatalf("no cost price: product %+v, movements %+v", q, ms)
		}

		// No stock (absent, null, 0): an inventory and no movement.
		for _, st := range []opt.Opt[int64]{{}, opt.Null[int64](), opt.Of(int64(0))} {
			r := must(w.svc.CreateProduct(ctx, w.owner, inventory.ProductInput{Name: opt.Of("Borracha"), Stock: st}))(t)
			inv := w.inventoryOf(t, w.owner, r.ID)
			if ms := must3(w.svc.ListMovements(ctx, w.owner, inv.ID, business.Page{Limit: 50}))(t); r.Stock != 0 || len(ms) != 0 {
				t.Fatalf("stock %v: product %+v", st, r)
			}
		}
		_, err := w.svc.CreateProduct(ctx, w.owner, inventory.ProductInput{Name: opt.Of("x"), Stock: opt.Of(int64(-1))})
		wantErr(t, err, apperr.Invalid, "", "stock", "Ensure this value is greater than or equal to 0.")
	})
}

func must3[T any](v T, n int, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// TestProductReferences: category and suppliers must be the business's own, suppliers must be
// suppliers, new references must be active (defect 2, S22, S37).
func TestProductReferences(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		cat := must(w.svc.CreateCategory(ctx, w.owner, inventory.CategoryInput{Name: opt.Of("Papelaria")}))(t)
		otherCat := must(w.svc.CreateCategory(ctx, w.other, inventory.CategoryInput{Name: opt.Of("Papelaria")}))(t)
		p := must(w.svc.CreateProduct(ctx, w.owner, inventory.ProductInput{Name: opt.Of("Caderno"), Category: opt.Of(cat.ID),
			Supplier: opt.Of([]string{w.supplier, w.supplier})}))(t)
		if p.CategoryName == nil || *p.CategoryName != "Papelaria" || !slices.Equal(p.SupplierIDs, []string{w.supplier}) {
			t.Fatalf("created %+v", p)
		}
		cases := []struct {
			name  string
			in    inventory.ProductInput
			field string
			msg   string
		}{
			{"other business's category", inventory.ProductInput{Category: opt.Of(otherCat.ID)}, "category", field.NoSuchObject(otherCat.ID)},
			{"malformed category", inventory.ProductInput{Category: opt.Of("nope")}, "category", field.NoSuchObject("nope")},
			{"other business's supplier", inventory.ProductInput{Supplier: opt.Of([]string{w.otherSupplier})}, "supplier", field.NoSuchObject(w.otherSupplier)},
			{"a customer as supplier", inventory.ProductInput{Supplier: opt.Of([]string{w.customer})}, "supplier", field.NoSuchObject(w.customer)},
			{"malformed supplier", inventory.ProductInput{Supplier: opt.Of([]string{w.supplier, "x"})}, "supplier", field.NoSuchObject("x")},
			{"stock on patch", inventory.ProductInput{Stock: opt.Of(int64(0))}, "", inventory.MsgAdjustStock},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := w.svc.UpdateProduct(ctx, w.owner, p.ID, tc.in)
				if tc.field == "" {
					wantErr(t, err, apperr.Invalid, tc.msg, "", "")
				} else {
					wantErr(t, err, apperr.Invalid, apperr.MsgValidation, tc.field, tc.msg)
				}
			})
		}
		got := must(w.svc.Product(ctx, w.owner, p.ID))(t)
		if !slices.Equal(got.SupplierIDs, []string{w.supplier}) || *got.CategoryID != cat.ID {
			t.Fatalf("a refused patch changed the product: %+v", got)
		}

		// Inactive references: refused when new, kept when already there.
		must(w.biz.DeactivateContact(ctx, w.owner, business.SupplierKind, w.supplier))(t)
		must(w.svc.DeactivateCategory(ctx, w.owner, cat.ID))(t)
		must(w.svc.UpdateProduct(ctx, w.owner, p.ID, inventory.ProductInput{Name: opt.Of("Caderno A4"),
			Supplier: opt.Of([]string{w.supplier})}))(t)
		_, err := w.svc.CreateProduct(ctx, w.owner, inventory.ProductInput{Name: opt.Of("x"), Category: opt.Of(cat.ID),
			Supplier: opt.Of([]string{w.supplier})})
		wantErr(t, err, apperr.Invalid, "", "category", inventory.MsgCategoryInactive)
		wantErr(t, err, apperr.Invalid, "", "supplier", inventory.MsgSupplierInactive)

		// Null suppliers clear them (S36); other businesses see nothing.
		got = must(w.svc.UpdateProduct(ctx, w.owner, p.ID, inventory.ProductInput{Supplier: opt.Null[[]string]()}))(t)
		if len(got.SupplierIDs) != 0 || got.Name != "Caderno A4" {
			t.Fatalf("patched %+v", got)
		}
		_, err = w.svc.Product(ctx, w.other, p.ID)
		wantErr(t, err, apperr.NotFound, inventory.MsgProductNotFound, "", "")
		_, err = w.svc.UpdateProduct(ctx, w.other, p.ID, inventory.ProductInput{Name: opt.Of("mine")})
		wantErr(t, err, apperr.NotFound, inventory.MsgProductNotFound, "", "")
	})
}

// TestProductSearch: name substring (any case), id, sku and barcode exactly; at least 3
// characters (S9); never another business's products (defect 1's lesson).
func TestProductSearch(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		mk := func(a *business.Actor, name, sku, barcode string) string {
			return must(w.svc.CreateProduct(ctx, a, inventory.ProductInput{Name: opt.Of(name), SKU: opt.Of(sku),
				Barcode: opt.Of(barcode)}))(t).ID
		}
		caneta := mk(w.owner, "Caneta Azul", "CAN-001", "7891234567890")
		lapis := mk(w.owner, "Lápis de Cor", "LAP-001", "7890000000001")
		mk(w.other, "Caneta Vermelha", "CAN-002", "7891234567891")
		cases := []struct {
			search string
			want   []string
		}{
			{"caneta", []string{caneta}},
			{"CANETA AZ", []string{caneta}},
			{"lápis", []string{lapis}},
			{"LAP-001", []string{lapis}},
			{"lap-001", nil}, // sku is exact
			{"7891234567890", []string{caneta}},
			{"789123456789", nil}, // barcode is exact
			{caneta, []string{caneta}},
			{"001", nil},
			{"%%%", nil},
			{"a_u", nil},
		}
		for _, tc := range cases {
			ps, n, err := w.svc.ListProducts(ctx, w.owner, opt.Of(tc.search), business.Page{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, p := range ps {
				ids = append(ids, p.ID)
			}
			if !slices.Equal(ids, tc.want) || n != len(tc.want) {
				t.Errorf("search %q: %v (%d), want %v", tc.search, ids, n, tc.want)
			}
		}
		_, _, err := w.svc.ListProducts(ctx, w.owner, opt.Of(""), business.Page{Limit: 50})
		wantErr(t, err, apperr.Invalid, business.MsgSearchMissing, "", "")
		_, _, err = w.svc.ListProducts(ctx, w.owner, opt.Of("ab"), business.Page{Limit: 50})
		wantErr(t, err, apperr.Invalid, business.MsgSearchShort, "", "")
		if _, n, _ := w.svc.ListProducts(ctx, w.owner, opt.Opt[string]{}, business.Page{Limit: 50}); n != 2 {
			t.Fatalf("list: %d products, want 2", n)
		}
	})
}

// TestCategoryTree: parents of the same business only, no cycles, names unique per business
// (defect 23).
func TestCategoryTree(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		root := must(w.svc.CreateCategory(ctx, w.owner, inventory.CategoryInput{Name: opt.Of("Escritório")}))(t)
		mid := must(w.svc.CreateCategory(ctx, w.member, inventory.CategoryInput{Name: opt.Of("Papel"), Parent: opt.Of(root.ID)}))(t)
		leaf := must(w.svc.CreateCategory(ctx, w.owner, inventory.CategoryInput{Name: opt.Of("A4"), Parent: opt.Of(mid.ID)}))(t)
		if leaf.Parent == nil || leaf.Parent.Parent == nil || leaf.Parent.Parent.Name != "Escritório" {
			t.Fatalf("leaf %+v", leaf)
		}
		_, err := w.svc.UpdateCategory(ctx, w.owner, root.ID, inventory.CategoryInput{Parent: opt.Of(leaf.ID)})
		wantErr(t, err, apperr.Invalid, "", "parent", inventory.MsgCategoryCycle)
		_, err = w.svc.CreateCategory(ctx, w.owner, inventory.CategoryInput{Name: opt.Of("Papel")})
		wantErr(t, err, apperr.Invalid, "", "name", "product category with this name already exists.")
		must(w.svc.CreateCategory(ctx, w.other, inventory.CategoryInput{Name: opt.Of("Papel")}))(t)
		_, err = w.svc.CreateCategory(ctx, w.other, inventory.CategoryInput{Name: opt.Of("x"), Parent: opt.Of(root.ID)})
		wantErr(t, err, apperr.Invalid, "", "parent", field.NoSuchObject(root.ID))
		_, err = w.svc.Category(ctx, w.other, root.ID)
		wantErr(t, err, apperr.NotFound, inventory.MsgCategoryNotFound, "", "")
		cs, n, err := w.svc.ListCategories(ctx, w.owner, business.Page{Limit: 50})
		if err != nil || n != 3 || cs[2].Parent == nil || cs[2].Parent.Parent == nil {
			t.Fatalf("list %v %d %v", cs, n, err)
		}
	})
}
