package inventory_test

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/inventory"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// stockOf returns the product's stock and its inventory's quantity, failing unless they agree
// with the sum of the movements (§4.3).
func (w *world) stockOf(t *testing.T, p *inventory.Product) int64 {
	t.Helper()
	inv := w.inventoryOf(t, w.owner, p.ID)
	got := must(w.svc.Product(ctx, w.owner, p.ID))(t)
	ms := must3(w.svc.ListMovements(ctx, w.owner, inv.ID, business.Page{Limit: 1000}))(t)
	var sum int64
	for _, m := range ms {
		sum += m.Quantity
	}
	if got.Stock != inv.Quantity || inv.Quantity != sum {
		t.Fatalf("product stock %d, inventory quantity %d, Σ movements %d", got.Stock, inv.Quantity, sum)
	}
	return sum
}

// TestStockRules: movements keep their sign (defect 21); on a tracked product no movement,
// change or delete takes stock below 0 and a refused one writes nothing (S24); without
// track_stock stock may go negative (§5).
func TestStockRules(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		p := w.product(t, w.owner, "Caneta", 0, true)
		inv := w.inventoryOf(t, w.owner, p.ID)

		in := must(w.move(w.owner, inv.ID, "inbound", -3))(t) // the sign sent is ignored
		if in.Quantity != 3 || w.stockOf(t, p) != 3 {
			t.Fatalf("inbound %+v", in)
		}
		out := must(w.move(w.owner, inv.ID, "outbound", 2))(t)
		if out.Quantity != -2 || w.stockOf(t, p) != 1 {
			t.Fatalf("outbound %+v", out)
		}
		_, err := w.move(w.owner, inv.ID, "outbound", 2)
		wantErr(t, err, apperr.Invalid, apperr.MsgValidation, "quantity", inventory.MsgInsufficientStock)
		if w.stockOf(t, p) != 1 {
			t.Fatal("a refused outbound changed the stock")
		}

		// PATCH keeps the direction whatever the sign sent (defect 21) and moves stock by the
		// difference.
		out = must(w.svc.UpdateMovement(ctx, w.owner, out.ID, inventory.MovementPatch{Quantity: opt.Of(int64(1))}))(t)
		if out.Quantity != -1 || out.Type != inventory.Outbound || w.stockOf(t, p) != 2 {
			t.Fatalf("patched outbound %+v", out)
		}
		out = must(w.svc.UpdateMovement(ctx, w.owner, out.ID, inventory.MovementPatch{Quantity: opt.Of(int64(-3))}))(t)
		if out.Quantity != -3 || w.stockOf(t, p) != 0 {
			t.Fatalf("patched outbound %+v", out)
		}
		_, err = w.svc.UpdateMovement(ctx, w.owner, out.ID, inventory.MovementPatch{Quantity: opt.Of(int64(4))})
		wantErr(t, err, apperr.Invalid, "", "quantity", inventory.MsgInsufficientStock)
		_, err = w.svc.UpdateMovement(ctx, w.owner, in.ID, inventory.MovementPatch{Quantity: opt.Of(int64(2))})
		wantErr(t, err, apperr.Invalid, "", "quantity", inventory.MsgInsufficientStock)
		err = w.svc.DeleteMovement(ctx, w.owner, in.ID)
		wantErr(t, err, apperr.Invalid, "", "quantity", inventory.MsgInsufficientStock)
		_, err = w.svc.UpdateMovement(ctx, w.owner, out.ID, inventory.MovementPatch{Quantity: opt.Of(int64(0))})
		wantErr(t, err, apperr.Invalid, inventory.MsgInformQuantity, "", "")
		if w.stockOf(t, p) != 0 {
			t.Fatal("a refused change moved the stock")
		}

		// Deleting the outbound gives its quantity back.
		if err := w.svc.DeleteMovement(ctx, w.owner, out.ID); err != nil || w.stockOf(t, p) != 3 {
			t.Fatalf("delete: %v", err)
		}
		err = w.svc.DeleteMovement(ctx, w.owner, out.ID)
		wantErr(t, err, apperr.NotFound, inventory.MsgMovementNotFound, "", "")

		// Untracked: stock may go negative (§5: outbound of 1 on a new product gives −1).
		u := w.product(t, w.owner, "Serviço", 0, false)
		uinv := w.inventoryOf(t, w.owner, u.ID)
		must(w.move(w.owner, uinv.ID, "outbound", 1))(t)
		if w.stockOf(t, u) != -1 {
			t.Fatal("untracked outbound")
		}
		// Tracking turned on with negative stock: inbounds still allowed, outbounds not.
		must(w.svc.UpdateProduct(ctx, w.owner, u.ID, inventory.ProductInput{TrackStock: opt.Of(true)}))(t)
		_, err = w.move(w.owner, uinv.ID, "outbound", 1)
		wantErr(t, err, apperr.Invalid, "", "quantity", inventory.MsgInsufficientStock)
		must(w.move(w.owner, uinv.ID, "inbound", 1))(t)
		if w.stockOf(t, u) != 0 {
			t.Fatal("inbound on negative stock")
		}
	})
}

