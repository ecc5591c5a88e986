package inventory_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/inventory"
	"github.com/bursar/bursar/internal/opt"
	"github.com/bursar/bursar/internal/password"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

var ctx = context.Background()

// world is two businesses: the owner of the first (owner), a staff member of it (member: the
// same business without the owner's rights) and the owner of the other (other), with a
// supplier and a customer each.
type world struct {
	db                   *sqlstore.DB
	svc                  *inventory.Service
	biz                  *business.Service
	clock                *clock.Fixed
	owner, member, other *business.Actor
	supplier, customer   string
	otherSupplier        string
}

func each(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Helper()
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := clock.NewFixed(time.Date(2025, 6, 25, 12, 0, 0, 0, time.UTC))
		a, err := auth.NewService(db, auth.Config{Secret: bytes.Repeat([]byte("k"), 32), AccessTTL: time.Hour,
			RefreshTTL: time.Hour, Argon: password.Params{MemoryKiB: 64, Time: 1, Threads: 1}}, clk,
			slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		w := &world{db: db, clock: clk, svc: inventory.NewService(db, clk), biz: business.NewService(db, a, clk, time.UTC)}
		w.owner = w.newOwner(t, "olivia", "11111111000111")
		w.other = w.newOwner(t, "oscar", "22222222000122")
		w.member = &business.Actor{UserID: w.owner.UserID, BusinessID: w.owner.BusinessID, Location: time.UTC}
		w.supplier = w.contact(t, w.owner, business.SupplierKind, "Fornecedor")
		w.customer = w.contact(t, w.owner, business.CustomerKind, "Cliente")
		w.otherSupplier = w.contact(t, w.other, business.SupplierKind, "Outro")
		fn(t, w)
	})
}

func (w *world) newOwner(t *testing.T, name, cnpj string) *business.Actor {
	t.Helper()
	u := must(w.biz.SignUp(ctx, auth.SignUpInput{Name: opt.Of(name), Email: opt.Of(name + "@example.com"),
		Username: opt.Of(name), Password: opt.Of("Plenty-of-42-entropy")}))(t)
	must(w.biz.CreateBusiness(ctx, u, business.BusinessInput{LegalName: opt.Of("Acme " + cnpj),
		TradeName: opt.Of("Acme"), CNPJ: opt.Of(cnpj)}))(t)
	return must(w.biz.Authorize(ctx, u, business.NeedOwnerBusiness))(t)
}

func (w *world) contact(t *testing.T, a *business.Actor, k business.Kind, name string) string {
	t.Helper()
	return must(w.biz.CreateContact(ctx, a, k, business.ContactInput{Name: opt.Of(name)}))(t).ID
}

// product creates a product with the given initial stock, tracking stock or not.
func (w *world) product(t *testing.T, a *business.Actor, name string, stock int64, track bool) *inventory.Product {
	t.Helper()
	return must(w.svc.CreateProduct(ctx, a, inventory.ProductInput{Name: opt.Of(name), Stock: opt.Of(stock),
		TrackStock: opt.Of(track)}))(t)
}

// inventoryOf returns the inventory of a product.
func (w *world) inventoryOf(t *testing.T, a *business.Actor, productID string) *inventory.Inventory {
	t.Helper()
	invs, _, err := w.svc.ListInventories(ctx, a, business.Page{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for i := range invs {
		if invs[i].ProductID == productID {
			return &invs[i]
		}
	}
	t.Fatalf("no inventory for product %s", productID)
	return nil
}

// move posts a movement.
func (w *world) move(a *business.Actor, inventoryID, typ string, q int64) (*inventory.Movement, error) {
	return w.svc.CreateMovement(ctx, a, inventoryID, inventory.MovementInput{Type: opt.Of(typ), Quantity: opt.Of(q)})
}

// must returns a function that fails the test on err and otherwise returns v.
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// wantErr fails unless err is an *apperr.Error of kind with message msg ("" for any) and,
// when field is not "", fieldMsg under field.
func wantErr(t *testing.T, err error, kind apperr.Kind, msg, field, fieldMsg string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != kind || (msg != "" && e.Message != msg) {
		t.Fatalf("error %v; want kind %d %q", err, kind, msg)
	}
	if field == "" {
		return
	}
	for _, m := range e.Fields[field] {
		if m == fieldMsg {
			return
		}
	}
	t.Fatalf("error fields %v; want %q under %s", e.Fields, fieldMsg, field)
}