// TestMovementValidation: quantity first (Inform a quantity., body status 400: defect 24),
// then type and prices.
func TestMovementValidation(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		p := w.product(t, w.owner, "Caneta", 0, true)
		inv := w.inventoryOf(t, w.owner, p.ID)
		for _, q := range []opt.Opt[int64]{{}, opt.Null[int64](), opt.Of(int64(0))} {
			_, err := w.svc.CreateMovement(ctx, w.owner, inv.ID, inventory.MovementInput{Type: opt.Of("inbound"), Quantity: q})
			wantErr(t, err, apperr.Invalid, inventory.MsgInformQuantity, "", "")
		}
		_, err := w.move(w.owner, inv.ID, "sideways", 1)
		wantErr(t, err, apperr.Invalid, "", "type", `"sideways" is not a valid choice.`)
		_, err = w.svc.CreateMovement(ctx, w.owner, inv.ID, inventory.MovementInput{Quantity: opt.Of(int64(1))})
		wantErr(t, err, apperr.Invalid, "", "type", apperr.MsgRequired)
		_, err = w.move(w.owner, inv.ID, "inbound", inventory.MaxQuantity+1)
		wantErr(t, err, apperr.Invalid, "", "quantity", "Ensure this value is less than or equal to 2147483647.")
		must(w.move(w.owner, inv.ID, "inbound", inventory.MaxQuantity))(t)
		_, err = w.move(w.owner, inv.ID, "inbound", 1)
		wantErr(t, err, apperr.Invalid, "", "quantity", inventory.MsgStockRange)
		_, err = w.svc.CreateMovement(ctx, w.owner, inv.ID, inventory.MovementInput{Type: opt.Of("outbound"),
			Quantity: opt.Of(int64(1)), UnitCost: opt.Of(money.Cents(-1))})
		wantErr(t, err, apperr.Invalid, "", "unit_cost", "Ensure this value is greater than or equal to 0.")
	})
}

// TestInventoryTenancy: inventories are the owner's (members 403, defect 6) and other
// businesses' are not found; a deactivated product takes no new movement (defect 8).
func TestInventoryTenancy(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		p := w.product(t, w.owner, "Caneta", 2, true)
		inv := w.inventoryOf(t, w.owner, p.ID)
		m := must(w.move(w.owner, inv.ID, "outbound", 1))(t)

		_, err := w.svc.Inventory(ctx, w.member, inv.ID)
		wantErr(t, err, apperr.Forbidden, apperr.MsgForbidden, "", "")
		_, err = w.move(w.member, inv.ID, "inbound", 1)
		wantErr(t, err, apperr.Forbidden, "", "", "")
		_, _, err = w.svc.ListInventories(ctx, w.member, business.Page{Limit: 50})
		wantErr(t, err, apperr.Forbidden, "", "", "")

		_, err = w.svc.Inventory(ctx, w.other, inv.ID)
		wantErr(t, err, apperr.NotFound, inventory.MsgInventoryNotFound, "", "")
		_, err = w.move(w.other, inv.ID, "inbound", 1)
		wantErr(t, err, apperr.NotFound, inventory.MsgInventoryNotFound, "", "")
		_, _, err = w.svc.ListMovements(ctx, w.other, inv.ID, business.Page{Limit: 50})
		wantErr(t, err, apperr.NotFound, inventory.MsgInventoryNotFound, "", "")
		_, err = w.svc.Movement(ctx, w.other, m.ID)
		wantErr(t, err, apperr.NotFound, inventory.MsgMovementNotFound, "", "")
		_, err = w.svc.UpdateMovement(ctx, w.other, m.ID, inventory.MovementPatch{Quantity: opt.Of(int64(2))})
		wantErr(t, err, apperr.NotFound, inventory.MsgMovementNotFound, "", "")
		err = w.svc.DeleteMovement(ctx, w.other, m.ID)
		wantErr(t, err, apperr.NotFound, inventory.MsgMovementNotFound, "", "")
		if n := must3(w.svc.ListInventories(ctx, w.other, business.Page{Limit: 50}))(t); len(n) != 0 {
			t.Fatalf("other business sees %v", n)
		}

		must(w.svc.DeactivateProduct(ctx, w.owner, p.ID))(t)
		_, err = w.move(w.owner, inv.ID, "inbound", 1)
		wantErr(t, err, apperr.Invalid, "", "product", inventory.MsgProductInactive)
		if w.stockOf(t, p) != 1 {
			t.Fatal("stock moved")
		}
	})
}

// TestConcurrentOutboundService: many goroutines take one unit each from a tracked stock of N
// through the service; exactly N succeed and the stock ends at 0, never below (S24, defect 9).
func TestConcurrentOutboundService(t *testing.T) {
	const stock, workers, perWorker = 40, 16, 5
	each(t, func(t *testing.T, w *world) {
		p := w.product(t, w.owner, "Caneta", stock, true)
		inv := w.inventoryOf(t, w.owner, p.ID)
		var ok, refused atomic.Int64
		var wg sync.WaitGroup
		errs := make(chan error, workers*perWorker)
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range perWorker {
					_, err := w.move(w.owner, inv.ID, "outbound", 1)
					switch {
					case err == nil:
						ok.Add(1)
					case apperr.IsKind(err, apperr.Invalid):
						refused.Add(1)
					default:
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if ok.Load() != stock || refused.Load() != workers*perWorker-stock || w.stockOf(t, p) != 0 {
			t.Fatalf("%d succeeded, %d refused, stock %d; want %d, %d, 0", ok.Load(), refused.Load(), w.stockOf(t, p),
				stock, workers*perWorker-stock)
		}
		t.Logf("%d outbound movements of 1 from %d goroutines on a stock of %d: %d succeeded, %d refused, stock 0",
			workers*perWorker, workers, stock, ok.Load(), refused.Load())
	})
}
